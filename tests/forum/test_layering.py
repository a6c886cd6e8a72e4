"""The forum is what features are built on, so it must not depend on any of them.

Features reach the forum through ``tinypier.web.extensions`` (topic parts, post hooks,
the topic lifecycle); a forum module importing a feature would make the forum change with
every feature, and a feature's import of the forum a cycle. Loading every module of
``tinypier.forum`` in a fresh interpreter must therefore load no feature package, directly
or through anything the forum imports.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tinypier.forum

FEATURE_PACKAGES = (
    "torrents",
    "polls",
    "thanks",
    "messages",
    "notifications",
    "profiles",
    "groups",
    "bonus",
    "hit_and_run",
    "member_torrents",
    "jobs",
    "legacy",
    "importers",
)
FORBIDDEN = tuple(f"tinypier.{package}" for package in FEATURE_PACKAGES)
FORUM_DIR = Path(tinypier.forum.__file__).parent

LOAD_CHECK = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
    importlib.import_module(module.name)
forbidden = tuple(sys.argv[2:])
loaded = [
    name for name in sys.modules
    if any(name == package or name.startswith(package + ".") for package in forbidden)
]
print(" ".join(sorted(loaded)))
"""


def imported_names(path: Path) -> set[str]:
    """Every module a source file names in an import statement, wherever it stands."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def is_feature(module: str) -> bool:
    return any(module == package or module.startswith(package + ".") for package in FORBIDDEN)


def feature_imports(package_dir: Path) -> set[str]:
    """Each module of the package under ``package_dir`` that names a feature package in an
    import, wherever the import stands (inside a function, under TYPE_CHECKING)."""
    return {
        f"{path.relative_to(package_dir)}: {name}"
        for path in sorted(package_dir.rglob("*.py"))
        for name in imported_names(path)
        if is_feature(name)
    }


def features_loaded_by(package: str) -> list[str]:
    """The feature modules a fresh interpreter has loaded once every module of ``package``
    is imported: what the package brings along, directly or through what it imports."""
    result = subprocess.run(
        [sys.executable, "-c", LOAD_CHECK, package, *FORBIDDEN],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.split()


def test_no_forum_module_imports_a_feature_package() -> None:
    assert feature_imports(FORUM_DIR) == set()


def test_loading_the_forum_loads_no_feature_package() -> None:
    assert features_loaded_by("tinypier.forum") == []


def test_the_check_recognises_a_feature_import(tmp_path: Path) -> None:
    """The scan is not vacuous: it finds a feature import where one is written."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from tinypier.torrents.releases import release_by_topic\n"
        "import tinypier.polls.routes\n"
        "from tinypier.forum import posting\n",
        encoding="utf-8",
    )

    assert {name for name in imported_names(sample) if is_feature(name)} == {
        "tinypier.torrents.releases",
        "tinypier.polls.routes",
    }

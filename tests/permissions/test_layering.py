"""The policy is shared by the web side and the tracker, so it must not drag either along.

Importing the policy and the tracker in a fresh interpreter must load no web framework,
no templates and no forum code: the tracker asks the policy, never the forum pages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import tinypier.permissions
from tests.forum.test_layering import FORBIDDEN as FEATURE_MODULES
from tests.forum.test_layering import imported_names, is_feature

FORBIDDEN = ("litestar", "jinja2", "tinypier.forum", "tinypier.web", "tinypier.torrents.routes")

CHECK = f"""
import sys
import tinypier.permissions.lookup, tinypier.permissions.rules, tinypier.permissions.sql
import tinypier.permissions.ratio
import tinypier.tracker.engine
loaded = [name for name in sys.modules if name.startswith({FORBIDDEN!r})]
print(" ".join(sorted(loaded)))
"""


def test_the_policy_and_the_tracker_load_no_web_or_forum_code() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == []


# The one permission policy must not depend on a feature either: a feature asks the policy,
# and the vocabulary the policy needs from one (release statuses) lives in a neutral module,
# ``tinypier.release_statuses``. Loading every policy module must load no feature package.
POLICY_DIR = Path(tinypier.permissions.__file__).parent

POLICY_CHECK = f"""
import importlib, pkgutil, sys
import tinypier.permissions
for module in pkgutil.walk_packages(tinypier.permissions.__path__, "tinypier.permissions."):
    importlib.import_module(module.name)
forbidden = {FEATURE_MODULES!r}
loaded = [
    name for name in sys.modules
    if any(name == package or name.startswith(package + ".") for package in forbidden)
]
print(" ".join(sorted(loaded)))
"""


def test_no_policy_module_imports_a_feature_package() -> None:
    """Even an import that runs late (inside a function, under TYPE_CHECKING) counts."""
    offending = {
        f"{path.relative_to(POLICY_DIR)}: {name}"
        for path in sorted(POLICY_DIR.rglob("*.py"))
        for name in imported_names(path)
        if is_feature(name)
    }
    assert offending == set()


def test_loading_the_policy_loads_no_feature_package() -> None:
    """Nothing the policy imports brings a feature along either."""
    result = subprocess.run(
        [sys.executable, "-c", POLICY_CHECK],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.split() == []

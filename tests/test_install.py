"""A person installs TinyPier with pip into a fresh environment and serves a board.

This is the path the README promises: nothing from the checkout is used at run time, so
a template, stylesheet or migration missing from the package data fails here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

REPOSITORY = Path(__file__).resolve().parent.parent
PAGES_ANSWERING_200 = ("/", "/login", "/static/style.css")
STARTUP_SECONDS = 60
NOT_PACKAGED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with TinyPier pip-installed (not editable) from a copy."""
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    shutil.copytree(REPOSITORY, source, ignore=NOT_PACKAGED)
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(source)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    return venv


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _status(url: str) -> int | None:
    """The HTTP status, or None while nothing listens yet."""
    try:
        with _DIRECT.open(url, timeout=5) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _page_in_russian(url: str) -> str:
    """The page as a Russian browser gets it: the catalogs must be in the package."""
    request = urllib.request.Request(url, headers={"Accept-Language": "ru"})
    with _DIRECT.open(request, timeout=5) as response:
        body: bytes = response.read()
    return body.decode()


def _wait_until_serving(url: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while _status(url) is None:
        assert server.poll() is None, "the server exited during startup"
        assert time.monotonic() < deadline, f"nothing answered on {url}"
        time.sleep(0.2)


def test_a_pip_installed_board_serves_its_pages(installed: Path, tmp_path: Path) -> None:
    package = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import tinypier; print(tinypier.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout
    assert str(installed) in package, "tinypier is imported from the environment, not the checkout"
    data_dir = tmp_path / "board"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TINYPIER_")}
    server = subprocess.Popen(
        [
            str(installed / "bin" / "tinypier"),
            "--data-dir",
            str(data_dir),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    try:
        _wait_until_serving(base + PAGES_ANSWERING_200[-1], server)
        statuses = {path: _status(base + path) for path in PAGES_ANSWERING_200}
        russian_login = _page_in_russian(base + "/login")
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)

    assert statuses == dict.fromkeys(PAGES_ANSWERING_200, 200), output
    assert "user create" in output
    assert '<html lang="ru">' in russian_login and "Войти" in russian_login
    assert (data_dir / "tinypier.sqlite3").is_file()
    assert (data_dir / "secret_key").stat().st_mode & 0o777 == 0o600

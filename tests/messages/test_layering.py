"""Private messages are a feature package: the forum, the releases and the accounts
areas load without it, so the feature can change (or go) without touching them."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import tinypier.accounts, tinypier.forum, tinypier.torrents
for package in (tinypier.accounts, tinypier.forum, tinypier.torrents):
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
print(" ".join(sorted(name for name in sys.modules if name.startswith("tinypier.messages"))))
"""


def test_the_forum_releases_and_accounts_import_nothing_of_messages() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == []

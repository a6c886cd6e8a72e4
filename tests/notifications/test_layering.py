"""Notifications are a feature package: the forum and the accounts load without it (the
forum reaches it only through the ``post_published`` hook its app state carries)."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import tinypier.accounts, tinypier.forum
for package in (tinypier.accounts, tinypier.forum):
    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
print(" ".join(sorted(name for name in sys.modules if name.startswith("tinypier.notifications"))))
"""


def test_the_forum_and_accounts_import_nothing_of_notifications() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == []

"""Running the ``tinypier`` command in-process, shielded from the caller's environment."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner, Result

from tinypier.cli import main


def run_cli(data_dir: Path, *args: str, stdin: str | None = None) -> Result:
    """``tinypier --data-dir DATA_DIR ARGS...``; TINYPIER_* variables of the shell are hidden."""
    hidden: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith("TINYPIER_")
    }
    return CliRunner(env=hidden).invoke(main, ["--data-dir", str(data_dir), *args], input=stdin)

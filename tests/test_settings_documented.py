"""Every setting is documented once, in the README's Configuration table, with its default.

A limit an admin cannot find is a limit nobody tunes; a default that drifted from the code
is worse than none. The table is the one place both are written for people.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from tinypier.settings import Settings
from tinypier.site_settings import EDITABLE

README = Path(__file__).parents[1] / "README.md"
ROW = re.compile(r"^\| `(?P<key>[a-z_]+)` \| (?P<default>[^|]+) \| (?P<meaning>.+) \|$")
# Chosen on the command line or by TINYPIER_DATA_DIR, and described below the table.
NOT_IN_TABLE = {"data_dir"}


def documented_rows() -> dict[str, str]:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        if match := ROW.match(line.strip()):
            rows[match["key"]] = match["default"]
    return rows


def written_default(value: object) -> str:
    """How the table writes a default: TOML-like, as an admin would type it."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, tuple):
        return "`[" + ", ".join(f'"{item}"' for item in value) + "]`"
    return f"`{value}`"


def test_the_readme_lists_every_setting_and_no_other() -> None:
    keys = {field.name for field in dataclasses.fields(Settings)} - NOT_IN_TABLE

    assert set(documented_rows()) == keys


def test_each_documented_default_is_the_code_default() -> None:
    rows = documented_rows()
    defaults = Settings()
    for field in dataclasses.fields(Settings):
        if field.name in NOT_IN_TABLE:
            continue
        written = written_default(getattr(defaults, field.name))
        assert rows[field.name].startswith(written), (field.name, rows[field.name], written)


def test_the_readme_names_exactly_the_settings_admins_edit_on_the_web() -> None:
    section = README.read_text(encoding="utf-8").split("<!-- web-editable -->", 1)[1]
    named = re.findall(r"`([a-z_]+)`", section.split("<!-- /web-editable -->", 1)[0])

    assert named == [setting.name for setting in EDITABLE]

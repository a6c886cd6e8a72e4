"""The topic page's extension point: features add to topics; the forum imports none of them."""

from __future__ import annotations

import ast
import asyncio
import sqlite3
from importlib.util import find_spec
from pathlib import Path
from typing import cast

from tinypier.accounts.viewer import GUEST, Viewer
from tinypier.app import FEATURES
from tinypier.db.connection import Database
from tinypier.settings import Settings, load_settings
from tinypier.web.extensions import PageExtensions, Slot, TopicExtension

FEATURE_PACKAGES = ("tinypier.torrents", "tinypier.thanks", "tinypier.polls")


def imported_modules(module: str) -> set[str]:
    spec = find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_forum_topic_module_imports_no_feature_built_on_it() -> None:
    imported = imported_modules("tinypier.forum.topics")
    assert "tinypier.web.extensions" in imported, "the page asks the extension point"
    assert sorted(name for name in imported if name.startswith(FEATURE_PACKAGES)) == []


def test_every_feature_package_registers_its_topic_parts_in_app_composition() -> None:
    registered = {extension.name for feature in FEATURES for extension in feature.topic_extensions}
    assert {"release"} <= registered


def fixed(name: str, slot: Slot, context: object | None) -> TopicExtension:
    async def contribute(
        _db: Database, _viewer: Viewer, _topic: sqlite3.Row, _settings: Settings
    ) -> object | None:
        return context

    return TopicExtension(name, slot, f"{name}.html", contribute)


def test_parts_keep_registration_order_per_slot_and_leave_out_what_has_nothing(
    tmp_path: Path,
) -> None:
    extensions = PageExtensions(
        topic=(
            fixed("release", Slot.ABOVE_POSTS, {"release": 1}),
            fixed("nothing here", Slot.ABOVE_POSTS, None),
            fixed("poll", Slot.ABOVE_POSTS, {"poll": 2}),
            fixed("thanks", Slot.AFTER_FIRST_POST, {"thanks": 3}),
        )
    )
    topic = cast(sqlite3.Row, {"id": 1})
    db = cast(Database, None)

    parts = asyncio.run(
        extensions.topic_parts(db, GUEST, topic, load_settings(tmp_path, environ={}))
    )

    assert [part.name for part in parts.above_posts] == ["release", "poll"]
    assert [part.context for part in parts.after_first_post] == [{"thanks": 3}]
    assert parts.post_actions == []

"""Helpers for the release tests: forums, members with sessions or API tokens, uploads.

Uploads go through the real pages and API (CSRF token, multipart), so a test that posts a
release exercises exactly what a browser or a script does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import on_board, sql
from tests.helpers import Member, add_member, csrf_token, login
from tests.samples import sample
from tinypier.accounts.queries import create_api_token
from tinypier.forum.queries import create_forum, ensure_category
from tinypier.settings import Settings

Client = TestClient[Litestar]

COUNTED_TABLES = ("topics", "posts", "torrents", "attachments")


def shared_torrent(name: str) -> bytes:
    return sample(name)


def release_forum(
    settings: Settings,
    name: str = "Releases",
    *,
    view_role: str = "guest",
    download_role: str = "user",
    category: str = "Media",
) -> int:
    async def make(db: Any) -> int:
        category_id = await ensure_category(db, category)
        return await create_forum(
            db,
            category_id,
            name,
            allows_releases=True,
            view_role=view_role,
            download_role=download_role,
        )

    forum_id: int = on_board(settings, make)
    return forum_id


def signed_in_member(client: Client, settings: Settings, name: str, role: str = "user") -> Member:
    member = add_member(settings, name, role)
    assert login(client, member.name).status_code == 303
    return member


def api_token(settings: Settings, member: Member) -> str:
    token: str = on_board(settings, lambda db: create_api_token(db, member.id, "script"))
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def post_release_page(
    client: Client,
    forum_id: int,
    torrent: bytes | None,
    *,
    title: str = "A release",
    description: str = "What it is.",
    preview: bool = False,
) -> httpx.Response:
    """Fill in and send the new-release form as a browser would."""
    form = client.get(f"/forums/{forum_id}/releases/new")
    assert form.status_code == 200, form.text
    fields = {"_csrf_token": csrf_token(form.text), "title": title, "description": description}
    fields["preview" if preview else "post"] = "1"
    files = (
        {}
        if torrent is None
        else {"torrent": ("upload.torrent", torrent, "application/x-bittorrent")}
    )
    return client.post(
        f"/forums/{forum_id}/releases/new", data=fields, files=files, follow_redirects=False
    )


def post_release_api(
    client: Client,
    token: str | None,
    forum_id: int,
    torrent: bytes,
    *,
    title: str = "A release",
    description: str = "What it is.",
    web_seeds: bool = False,
) -> httpx.Response:
    fields = {"title": title, "description": description, "forum_id": str(forum_id)}
    if web_seeds:
        fields["web_seeds"] = "true"
    return client.post(
        "/api/torrents",
        data=fields,
        files={"torrent": ("upload.torrent", torrent, "application/x-bittorrent")},
        headers=bearer(token) if token else {},
    )


def row_counts(settings: Settings) -> dict[str, int]:
    return {table: sql(settings, f"SELECT COUNT(*) FROM {table}")[0][0] for table in COUNTED_TABLES}


def stored_files(settings: Settings) -> list[Path]:
    """Every file under attachments_dir, temporary ones included."""
    return sorted(path for path in settings.attachments_dir.rglob("*") if path.is_file())

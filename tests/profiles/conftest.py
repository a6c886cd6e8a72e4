"""The forum tests' small board, with images made by Pillow and forms posted for real."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.forum.conftest import Board, Client, submit
from tests.forum.conftest import board as board
from tests.helpers import csrf_token

__all__ = ["Board", "board", "image_bytes", "upload"]


def image_bytes(
    format: str = "PNG", size: tuple[int, int] = (200, 150), color: str = "teal", **save: Any
) -> bytes:
    """An image file as a camera or an editor would write it."""
    output = io.BytesIO()
    mode = "1" if format == "PNG" and size[0] * size[1] > 4_000_000 else "RGB"
    Image.new(mode, size, color if mode == "RGB" else 0).save(output, format, **save)
    return output.getvalue()


def upload(
    client: Client, page: str, action: str, field: str, content: bytes, filename: str,
    content_type: str = "image/png", **fields: str,
) -> httpx.Response:  # fmt: skip
    """Post a multipart form as a browser does, with the page's CSRF token."""
    token = csrf_token(client.get(page).text)
    return client.post(
        action,
        data={"_csrf_token": token, **fields},
        files={field: (filename, content, content_type)},
        follow_redirects=False,
    )


@pytest.fixture
def signed(board: Board) -> Board:
    """The board (named for readability where only members matter)."""
    return board


def post_form(client: Client, page: str, action: str, data: dict[str, str]) -> httpx.Response:
    return submit(client, page, action, data)

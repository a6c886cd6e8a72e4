"""Hostile uploads: whatever bytes arrive, the answer is a refusal or a whole release.

Hypothesis sends arbitrary bytes, random bencoded values, and real torrents with bytes
flipped, cut, inserted or a field replaced, through the real upload API. After every
example: no 500, and the board is consistent: a refusal left the row counts untouched,
and the files in the store are exactly the attachments the database names (no orphan,
no temporary file).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import bencodepy
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from litestar import Litestar
from litestar.testing import TestClient

from tests.forum.board import on_board, sql
from tests.helpers import add_member
from tests.samples import MANIFEST
from tests.torrents.releases import (
    api_token,
    release_forum,
    row_counts,
    shared_torrent,
    stored_files,
)
from tinypier.app import create_app
from tinypier.settings import Settings, load_settings
from tinypier.torrents.registration import ReleaseRefused, ReleaseUpload, register_release

REFUSED = (400, 409, 413)


class Board:
    """One board for all examples: building a board per example would take minutes."""

    def __init__(self, client: TestClient[Litestar], settings: Settings) -> None:
        self.client = client
        self.settings = settings
        self.forum_id = release_forum(settings)
        self.token = api_token(settings, add_member(settings, "fuzzer"))

    def upload(self, data: bytes) -> int:
        response = self.client.post(
            "/api/torrents",
            data={
                "title": "Fuzzed",
                "description": "Fuzzed upload.",
                "forum_id": str(self.forum_id),
            },
            files={"torrent": ("fuzz.torrent", data, "application/x-bittorrent")},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        return response.status_code

    def assert_store_matches_rows(self) -> None:
        names = {row[0] for row in sql(self.settings, "SELECT sha256 FROM attachments")}
        assert {path.name for path in stored_files(self.settings)} == names
        complete = sql(
            self.settings,
            "SELECT COUNT(*) FROM torrents t JOIN topics tp ON tp.id = t.topic_id"
            " JOIN attachments a ON a.id = t.attachment_id",
        )[0][0]
        assert complete == row_counts(self.settings)["torrents"]


@pytest.fixture(scope="module")
def board(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Board]:
    settings = load_settings(tmp_path_factory.mktemp("fuzz") / "data", environ={})
    with TestClient(create_app(settings), base_url="http://testserver.local") as client:
        yield Board(client, settings)


def bencodable() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.binary(max_size=40))
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=5),
            st.dictionaries(st.binary(max_size=12), children, max_size=5),
        ),
        max_leaves=30,
    )


SAMPLES = [shared_torrent(entry["file"]) for entry in MANIFEST]
INFO_KEYS = [
    b"name",
    b"piece length",
    b"pieces",
    b"length",
    b"files",
    b"private",
    b"meta version",
    b"file tree",
]


@st.composite
def mutated_sample(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    position = draw(st.integers(min_value=0, max_value=len(data) - 1))
    how = draw(st.sampled_from(["flip", "cut", "insert", "delete", "duplicate"]))
    if how == "flip":
        data[position] ^= draw(st.integers(min_value=1, max_value=255))
    elif how == "cut":
        del data[position:]
    elif how == "insert":
        data[position:position] = draw(st.binary(min_size=1, max_size=8))
    elif how == "delete":
        del data[position : position + draw(st.integers(min_value=1, max_value=64))]
    else:
        data[position:position] = data[
            position : position + draw(st.integers(min_value=1, max_value=64))
        ]
    return bytes(data)


@st.composite
def field_replaced(draw: st.DrawFn) -> bytes:
    metainfo = bencodepy.decode(draw(st.sampled_from(SAMPLES)))
    key = draw(st.sampled_from(INFO_KEYS))
    metainfo[b"info"][key] = draw(bencodable())
    encoded: bytes = bencodepy.encode(metainfo)
    return encoded


def encoded_value() -> st.SearchStrategy[bytes]:
    return bencodable().map(bencodepy.encode)


FUZZ = hypothesis_settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def check_upload(board: Board, data: bytes) -> None:
    before = row_counts(board.settings)
    status = board.upload(data)
    assert status == 201 or status in REFUSED, status
    if status != 201:
        assert row_counts(board.settings) == before
    board.assert_store_matches_rows()


@FUZZ
@given(data=st.binary(max_size=4096))
def test_arbitrary_bytes_are_refused_cleanly(board: Board, data: bytes) -> None:
    check_upload(board, data)


@FUZZ
@given(data=encoded_value())
def test_arbitrary_bencoded_values_are_refused_cleanly(board: Board, data: bytes) -> None:
    check_upload(board, data)


@FUZZ
@given(data=mutated_sample())
def test_damaged_real_torrents_are_refused_or_registered_whole(board: Board, data: bytes) -> None:
    check_upload(board, data)


@FUZZ
@given(data=field_replaced())
def test_real_torrents_with_a_field_replaced_are_refused_or_registered_whole(
    board: Board, data: bytes
) -> None:
    check_upload(board, data)


def test_a_failure_after_the_file_is_written_removes_it_again(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "data", environ={})
    with TestClient(create_app(settings)):
        member = add_member(settings, "uploader")
    upload = ReleaseUpload(
        forum_id=999,
        uploader_id=member.id,
        title="No such forum",
        description="x",
        torrent=SAMPLES[0],
    )

    async def register(db: Any) -> None:
        await register_release(
            db,
            settings.attachments_dir,
            upload,
            settings.upload_size_limit,
            max_body_chars=settings.post_max_chars,
        )

    # The forum does not exist: the topic insert fails on its foreign key, after the store.
    with pytest.raises(Exception) as caught:
        on_board(settings, register)

    assert not isinstance(caught.value, ReleaseRefused)
    assert row_counts(settings) == dict.fromkeys(row_counts(settings), 0)
    assert stored_files(settings) == []

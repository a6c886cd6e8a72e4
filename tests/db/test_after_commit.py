"""Effects outside the database (a file to remove, the tracker to tell) happen after the
write that caused them has committed, never after a rollback, and one failing effect
neither undoes the write nor stops the others."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tinypier.db.connection import Database, after_commit


def run_with_database(path: Path, body: Callable[[Database], Awaitable[None]]) -> None:
    async def main() -> None:
        db = Database(path)
        await db.open()
        try:
            await db.execute("CREATE TABLE notes (text TEXT NOT NULL)")
            await body(db)
        finally:
            await db.close()

    asyncio.run(main())


def test_an_effect_runs_after_the_commit_and_sees_the_committed_row(tmp_path: Path) -> None:
    seen: list[object] = []

    async def body(db: Database) -> None:
        async def count_notes() -> None:
            seen.append(await db.fetch_value("SELECT COUNT(*) FROM notes"))

        async with db.transaction() as connection:
            await connection.execute("INSERT INTO notes VALUES ('kept')")
            after_commit(count_notes)
            after_commit(lambda: seen.append("second, in order"))
            assert seen == [], "nothing runs before the commit"

    run_with_database(tmp_path / "board.db", body)
    assert seen == [1, "second, in order"]


def test_a_rolled_back_transaction_runs_none_of_its_effects(tmp_path: Path) -> None:
    seen: list[str] = []

    async def body(db: Database) -> None:
        with pytest.raises(ValueError, match="refused"):
            async with db.transaction() as connection:
                await connection.execute("INSERT INTO notes VALUES ('lost')")
                after_commit(lambda: seen.append("removed a file"))
                raise ValueError("refused")
        assert await db.fetch_value("SELECT COUNT(*) FROM notes") == 0
        async with db.transaction():
            pass  # the next transaction starts with no leftover effects

    run_with_database(tmp_path / "board.db", body)
    assert seen == []


def test_an_effect_may_write_again_since_the_lock_is_released(tmp_path: Path) -> None:
    async def body(db: Database) -> None:
        async def write_again() -> None:
            await db.execute("INSERT INTO notes VALUES ('from the effect')")

        async with db.transaction() as connection:
            await connection.execute("INSERT INTO notes VALUES ('first')")
            after_commit(write_again)
        assert await db.fetch_value("SELECT COUNT(*) FROM notes") == 2

    run_with_database(tmp_path / "board.db", body)


def test_a_failing_effect_is_logged_and_the_others_still_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str] = []

    def fail() -> None:
        raise OSError("disk gone")

    async def body(db: Database) -> None:
        async with db.transaction() as connection:
            await connection.execute("INSERT INTO notes VALUES ('stands')")
            after_commit(fail)
            after_commit(lambda: seen.append("still ran"))
        assert await db.fetch_value("SELECT COUNT(*) FROM notes") == 1

    with caplog.at_level(logging.ERROR):
        run_with_database(tmp_path / "board.db", body)
    assert seen == ["still ran"]
    assert "after-commit effect failed" in caplog.text


def test_registering_an_effect_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"outside Database\.transaction"):
        after_commit(lambda: None)

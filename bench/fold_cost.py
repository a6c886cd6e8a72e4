"""What folding the credit log costs per row: CPU, and the WAL it writes.

    .venv/bin/python bench/fold_cost.py seed /tmp/fold-board                 # 20,000 peers
    .venv/bin/python bench/fold_cost.py seed /tmp/fold-big --peers 200000 --torrents 10000 \\
        --members 10000
    .venv/bin/python bench/fold_cost.py run /tmp/fold-board --rows 5000        # prints figures
    valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/fold_cost.py run /tmp/fold-board --rows 5000 [--no-fold]

``seed`` makes a board with ``bench/board_seed.py`` (the board the announce benches use,
with its ``transfers`` history). ``run`` copies it, appends ``--rows`` rows to a credit-log
file as the tracker writes them (re-announces of peers picked at random, each with a new
upload counter and credit: on a board this size nearly every row is a different peer and
transfer, so the fold cannot merge them), then folds them ``--chunk`` rows per
transaction on a connection like the tracker's folding one, and prints the CPU per folded
row and the WAL frames and bytes the fold added to the board's database.

``--split`` also times each statement of the fold (``creditlog.FOLD``) and prints its CPU
per folded row; what is left of the whole is reading the rows, the marks and the commit.

Under a loaded machine the CPU time moves; callgrind's instruction count does not. Run
``run`` twice under callgrind, with and without ``--no-fold`` (everything but the fold),
and divide the difference of the two totals by ``--rows``: that is the fold's cost per
row, interpreter start and seeding excluded. Give ``PYTHONPATH=<checkout>`` to measure
another version; seed its board with that checkout too (its migrations may differ).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
WAL_FRAME_HEADER = 24


def seed(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(HERE))
    from board_seed import make_swarms, seed_board

    swarms = make_swarms(args.torrents, args.members, args.peers)
    started = time.monotonic()
    seed_board(Path(args.board), swarms)
    print(f"seeded {args.board} in {time.monotonic() - started:.1f} s")


def log_rows(connection: sqlite3.Connection, count: int, at: int) -> list[tuple[object, ...]]:
    """``count`` re-announces of random stored peers, as ``saved_row`` builds them."""
    from tinypier.tracker.rules import client_name

    rng = random.Random(3)
    peers = connection.execute('SELECT torrent_id, user_id, peer_id, port, "left" FROM peers')
    counts = {
        torrent_id: (seeders, leechers)
        for torrent_id, seeders, leechers in connection.execute(
            "SELECT id, seeders, leechers FROM torrents"
        )
    }
    rows = []
    for torrent_id, user_id, peer_id, port, left in rng.choices(sorted(map(tuple, peers)), k=count):
        uploaded = rng.randrange(1, 1 << 40)
        credit = rng.randrange(1, 1 << 24)
        rows.append((torrent_id, user_id, peer_id, 0, uploaded, 0, left, "127.0.0.1", "",
                     port, credit, 0, 1800 if left == 0 else 0, 0, *counts[torrent_id], at,
                     client_name(peer_id)))  # fmt: skip
    return rows


STATEMENT_NAMES = ("stopped peers", "peers", "users", "transfers", "snatches",
                   "torrents figures", "torrents last seeder")  # fmt: skip
"""What each statement of ``creditlog.FOLD`` writes, in its order."""


def time_each_statement() -> Counter[str]:
    """Make the fold time each of its statements (CPU seconds, by name), as
    ``creditlog._fold_taken_rows`` runs them."""
    from tinypier.tracker import creditlog

    assert len(creditlog.FOLD) == len(STATEMENT_NAMES), "name the fold's new statement"
    if not str(creditlog.__file__).endswith(".py"):
        sys.exit("--split times the pure build only: a compiled module calls its own functions")
    spent: Counter[str] = Counter()

    def timed(main: sqlite3.Connection) -> None:
        try:
            for name, sql in zip(STATEMENT_NAMES, creditlog.FOLD, strict=True):
                started = time.process_time()
                main.execute(sql)
                spent[name] += time.process_time() - started
        finally:
            main.execute("DELETE FROM temp.fold_rows")

    creditlog._fold_taken_rows = timed
    return spent


def run(args: argparse.Namespace) -> None:
    spent = time_each_statement() if args.split else Counter[str]()
    from tinypier.tracker.creditlog import (
        APPEND,
        attach_log_file,
        begin_immediate,
        fold_whole_log_file,
        log_file_connection,
        prepare_log,
    )
    from tinypier.tracker.store import _writer_connection

    with tempfile.TemporaryDirectory(prefix="tinypier-fold-") as directory:
        source = Path(args.board) / "tinypier.sqlite3"
        if not source.exists():
            source = next(Path(args.board).glob("*.sqlite3"))
        path = Path(directory) / source.name
        shutil.copyfile(source, path)
        connection = _writer_connection(path)
        # What the tracker writes at start (store.write_swarm_figures): re-announces
        # then leave each release's seeders and leechers as they are.
        connection.execute(
            "UPDATE torrents SET seeders = c.seeders, leechers = c.leechers FROM (SELECT"
            ' torrent_id, SUM("left" = 0) AS seeders, SUM("left" > 0) AS leechers FROM peers'
            " GROUP BY torrent_id) AS c WHERE c.torrent_id = torrents.id"
        )
        rows = log_rows(connection, args.rows, int(time.time()))
        log_path = path.with_name("credit-log.sqlite3")
        log_file = log_file_connection(log_path)
        prepare_log(connection, log_file)
        attach_log_file(connection, log_path)
        begin_immediate(log_file)
        log_file.executemany(APPEND, rows)
        log_file.execute("COMMIT")
        log_file.close()
        connection.execute("PRAGMA main.wal_checkpoint(TRUNCATE)")
        wal = path.with_name(path.name + "-wal")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        started = time.process_time()
        folded = 0
        if not args.no_fold:
            folded = fold_whole_log_file(connection, begin_immediate, args.chunk, 100_000)[0]
        seconds = time.process_time() - started
        wal_bytes = wal.stat().st_size if wal.exists() else 0
        frames = wal_bytes // (page_size + WAL_FRAME_HEADER)
        left = connection.execute(
            "SELECT COUNT(*) FROM credit_log_file.credit_log WHERE id >"
            " (SELECT credit_log_through FROM credit_fold_marks)"
        ).fetchone()[0]
        connection.close()
    per_row = max(folded, 1)
    print(json.dumps({
        "rows": args.rows, "folded": folded, "left_in_log": left, "chunk": args.chunk,
        "cpu_us_per_row": round(seconds * 1e6 / per_row, 2),
        "wal_frames_per_row": round(frames / per_row, 3),
        "wal_bytes_per_row": round(wal_bytes / per_row),
        **{f"{name} us_per_row": round(cpu * 1e6 / per_row, 2) for name, cpu in spent.items()},
    }))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seeding = commands.add_parser("seed", help="make a board")
    seeding.add_argument("board")
    seeding.add_argument("--torrents", type=int, default=1000)
    seeding.add_argument("--members", type=int, default=1000)
    seeding.add_argument("--peers", type=int, default=20_000)
    running = commands.add_parser("run", help="append and fold log rows on a copy")
    running.add_argument("board")
    running.add_argument("--rows", type=int, default=5000)
    running.add_argument("--chunk", type=int, default=20_000, help="the writer's default")
    running.add_argument("--no-fold", action="store_true", help="everything but the fold")
    running.add_argument("--split", action="store_true", help="also time each statement")
    args = parser.parse_args()
    seed(args) if args.command == "seed" else run(args)


if __name__ == "__main__":
    main()

"""Do forum pages stay fast as the board grows? Pages/s on a small and a large board.

Seeds two boards of the same shape with ``forum_seed.py`` (by default 100 topics / 1,000
posts and 100,000 topics / 1,000,000 posts), serves each with ``tinypier serve`` on a
free loopback port, and times the pages a reader opens most: the index, a forum page, the
first and the last page of the board's longest topic, and two searches. Both servers run
at once and the measurement alternates between them in short rounds, so a burst of other
work on the machine hits both boards alike; the rate is one over the median request
time. Each request is checked (status 200, and the page holds what it should) before it
counts.

    .venv/bin/python bench/forum_pages.py                  # seeds into a temporary directory
    .venv/bin/python bench/forum_pages.py --boards /tmp/b  # keeps (and reuses) the boards

Prints a Markdown table (pages/s per board, ratio large/small; the target is >= 0.8) and
the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx
from common import HOST, free_port, machine, serving, tinypier_serve
from forum_seed import SHAPE, BoardShape, seed_forum_board

TARGET_RATIO = 0.8


@dataclass(frozen=True)
class PageType:
    label: str
    path: str
    must_contain: tuple[str, ...]


def page_types(shape: BoardShape) -> list[PageType]:
    topic = f"/topics/{shape.long_topic_id}"
    return [
        PageType("Forum index", "/", ("Forum 10",)),
        PageType("Forum page", f"/forums/{shape.forum_id}", ('href="/topics/',)),
        PageType("Topic, first page", f"{topic}?page=1", (f"Topic {shape.long_topic_id}:",)),
        PageType("Topic, last page", f"{topic}?page=last", (f"Topic {shape.long_topic_id}:",)),
        # A full page on both boards: the same work to show, whatever the board's size.
        PageType(
            "Search, 3 % of posts match",
            f"/search?q={shape.search_word}",
            ("<mark>", 'rel="next"'),
        ),
        PageType("Search, 20 posts match", f"/search?q={shape.rare_word}", ("<mark>",)),
    ]


def board(directory: Path, name: str, topics: int, posts: int) -> tuple[Path, BoardShape]:
    """The board in ``directory/name-shapeN``, seeded once; its shape is kept beside it.

    The shape number in the name keeps a board seeded by an older ``forum_seed.py`` from
    being measured as if it were the current one (and leaves it for its owner to delete).
    """
    stem = f"{name}-shape{SHAPE}"
    data_dir, shape_file = directory / stem, directory / f"{stem}.json"
    if shape_file.exists():
        return data_dir, BoardShape(**json.loads(shape_file.read_text()))
    print(f"seeding the {name} board: {topics:,} topics, {posts:,} posts ...", flush=True)
    shape = seed_forum_board(data_dir, topics, posts)
    shape_file.write_text(json.dumps(asdict(shape)))
    print(f"  done in {shape.seconds} s", flush=True)
    return data_dir, shape


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """The board's base URL while ``tinypier serve`` runs it on a free port."""
    port = free_port()
    with serving(tinypier_serve(data_dir, port), port, data_dir / "serve.log", data_dir):
        yield f"http://{HOST}:{port}"


def request_times(client: httpx.Client, page: PageType, count: int) -> list[float]:
    """Seconds each of ``count`` sequential requests took, over one kept-alive connection."""
    times = []
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(page.path)
        times.append(time.perf_counter() - started)
        missing = [text for text in page.must_contain if text not in response.text]
        if response.status_code != 200 or missing:
            raise RuntimeError(f"{page.path}: {response.status_code}, missing {missing!r}")
    return times


def pages_per_second(
    clients: dict[str, httpx.Client], pages: dict[str, PageType], requests: int, rounds: int
) -> dict[str, float]:
    """1 / median request time, boards taking turns (first, then last) after a warm-up.

    The median, not the mean: on a shared machine a burst of someone else's work lands
    on a few requests of one board, and should not decide the ratio.
    """
    for name, client in clients.items():
        request_times(client, pages[name], 5)
    times: dict[str, list[float]] = {name: [] for name in clients}
    order = list(clients)
    for _ in range(rounds):
        for name in order:
            times[name] += request_times(clients[name], pages[name], requests // rounds)
        order.reverse()
    return {name: 1 / statistics.median(samples) for name, samples in times.items()}


def table(shapes: dict[str, BoardShape], results: dict[str, dict[str, float]]) -> str:
    small, large = shapes["small"], shapes["large"]
    lines = [
        f"| Page | small board ({small.topics:,} topics, {small.posts:,} posts) pages/s"
        f" | large board ({large.topics:,} topics, {large.posts:,} posts) pages/s | large/small |",
        "|---|---:|---:|---:|",
    ]
    for label, rates in results.items():
        ratio = rates["large"] / rates["small"]
        mark = "" if ratio >= TARGET_RATIO else " (below target)"
        lines.append(
            f"| {label} | {rates['small']:.0f} | {rates['large']:.0f} | {ratio:.2f}{mark} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--boards", type=Path, help="keep the seeded boards here (reused next time)"
    )
    parser.add_argument(
        "--requests", type=int, default=400, help="requests per page type and board"
    )
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument(
        "--small", type=int, nargs=2, default=(100, 1_000), metavar=("TOPICS", "POSTS")
    )
    parser.add_argument(
        "--large", type=int, nargs=2, default=(100_000, 1_000_000), metavar=("TOPICS", "POSTS")
    )
    arguments = parser.parse_args()
    with ExitStack() as stack:
        directory = arguments.boards or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        directory.mkdir(parents=True, exist_ok=True)
        boards = {
            name: board(directory, name, *getattr(arguments, name)) for name in ("small", "large")
        }
        shapes = {name: shape for name, (_, shape) in boards.items()}
        urls = {
            name: stack.enter_context(served(data_dir)) for name, (data_dir, _) in boards.items()
        }
        clients = {
            name: stack.enter_context(httpx.Client(base_url=url, timeout=60))
            for name, url in urls.items()
        }
        pages = {name: page_types(shape) for name, shape in shapes.items()}
        results = {
            pages["small"][index].label: pages_per_second(
                clients,
                {name: pages[name][index] for name in clients},
                arguments.requests,
                arguments.rounds,
            )
            for index in range(len(pages["small"]))
        }
    print()
    print(table(shapes, results))
    print()
    print(f"Machine: {machine()}")
    print(
        f"pages/s = 1 / median time of {arguments.requests} sequential requests per page and"
        f" board, one kept-alive connection each, boards alternating in {arguments.rounds} rounds."
    )


if __name__ == "__main__":
    main()

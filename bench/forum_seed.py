"""A forum of any size made by SQL in minutes: members, forums, topics, posts, search index.

Posting a million posts through the app would take hours; this writes the same rows the
app writes (``tinypier.forum.posting``), with ``executemany`` in large transactions, and
sets every denormalised counter (forum, topic and member post counts, last posts) to what
the app would have left. Post bodies are a hundred BBCode texts rendered once each with
the app's own ``render_bbcode`` and reused. The search index (migrations 0003 and 0010:
each post's folded words and their stems) is rebuilt in one pass once the posts are in.

Every board has the same shape whatever its size, so a small and a large board compare:
ten forums in two categories, half of the topics in the first one, one member per hundred
posts, one long topic holding 1 % of all posts (at least four pages), the other posts
spread evenly over the other topics, three body texts in a hundred containing the word
``SEARCH_WORD`` (a third of the cycle apart, so that each such post sits in its own topic),
and twenty posts (whatever the size) containing ``RARE_WORD``. ``SHAPE`` numbers this
shape: a board seeded with another one is not the same benchmark.

    .venv/bin/python bench/forum_seed.py DATA_DIR --topics 100000 --posts 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from tinypier.accounts.passwords import hash_password_sync
from tinypier.datadir import prepare_data_dir
from tinypier.db.connection import connect_sync
from tinypier.demo.texts import sentence, vocabulary
from tinypier.forum.bbcode import render_bbcode
from tinypier.settings import load_settings

FORUM_COUNT = 10
CATEGORIES = ("Community", "Releases")
POSTS_PER_MEMBER = 100
LONG_TOPIC_SHARE = 0.01
# Enough posts for four full pages, so both boards show full first and last pages.
LONG_TOPIC_MIN_POSTS = 100
TEMPLATE_COUNT = 100
# Bump when the seeded content changes: boards kept from an older shape are not reused.
SHAPE = 2
# The body texts holding the search word: 3 % of posts. Search lists one post per topic,
# so these are a third of the cycle apart: 33 posts between two matches, more than any
# topic but the long one holds, put each match in its own topic, and the small board has
# a full page of results (and a next one), as the large board has. Not text 0: on the
# small board every other post whose id is a multiple of 50 holds the rare word instead.
SEARCH_TEMPLATE_NUMBERS = (1, 34, 67)
SEARCH_WORD = "zephyr"
# A word in a fixed number of posts whatever the board's size: a search whose result
# count does not grow with the board.
RARE_WORD = "quokka"
RARE_WORD_POSTS = 20
BATCH = 50_000
PASSWORD = "bench password"
START_TIME = 1_600_000_000
SECONDS_BETWEEN_POSTS = 7
SEARCH_TRIGGER = "post_search_post_insert"


@dataclass(frozen=True)
class BoardShape:
    """What the page benchmark requests: the busiest forum, the long topic, a search word."""

    topics: int
    posts: int
    members: int
    forum_id: int
    long_topic_id: int
    long_topic_posts: int
    search_word: str
    rare_word: str
    seconds: float


def body_templates(rng: random.Random) -> list[tuple[str, str]]:
    """(BBCode, HTML) pairs: paragraphs with the tags members use; three hold SEARCH_WORD."""
    words = vocabulary(rng)
    templates = []
    for number in range(TEMPLATE_COUNT):
        paragraphs = [sentence(rng, words) for _ in range(rng.randint(2, 5))]
        if number in SEARCH_TEMPLATE_NUMBERS:
            paragraphs.append(f"The {SEARCH_WORD} release is [b]great[/b].")
        body = (
            f"[quote=member{number}]{sentence(rng, words)}[/quote]\n"
            + "\n\n".join(paragraphs)
            + f"\n[url=https://example.org/{number}]more[/url] [i]{rng.choice(words)}[/i]"
        )
        templates.append((body, render_bbcode(body)))
    return templates


def rare_template() -> tuple[str, str]:
    body = f"Has anyone found the [i]{RARE_WORD}[/i] edition?"
    return body, render_bbcode(body)


def _insert_members(connection: sqlite3.Connection, count: int) -> None:
    password_hash = hash_password_sync(PASSWORD)
    rows = (
        (
            f"member{number}",
            password_hash,
            "admin" if number == 1 else "user",
            secrets.token_hex(16),
            secrets.token_hex(16),
            START_TIME,
        )
        for number in range(1, count + 1)
    )
    connection.executemany(
        "INSERT INTO users (name, password_hash, role, disabled, passkey, feed_token, created_at,"
        " uploaded, downloaded, post_count, invite_quota) VALUES (?, ?, ?, 0, ?, ?, ?, 0, 0, 0, 2)",
        rows,
    )


def _insert_forums(connection: sqlite3.Connection) -> list[int]:
    for position, name in enumerate(CATEGORIES):
        connection.execute(
            "INSERT INTO categories (name, position) VALUES (?, ?)", (name, position)
        )
    forum_ids = []
    for number in range(FORUM_COUNT):
        cursor = connection.execute(
            "INSERT INTO forums (category_id, name, description, position, allows_releases,"
            " view_role, topic_role, reply_role, download_role, topic_count, post_count)"
            " VALUES (?, ?, ?, ?, ?, 'guest', 'user', 'user', 'user', 0, 0)",
            (
                number % len(CATEGORIES) + 1,
                f"Forum {number + 1}",
                f"Everything about subject {number + 1}.",
                number,
                number % len(CATEGORIES),
            ),
        )
        forum_ids.append(cursor.lastrowid or 0)
    return forum_ids


def posts_per_topic(topics: int, posts: int) -> list[int]:
    """The long topic first, then the rest spread evenly (each topic has its first post)."""
    long_topic = max(LONG_TOPIC_MIN_POSTS, int(posts * LONG_TOPIC_SHARE))
    rest, others = posts - long_topic, topics - 1
    base, extra = divmod(rest, others)
    if base < 1:
        raise ValueError("need at least one post per topic")
    return [long_topic] + [base + (1 if index < extra else 0) for index in range(others)]


@dataclass
class _Counters:
    forum_topics: dict[int, int]
    forum_posts: dict[int, int]
    forum_last_post: dict[int, int]
    member_posts: dict[int, int]


def forum_of_topic(forum_ids: list[int], topic_id: int) -> int:
    """Every other topic goes to the first forum, so its first page is full on any board."""
    if topic_id % 2 == 1:
        return forum_ids[0]
    return forum_ids[1 + (topic_id // 2) % (len(forum_ids) - 1)]


def _topic_rows(
    forum_ids: list[int], counts: list[int], members: int, rng: random.Random
) -> Iterator[tuple[tuple[object, ...], list[tuple[int, int]]]]:
    """Each topic row with its final counters, and its posts as (author, created_at)."""
    post_id, clock = 0, START_TIME
    words = vocabulary(rng)
    for topic_id, count in enumerate(counts, start=1):
        forum_id = forum_of_topic(forum_ids, topic_id)
        posts = []
        for _ in range(count):
            clock += SECONDS_BETWEEN_POSTS
            posts.append((rng.randint(1, members), clock))
        post_id += count
        title = f"Topic {topic_id}: " + " ".join(rng.choices(words, k=4))
        row = (topic_id, forum_id, posts[0][0], title, posts[0][1], clock, post_id, count)
        yield row, posts


def _insert_topics_and_posts(
    connection: sqlite3.Connection,
    forum_ids: list[int],
    counts: list[int],
    members: int,
    rng: random.Random,
) -> _Counters:
    templates = body_templates(rng)
    rare = rare_template()
    rare_every = max(1, sum(counts) // RARE_WORD_POSTS)
    counters = _Counters({}, {}, {}, {})
    topics: list[tuple[object, ...]] = []
    posts: list[tuple[object, ...]] = []
    post_id = 0
    for row, topic_posts in _topic_rows(forum_ids, counts, members, rng):
        topics.append(row)
        topic_id, forum_id = int(str(row[0])), int(str(row[1]))
        counters.forum_topics[forum_id] = counters.forum_topics.get(forum_id, 0) + 1
        counters.forum_posts[forum_id] = counters.forum_posts.get(forum_id, 0) + len(topic_posts)
        for author, created_at in topic_posts:
            post_id += 1
            body, html = templates[post_id % TEMPLATE_COUNT]
            if post_id % rare_every == 0:
                body, html = rare
            posts.append((post_id, topic_id, author, body, html, created_at))
            counters.member_posts[author] = counters.member_posts.get(author, 0) + 1
        counters.forum_last_post[forum_id] = post_id
        if len(posts) >= BATCH:
            _flush(connection, topics, posts)
    _flush(connection, topics, posts)
    return counters


def _flush(
    connection: sqlite3.Connection,
    topics: list[tuple[object, ...]],
    posts: list[tuple[object, ...]],
) -> None:
    """Topics before their posts: the search trigger reads the topic's title."""
    connection.executemany(
        "INSERT INTO topics (id, forum_id, author_id, title, created_at, last_post_at,"
        " last_post_id, post_count, pin, locked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)",
        topics,
    )
    connection.executemany(
        "INSERT INTO posts (id, topic_id, author_id, body, body_html, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        posts,
    )
    topics.clear()
    posts.clear()


def _write_counters(connection: sqlite3.Connection, counters: _Counters) -> None:
    connection.executemany(
        "UPDATE forums SET topic_count = ?, post_count = ?, last_post_id = ? WHERE id = ?",
        [
            (topics, counters.forum_posts[forum_id], counters.forum_last_post[forum_id], forum_id)
            for forum_id, topics in counters.forum_topics.items()
        ],
    )
    connection.executemany(
        "UPDATE users SET post_count = ? WHERE id = ?",
        [(count, member) for member, count in counters.member_posts.items()],
    )


@contextmanager
def search_index_built_at_the_end(connection: sqlite3.Connection) -> Iterator[None]:
    """Index all posts in one pass instead of one trigger call per post.

    The insert trigger of migration 0010 is set aside while posts go in, then put back
    from its own SQL text, and FTS5's ``rebuild`` indexes every post from the same view the
    trigger reads (whose word-form functions ``connect_sync`` registers): the index ends up
    as the trigger would have left it, several times faster.
    """
    (trigger_sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (SEARCH_TRIGGER,)
    ).fetchone()
    connection.execute(f"DROP TRIGGER {SEARCH_TRIGGER}")
    yield
    connection.execute(trigger_sql)
    connection.execute("INSERT INTO post_search (post_search) VALUES ('rebuild')")


def seed_forum_board(data_dir: Path, topics: int, posts: int, seed: int = 1) -> BoardShape:
    """Create a board in the empty ``data_dir`` (the app's own migrations make the schema)."""
    started = time.perf_counter()
    settings = load_settings(data_dir, environ={})
    prepare_data_dir(settings)
    members = max(1, posts // POSTS_PER_MEMBER)
    counts = posts_per_topic(topics, posts)
    rng = random.Random(seed)
    connection = connect_sync(settings.database_path)
    try:
        # A board being built has nothing to lose: no journal, no syncs, a big page cache.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -1000000")
        connection.execute("BEGIN")
        _insert_members(connection, members)
        forum_ids = _insert_forums(connection)
        with search_index_built_at_the_end(connection):
            counters = _insert_topics_and_posts(connection, forum_ids, counts, members, rng)
        _write_counters(connection, counters)
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.execute("PRAGMA journal_mode = WAL")
    finally:
        connection.close()
    return BoardShape(
        topics=topics,
        posts=posts,
        members=members,
        forum_id=forum_ids[0],
        long_topic_id=1,
        long_topic_posts=counts[0],
        search_word=SEARCH_WORD,
        rare_word=RARE_WORD,
        seconds=round(time.perf_counter() - started, 1),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="an empty or missing directory")
    parser.add_argument("--topics", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    arguments = parser.parse_args()
    shape = seed_forum_board(arguments.data_dir, arguments.topics, arguments.posts)
    print(json.dumps(asdict(shape)))


if __name__ == "__main__":
    main()

"""TorrentPier's page addresses redirect permanently to the same things here.

An imported board keeps TorrentPier's ids, so ``viewtopic.php?t=N`` is topic N. Each old
address answers 301 to its page (by route name), or the very answer that page gives: a
private forum's topic is the same 404 as a topic that never existed, for a redirect as
for the page. Addresses that do not parse are 404s, never errors.
"""

from __future__ import annotations

import re

import pytest

from tests.boards import register_torrent
from tests.forum.conftest import Board, Client, log_in, seed_topic
from tests.samples import sample
from tinypier.db.connection import connect_sync
from tinypier.forum.queries import POSTS_PER_PAGE, TOPICS_PER_PAGE


def moved_to(client: Client, address: str) -> str:
    response = client.get(address, follow_redirects=False)
    assert response.status_code == 301, (address, response.status_code)
    location: str = response.headers["location"]
    return location


def status(client: Client, address: str) -> int:
    return client.get(address, follow_redirects=False).status_code


def map_attachment(board: Board, attach_id: int, topic_id: int) -> None:
    """What the importer leaves for a 2.x attachment (migration 0026)."""
    connection = connect_sync(board.settings.database_path)
    try:
        connection.execute(
            "INSERT INTO legacy_attachments (attach_id, topic_id) VALUES (?, ?)",
            (attach_id, topic_id),
        )
        connection.commit()
    finally:
        connection.close()


def test_topic_forum_and_post_addresses_of_2x_and_3_0_lead_to_their_pages(
    client: Client, board: Board
) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Old links", replies=2)
    t, f, p = topic.topic_id, board.public_forum, topic.post_id

    assert moved_to(client, f"/viewtopic.php?t={t}") == f"/topics/{t}"
    assert moved_to(client, f"/viewtopic?t={t}") == f"/topics/{t}"
    assert moved_to(client, f"/threads/old-links.{t}/") == f"/topics/{t}"
    assert moved_to(client, f"/threads/{t}") == f"/topics/{t}"
    assert moved_to(client, f"/threads/v1.2-release.{t}") == f"/topics/{t}"
    assert moved_to(client, f"/viewtopic.php?p={p}") == f"/posts/{p}"
    assert moved_to(client, f"/viewtopic.php?t={t}&p={p}") == f"/posts/{p}"
    assert moved_to(client, f"/viewforum.php?f={f}") == f"/forums/{f}"
    assert moved_to(client, f"/viewforum?f={f}") == f"/forums/{f}"
    assert moved_to(client, f"/forums/chat.{f}/") == f"/forums/{f}"
    assert client.get(f"/viewtopic.php?p={p}").url.fragment == f"post-{p}"
    assert "Old links" in client.get(f"/threads/old-links.{t}/").text


def test_start_offsets_become_the_page_that_holds_them(client: Client, board: Board) -> None:
    topic = seed_topic(board.settings, board.public_forum, board.user, "Long", replies=60)
    t, f = topic.topic_id, board.public_forum

    assert moved_to(client, f"/viewtopic.php?t={t}&start=0") == f"/topics/{t}"
    assert moved_to(client, f"/viewtopic.php?t={t}&start={POSTS_PER_PAGE}") == (
        f"/topics/{t}?page=2"
    )
    assert moved_to(client, f"/threads/long.{t}/?start={2 * POSTS_PER_PAGE + 3}") == (
        f"/topics/{t}?page=3"
    )
    assert moved_to(client, f"/viewforum.php?f={f}&start={TOPICS_PER_PAGE}") == (
        f"/forums/{f}?page=2"
    )
    assert moved_to(client, f"/viewtopic.php?t={t}&start=-5") == f"/topics/{t}"


def test_member_addresses_lead_to_the_profile_which_decides_who_sees_it(
    client: Client, board: Board
) -> None:
    u = board.other_user.id

    assert moved_to(client, f"/profile.php?mode=viewprofile&u={u}") == f"/members/{u}"
    assert moved_to(client, f"/profile.php?u={u}&mode=viewprofile") == f"/members/{u}"
    assert moved_to(client, f"/members/bob.{u}/") == f"/members/{u}"
    log_in(client, board.user)
    assert "bob" in client.get(f"/profile.php?mode=viewprofile&u={u}").text


def test_pages_without_an_id_lead_to_theirs(client: Client, board: Board) -> None:
    assert moved_to(client, "/index.php") == "/"
    assert moved_to(client, "/index.php?c=3") == "/"
    assert moved_to(client, "/categories/general.3/") == "/"
    assert moved_to(client, "/tracker.php") == "/tracker"
    assert moved_to(client, "/memberlist.php") == "/members"
    assert moved_to(client, "/search.php") == "/search"


def test_download_links_lead_to_the_releases_torrent_or_its_topic(
    client: Client, board: Board
) -> None:
    torrent = sample("v1-libtorrent-single.torrent")
    release = register_torrent(board.settings, board.user.id, torrent)
    plain = seed_topic(board.settings, board.public_forum, board.user, "No release")
    map_attachment(board, 9001, release.topic_id)
    map_attachment(board, 9002, plain.topic_id)

    assert moved_to(client, "/dl.php?id=9001") == f"/torrents/{release.torrent_id}/download"
    assert moved_to(client, f"/dl/{release.topic_id}/") == (
        f"/torrents/{release.torrent_id}/download"
    )
    assert moved_to(client, "/dl.php?id=9002") == f"/topics/{plain.topic_id}"
    assert status(client, "/dl.php?id=9003") == 404


def test_a_private_forums_things_are_the_same_404_as_things_that_never_existed(
    client: Client, board: Board
) -> None:
    secret = seed_topic(board.settings, board.private_forum, board.moderator, "Staff only")
    map_attachment(board, 77, secret.topic_id)
    private = [
        f"/viewtopic.php?t={secret.topic_id}",
        f"/threads/staff-only.{secret.topic_id}",
        f"/viewtopic.php?p={secret.post_id}",
        f"/viewforum.php?f={board.private_forum}",
        "/dl.php?id=77",
        f"/dl/{secret.topic_id}",
    ]
    missing = ["/viewtopic.php?t=999999", "/viewtopic.php?p=999999", "/viewforum.php?f=999999"]

    for address in private:
        response = client.get(address, follow_redirects=False)
        assert response.status_code == 404, address
        assert "Staff" not in response.text
    for address in missing:
        assert status(client, address) == 404, address
    assert _message(client, private[0]) == _message(client, missing[0])
    assert _message(client, private[2]) == _message(client, missing[1])
    assert _message(client, private[3]) == _message(client, missing[2])
    log_in(client, board.user)
    assert all(status(client, address) == 404 for address in private)
    client.cookies.clear()
    log_in(client, board.moderator)
    assert all(status(client, address) == 301 for address in private)


def _message(client: Client, address: str) -> str:
    """The error page's message, without what differs between two requests (tokens)."""
    match = re.search(r"<main.*?</main>", client.get(address).text, re.DOTALL)
    assert match
    return match[0]


@pytest.mark.parametrize(
    "address",
    [
        "/viewtopic.php",
        "/viewtopic.php?t=",
        "/viewtopic.php?t=abc",
        "/viewtopic.php?t=1e3",
        "/viewtopic.php?t=-1",
        "/viewtopic.php?t=0",
        "/viewtopic.php?t=99999999999999999999999",
        "/viewtopic.php?t=%00",
        "/viewtopic.php?p=1;DROP",
        "/viewforum.php?f=+1",
        "/profile.php?mode=viewprofile",
        "/profile.php?mode=editprofile&u=1",
        "/profile.php?u=%D9%A3",
        "/dl.php?id=",
        "/dl.php?id=999999999999999999",
        "/dl/abc",
        "/threads/no-id-here",
        "/threads/slug.",
        "/forums/slug.",
        "/members/slug.x",
    ],
)
def test_a_malformed_old_address_is_a_plain_404(client: Client, board: Board, address: str) -> None:
    response = client.get(address, follow_redirects=False)

    assert response.status_code == 404
    assert "Not found" in response.text or "no such" in response.text.lower()


def test_old_addresses_answer_in_the_readers_language(client: Client, board: Board) -> None:
    response = client.get("/viewtopic.php?t=abc", headers={"Accept-Language": "ru"})

    assert response.status_code == 404
    assert "Не найдено" in response.text


def test_a_pages_own_404_is_never_taken_for_an_old_address(client: Client, board: Board) -> None:
    """``/members/N`` of a member who does not exist is the profile page's 404, not a
    redirect to itself; only addresses no route matches are looked at."""
    log_in(client, board.user)

    assert status(client, "/members/999999") == 404
    assert status(client, "/forums/999999") == 404
    assert moved_to(client, "/members/nobody.999999") == "/members/999999"

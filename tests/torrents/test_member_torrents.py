"""A member's torrent pages: what they seed and leech (live peers), what they completed
(with the seeding time and ratio the tracker recorded on each), what they uploaded, what
seeding they still owe (with the time left) and their hit-and-runs. The member and the
moderators see them; other members are refused, guests sent to log in."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.forum.board import sql
from tests.helpers import Member, add_member, login
from tests.hit_and_run.obligations import HOUR, completed
from tests.torrents.releases import Client
from tests.tracker.wire import register_torrent
from tinypier.settings import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        tmp_path / "data",
        environ={},
        hnr_seed_hours="2",
        hnr_window_days="1",
        hnr_max="1",
        torrent_list_page_size="2",
        torrent_list_pages_max="3",
    )


def add_peer(settings: Settings, torrent_id: int, member: Member, left: int) -> None:
    now = int(time.time())
    sql(
        settings,
        "INSERT INTO peers (torrent_id, user_id, peer_id, ipv4, ipv6, port, uploaded, downloaded,"
        " left, client, started_at, last_announce_at) VALUES (?, ?, ?, '203.0.113.7', NULL,"
        " 51413, 2048, 1024, ?, 'Transmission 4.0.5', ?, ?)",
        (torrent_id, member.id, b"-TR4050-" + bytes(12), left, now, now),
    )


def titled(settings: Settings, torrent_id: int, title: str) -> None:
    sql(settings, "UPDATE topics SET title = ? WHERE id = (SELECT topic_id FROM torrents"
        " WHERE id = ?)", (title, torrent_id))  # fmt: skip


@dataclass
class Bob:
    member: Member
    uploader: Member


@pytest.fixture
def bob(client: Client, settings: Settings) -> Bob:
    """A member with a release in every list: one seeded, one leeched, one completed an
    hour ago (half an hour seeded, half its size uploaded), one uploaded, one active and
    one cleared hit-and-run."""
    uploader, bob = add_member(settings, "uploader"), add_member(settings, "bob")
    # The rules have been on for long: the sweep's mark is far behind.
    sql(settings, "UPDATE hit_and_run_sweep SET through_at = 0, through_id = 0")
    seeded = register_torrent(settings, uploader.id, "seeded").id
    titled(settings, seeded, "Seeded Album")
    add_peer(settings, seeded, bob, left=0)
    leeched = register_torrent(settings, uploader.id, "leeched").id
    titled(settings, leeched, "Leeched Film")
    add_peer(settings, leeched, bob, left=250)
    owed = completed(
        settings, bob.id, uploader.id, int(time.time()) - HOUR, seeded=HOUR // 2, uploaded=500
    )
    titled(settings, owed, "Owed Book")
    mine = register_torrent(settings, bob.id, "mine").id
    titled(settings, mine, "Bob Upload")
    for label, cleared in (("Active Debt", None), ("Paid Debt", int(time.time()))):
        torrent_id = register_torrent(settings, uploader.id, label).id
        titled(settings, torrent_id, label)
        sql(
            settings,
            "INSERT INTO hit_and_runs (user_id, torrent_id, completed_at, recorded_at,"
            " cleared_at) VALUES (?, ?, ?, ?, ?)",
            (bob.id, torrent_id, 0, int(time.time()) - HOUR, cleared),
        )
    return Bob(bob, uploader)


def page(client: Client, member: Member, show: str) -> str:
    response = client.get(f"/members/{member.id}/torrents?show={show}")
    assert response.status_code == 200, response.text
    return response.text


def test_a_member_sees_each_of_their_lists(client: Client, bob: Bob) -> None:
    login(client, bob.member.name)

    seeding, leeching = page(client, bob.member, "seeding"), page(client, bob.member, "leeching")
    assert "Seeded Album" in seeding and "Leeched Film" not in seeding
    assert "Leeched Film" in leeching and "75.0%" in leeching
    snatched = page(client, bob.member, "snatched")
    assert "Owed Book" in snatched
    assert "30 minutes" in snatched and "0.50" in snatched, "seed time and ratio on it"
    assert "Bob Upload" in page(client, bob.member, "uploaded")


def test_pending_obligations_show_what_is_still_owed_and_the_time_left(
    client: Client, bob: Bob
) -> None:
    login(client, bob.member.name)

    owed = page(client, bob.member, "owed")

    assert "Owed Book" in owed
    assert "Each completed release owes 2 hours of seeding within 1 day of completing it." in owed
    row = re.search(r"<tr>\s*<td><a[^>]*>Owed Book</a>.*?</tr>", owed, re.S)
    assert row is not None
    assert "90 minutes" in row.group(0), "two hours owed, half an hour seeded"
    assert "23 hours" in row.group(0), "completed an hour ago, a day to seed in"


def test_hit_and_runs_show_active_and_cleared_ones_and_the_block(client: Client, bob: Bob) -> None:
    login(client, bob.member.name)

    listed = page(client, bob.member, "hit-and-runs")

    assert listed.index("Active Debt") < listed.index("Paid Debt"), "active ones first"
    assert "hit-and-run-active" in listed and "hit-and-run-cleared" in listed
    assert "1 active hit-and-run: from 1 on, downloading .torrent files" in listed


def test_lists_are_paged_and_bounded_by_the_settings(
    client: Client, settings: Settings, bob: Bob
) -> None:
    for label in ("Extra One", "Extra Two"):
        titled(settings, register_torrent(settings, bob.member.id, label).id, label)
    login(client, bob.member.name)

    first = page(client, bob.member, "uploaded")
    second = client.get(f"/members/{bob.member.id}/torrents?show=uploaded&page=2").text

    assert "Extra Two" in first and "Extra One" in first and "Bob Upload" not in first
    assert "Bob Upload" in second
    assert "page=2" in first
    too_far = client.get(f"/members/{bob.member.id}/torrents?show=uploaded&page=4")
    assert too_far.status_code == 404
    assert "at most 3 pages" in too_far.text


def test_moderators_see_a_members_lists_other_members_are_refused(
    client: Client, settings: Settings, bob: Bob
) -> None:
    login(client, add_member(settings, "mod", "moderator").name)
    assert "Active Debt" in page(client, bob.member, "hit-and-runs")

    login(client, add_member(settings, "nosy").name)
    refused = client.get(f"/members/{bob.member.id}/torrents?show=snatched")
    assert refused.status_code == 403
    assert "Owed Book" not in refused.text


def test_guests_are_sent_to_log_in(client: Client, bob: Bob) -> None:
    response = client.get(f"/members/{bob.member.id}/torrents", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_the_profile_links_the_torrent_pages_for_who_may_see_them(
    client: Client, settings: Settings, bob: Bob
) -> None:
    link = f'href="/members/{bob.member.id}/torrents"'
    login(client, bob.member.name)
    assert link in client.get(f"/members/{bob.member.id}").text
    login(client, add_member(settings, "nosy").name)
    assert link not in client.get(f"/members/{bob.member.id}").text


def test_the_owed_seeding_reads_in_russian(client: Client, bob: Bob) -> None:
    login(client, bob.member.name)

    owed = client.get(
        f"/members/{bob.member.id}/torrents?show=owed",
        headers={"Accept-Language": "ru-RU,ru;q=0.9"},
    ).text

    terms = "Каждую скачанную раздачу нужно раздавать 2 часа; срок — 1 день после скачивания."
    assert terms in owed
    row = re.search(r"<tr>\s*<td><a[^>]*>Owed Book</a>.*?</tr>", owed, re.S)
    assert row is not None
    assert "90 минут" in row.group(0) and "23 часа" in row.group(0)

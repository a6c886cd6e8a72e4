"""TorrentPier's announce and scrape URLs reach the same tracker as ``/announce/<passkey>``.

Every torrent a member of an imported board seeds holds ``/bt/announce.php?uk=<passkey>``
(3.0 also routes ``/bt/announce`` and ``/bt/scrape(.php)``); the tracker must answer them
with the member's old passkey, byte for byte as it answers its own URLs, or every
imported torrent stops updating. The parameter's name is TorrentPier's ``passkey_key``,
the site setting ``legacy_passkey_param``.
"""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from tests.helpers import Member, add_member, with_passkey
from tests.tracker.test_live_settings import save_as_admin
from tests.tracker.wire import (
    announce_fields,
    fetch,
    get,
    peer_id,
    query,
    register_torrent,
)
from tinypier.access_log import loggable_target
from tinypier.settings import Settings, SettingsError, load_settings
from tinypier.tracker.http import parse_head

TORRENTPIER_PASSKEY = "Xy7kQ2mN9pLr4sTv8wZa"  # 20 characters, as 2.4+ makes them
MB = 1024 * 1024


def imported(settings: Settings, name: str) -> Member:
    """A member whose passkey came over from TorrentPier unchanged."""
    return with_passkey(settings, add_member(settings, name), TORRENTPIER_PASSKEY)


@pytest.mark.parametrize("path", ["/bt/announce.php", "/bt/announce", "/bt/index.php", "/bt"])
def test_an_old_announce_url_credits_the_member_as_the_new_one_does(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, path: str
) -> None:
    torrent = register_torrent(settings, alice.id, "old url").key
    bob = imported(settings, "bob")
    fields = announce_fields(torrent, peer_id(label="bob"), left=MB)

    started = get(tracker_client, f"{path}?uk={bob.passkey}&{query(**fields, event='started')}")
    fields.update(downloaded=MB, left=0)
    done = get(tracker_client, f"{path}?{query(**fields, event='completed')}&uk={bob.passkey}")
    again = get(tracker_client, f"/announce/{bob.passkey}?{query(**fields)}")

    assert b"failure reason" not in started
    assert started.keys() == again.keys()
    assert done[b"complete"] == again[b"complete"] == 1
    assert fetch(settings, "SELECT downloaded FROM users WHERE id = ?", bob.id) == [(MB,)]
    assert fetch(settings, "SELECT COUNT(*) FROM snatches WHERE user_id = ?", bob.id) == [(1,)]


@pytest.mark.parametrize("path", ["/bt/scrape.php", "/bt/scrape"])
def test_an_old_scrape_url_answers_as_the_new_one(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, path: str
) -> None:
    torrent = register_torrent(settings, alice.id, "scraped").key
    bob = imported(settings, "bob")
    get(tracker_client, f"/announce/{alice.passkey}?{query(**announce_fields(torrent, b'a' * 20))}")
    hashes = query(info_hash=[torrent])

    old = tracker_client.get(f"{path}?uk={bob.passkey}&{hashes}")
    new = tracker_client.get(f"/scrape/{bob.passkey}?{hashes}")

    assert old.content == new.content
    assert old.headers["content-type"] == new.headers["content-type"]
    assert get(tracker_client, f"{path}?uk={bob.passkey}&{hashes}")[b"files"][torrent] == {
        b"complete": 1,
        b"incomplete": 0,
        b"downloaded": 0,
    }


@pytest.mark.parametrize(
    ("target", "new_target"),
    [
        ("/bt/announce.php?info_hash=x", "/announce?info_hash=x"),
        ("/bt/announce.php?uk=nosuchkey&info_hash=x", "/announce/nosuchkey?info_hash=x"),
        ("/bt/announce.php?uk=&port=1", "/announce?port=1"),
        ("/bt/scrape.php?uk=nosuchkey", "/scrape/nosuchkey"),
    ],
)
def test_refusals_at_the_old_urls_are_the_new_urls_refusals(
    tracker_client: TestClient[Any], target: str, new_target: str
) -> None:
    old = tracker_client.get(target)
    new = tracker_client.get(new_target)

    assert old.status_code == new.status_code == 200
    assert old.content == new.content
    assert b"failure reason" in old.content


def test_the_passkey_parameter_is_the_one_the_site_setting_names(
    settings: Settings, tracker_client: TestClient[Any], alice: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "renamed").key
    bob = imported(settings, "bob")
    admin = add_member(settings, "root", role="admin")
    fields = query(**announce_fields(torrent, peer_id(label="bob"), left=1))
    save_as_admin(tracker_client, admin, "legacy_passkey_param", "pk")

    under_old_name = get(tracker_client, f"/bt/announce.php?uk={bob.passkey}&{fields}")
    under_new_name = get(tracker_client, f"/bt/announce.php?pk={bob.passkey}&{fields}")

    assert b"failure reason" in under_old_name
    assert b"failure reason" not in under_new_name


def test_the_fast_front_reads_the_old_urls_and_leaves_the_rest_alone() -> None:
    head = b"GET /bt/announce.php?uk=Xy7k&info_hash=%01&port=1 HTTP/1.1\r\nHost: t"
    announce = parse_head(head, b"uk")
    scrape = parse_head(b"GET /bt/scrape?info_hash=%01&uk=Ab%43 HTTP/1.1\r\nHost: t", b"uk")

    assert announce is not None
    assert (announce.path, announce.scrape, announce.passkey) == ("/bt/announce.php", False, "Xy7k")
    assert announce.query == b"uk=Xy7k&info_hash=%01&port=1"
    assert scrape is not None
    assert (scrape.scrape, scrape.passkey) == (True, "AbC")
    assert parse_head(b"GET /bt/announce.php?pk=Xy7k HTTP/1.1", b"pk").passkey == "Xy7k"  # type: ignore[union-attr]
    for also in (b"/bt/index.php?uk=1", b"/bt?uk=1", b"/bt/?uk=1"):  # 3.0 routes these too
        assert parse_head(b"GET " + also + b" HTTP/1.1\r\nHost: t", b"uk").passkey == "1"  # type: ignore[union-attr]
    for other in (b"/bt/announce.phpx?uk=1", b"/bt/scrape.php/x?uk=1", b"/btx?uk=1"):
        assert parse_head(b"GET " + other + b" HTTP/1.1\r\nHost: t", b"uk") is None


@pytest.mark.parametrize("bad", ["", "u k", "info_hash", "port", "x" * 33, "uk&x", "ук"])
def test_a_passkey_parameter_name_that_could_not_work_is_refused(tmp_path: Any, bad: str) -> None:
    with pytest.raises(SettingsError, match="legacy_passkey_param"):
        load_settings(tmp_path, environ={}, legacy_passkey_param=bad)


def test_the_access_log_hides_the_passkey_of_an_old_url() -> None:
    assert loggable_target("/bt/announce.php", b"uk=SECRET&info_hash=x") == "/bt/announce.php"
    assert loggable_target("/viewtopic.php", b"t=1&uk=SECRET") == "/viewtopic.php?t=1&uk=[hidden]"

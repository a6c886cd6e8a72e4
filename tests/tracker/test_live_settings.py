"""Tracker settings an admin saves on the web reach announces at once, without a restart."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from tests.helpers import Member, add_member, csrf_token, login
from tests.tracker.wire import announce, fetch, peer_id, register_torrent
from tinypier.settings import Settings

MB = 1024 * 1024


def save_as_admin(client: TestClient[Any], admin: Member, name: str, value: str) -> None:
    assert login(client, admin.name, admin.password).status_code == 303
    token = csrf_token(client.get("/admin/settings").text)
    response = client.post(
        "/admin/settings",
        data={"_csrf_token": token, "name": name, "value": value},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def test_announces_follow_the_intervals_and_freeleech_saved_on_the_web(
    settings: Settings, tracker_client: TestClient[Any], alice: Member, bob: Member
) -> None:
    torrent = register_torrent(settings, alice.id, "live").key
    admin = add_member(settings, "root", role="admin")
    save_as_admin(tracker_client, admin, "announce_interval", "900")
    save_as_admin(tracker_client, admin, "min_announce_interval", "120")
    save_as_admin(tracker_client, admin, "global_freeleech", "true")

    reply = announce(tracker_client, bob.passkey, torrent, peer_id(), left=1)
    announce(tracker_client, bob.passkey, torrent, peer_id(), downloaded=MB, left=1)

    assert (reply[b"interval"], reply[b"min interval"]) == (900, 120)
    assert fetch(settings, "SELECT downloaded FROM users WHERE id = ?", bob.id) == [(0,)], (
        "freeleech for all counts no download"
    )

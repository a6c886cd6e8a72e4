"""A libtorrent client for the real-client tests, run by Debian's ``/usr/bin/python3``.

The venv's Python cannot import ``python3-libtorrent`` (a Debian package built for the
system interpreter), so the tests drive libtorrent through this script as a separate
process:

    lt_client.py create PAYLOAD TORRENT ANNOUNCE_URL [--hybrid]
    lt_client.py seed TORRENT SAVE_PATH
    lt_client.py download TORRENT SAVE_PATH

Both ``seed`` and ``download`` print one JSON object per line (alerts and status lines
with the payload totals). ``seed`` runs until SIGTERM or SIGINT; ``download`` until the
torrent is complete and the tracker has heard so. Either way the torrent is then paused,
so libtorrent sends its final ``stopped`` announce (with its totals) before the process
exits.

Everything that could find peers without the tracker (DHT, LSD, PEX, UPnP, NAT-PMP) is
off, and loopback peers are allowed, so the only way the two clients meet is the tracker.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import libtorrent as lt

PIECE_LENGTH = 64 * 1024
STATUS_EVERY_SECONDS = 0.5
STOP_TIMEOUT_SECONDS = 10.0


def create(payload: Path, torrent: Path, announce: str, hybrid: bool) -> None:
    files = lt.file_storage()
    lt.add_files(files, str(payload))
    flags = 0 if hybrid else lt.create_torrent.v1_only
    maker = lt.create_torrent(files, PIECE_LENGTH, flags=flags)
    maker.add_tracker(announce)
    maker.set_priv(True)
    maker.set_creator("TinyPier real-client test")
    lt.set_piece_hashes(maker, str(payload.parent))
    torrent.write_bytes(lt.bencode(maker.generate()))


def session_settings() -> dict[str, Any]:
    """Tracker-only peer discovery, on loopback, over TCP only (aria2c speaks no uTP)."""
    return {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "allow_multiple_connections_per_ip": True,
        "stop_tracker_timeout": 5,
        # libtorrent refuses a tracker on localhost whose path is not ".../announce" (SSRF
        # mitigation); TorrentPier's /bt/announce.php on this loopback server is one.
        "ssrf_mitigation": False,
        "alert_mask": lt.alert.category_t.status_notification
        | lt.alert.category_t.error_notification
        | lt.alert.category_t.tracker_notification,
    }


def emit(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


def run(torrent: Path, save_path: Path, until_complete: bool) -> None:
    session = lt.session(session_settings())
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(str(torrent))
    params.save_path = str(save_path)
    handle = session.add_torrent(params)
    stopping: list[int] = []
    signal.signal(signal.SIGTERM, lambda number, _frame: stopping.append(number))
    signal.signal(signal.SIGINT, lambda number, _frame: stopping.append(number))
    hashes = announced_hashes(params.ti)
    replies_while_seeding = 0
    while not (stopping or (until_complete and replies_while_seeding >= hashes)):
        for alert in session.pop_alerts():
            emit(alert=type(alert).__name__, message=alert.message())
            if isinstance(alert, lt.tracker_reply_alert) and handle.status().is_seeding:
                replies_while_seeding += 1
        status = handle.status()
        emit(
            state=str(status.state),
            seeding=status.is_seeding,
            uploaded=status.total_payload_upload,
            downloaded=status.total_payload_download,
        )
        session.wait_for_alert(int(STATUS_EVERY_SECONDS * 1000))
    stop(session, handle, hashes)


def announced_hashes(info: Any) -> int:
    """libtorrent announces a hybrid torrent once per info hash (v1, and v2 cut to 20)."""
    both = info.info_hashes()
    return int(both.has_v1()) + int(both.has_v2())


def stop(session: Any, handle: Any, hashes: int) -> None:
    """Pause the torrent and wait for the tracker's answer to each ``stopped`` announce.

    libtorrent does not always post the "sending announce (stopped)" alert, so the replies
    are counted instead; nothing else is in flight when the tracker's interval is long."""
    handle.pause()
    replies = 0
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        for alert in session.pop_alerts():
            emit(alert=type(alert).__name__, message=alert.message())
            if isinstance(alert, lt.tracker_reply_alert | lt.tracker_error_alert):
                replies += 1
        if replies >= hashes:
            emit(stopped=True)
            return
        session.wait_for_alert(200)
    emit(stopped=False)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("create")
    making.add_argument("payload", type=Path)
    making.add_argument("torrent", type=Path)
    making.add_argument("announce")
    making.add_argument("--hybrid", action="store_true")
    for command in ("seed", "download"):
        running = commands.add_parser(command)
        running.add_argument("torrent", type=Path)
        running.add_argument("save_path", type=Path)
    arguments = parser.parse_args(argv)
    if arguments.command == "create":
        create(arguments.payload, arguments.torrent, arguments.announce, arguments.hybrid)
    else:
        run(arguments.torrent, arguments.save_path, until_complete=arguments.command == "download")


if __name__ == "__main__":
    main(sys.argv[1:])

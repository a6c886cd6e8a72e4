"""Who may announce: release statuses, client rules, and the words a refusal uses.

``FROZEN_STATUSES`` ("a moderator stopped this release") is the shared list in
``tinypier.release_statuses``, so downloads and announces stop under the same rule.
"""

from __future__ import annotations

from functools import lru_cache

from tinypier.release_statuses import FROZEN_STATUSES as FROZEN_STATUSES

PASSKEY_NOT_VALID = "passkey not valid: re-download the .torrent from the site"
ACCOUNT_DISABLED = "your account is disabled"
UNREGISTERED_TORRENT = "unregistered torrent"
RELEASE_FROZEN = "this release was closed by the moderators ({status})"
CLIENT_NOT_ALLOWED = "your BitTorrent client is not allowed on this tracker"
BROWSER_REFUSED = "this address is for BitTorrent clients, not web browsers"
ADDRESS_UNKNOWN = "could not tell your IP address"
BUSY = "the tracker could not save your announce: try again"
RATIO_TOO_LOW = (
    "your ratio is {ratio:.2f} and this tracker asks for at least {minimum:.2f} to start"
    " downloading: seed what you have (seeding is always allowed) to raise it"
)
LEECH_SLOTS_FULL = (
    "with your ratio {ratio:.2f} you may download {limit} torrents at once: finish or stop"
    " one first, and seed to raise your ratio for more"
)
HIT_AND_RUNS = (
    "active hit-and-runs: {active}, and from {limit} on you may not start downloading:"
    " seed the releases you completed for the hours you owe (seeding is always allowed)"
)
TOO_MANY_PEERS = "too many of your clients on this torrent (at most {limit}): stop one first"

_AZUREUS_STYLE_CLIENTS = {
    b"qB": "qBittorrent",
    b"TR": "Transmission",
    b"UT": "\u00b5Torrent",
    b"UM": "\u00b5Torrent Mac",
    b"LT": "libtorrent",
    b"lt": "rTorrent",
    b"DE": "Deluge",
    b"AZ": "Vuze",
    b"BI": "BiglyBT",
    b"KT": "KTorrent",
    b"BT": "BitTorrent",
    b"FD": "Free Download Manager",
    b"WW": "WebTorrent",
    b"PI": "PicoTorrent",
    b"TB": "Torch",
}


def _version_digits(raw: bytes) -> str:
    """Version digits in base 36; only ASCII letters and digits count (``bytes.isalnum``):
    a Latin-1 letter such as ``\xe9`` is alphanumeric as text but no base-36 digit."""
    digits = [str(int(chr(c), 36)) for c in raw if bytes((c,)).isalnum()]
    while len(digits) > 2 and digits[-1] == "0":
        digits.pop()
    return ".".join(digits)


@lru_cache(maxsize=1024)
def _name_from_prefix(prefix: bytes) -> str:
    if prefix.startswith(b"A2-"):
        version = prefix[3:].split(b"-")[:3]
        return "aria2 " + ".".join(part.decode("ascii", "replace") for part in version)
    if prefix[:1] == b"-" and prefix[7:8] == b"-":
        name = _AZUREUS_STYLE_CLIENTS.get(prefix[1:3])
        if name is not None:
            return f"{name} {_version_digits(prefix[3:7])}"
    return ""


def client_name(peer_id: bytes) -> str:
    """A readable client name from the peer id's prefix ("qBittorrent 4.6.2"), or ''."""
    return _name_from_prefix(peer_id[:12] if peer_id.startswith(b"A2-") else peer_id[:8])


def client_allowed(peer_id: bytes, allow: tuple[bytes, ...], deny: tuple[bytes, ...]) -> bool:
    """Deny rules win; a non-empty allow list admits only the clients it names."""
    if deny and peer_id.startswith(deny):
        return False
    return not allow or peer_id.startswith(allow)


def is_browser(user_agent: bytes) -> bool:
    return user_agent.startswith(b"Mozilla/")

"""The member's own copy of a .torrent: their passkey in the announce URL, a readable name.

The info dictionary is never re-encoded (see ``metainfo.personalise``), so the copy has
the registered info hash; only the announce URL and the comment differ between members.
Only top-level keys known to be safe are kept, and web seeds only for a release whose
uploader enabled them.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from litestar import Response
from litestar.exceptions import PermissionDeniedException

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _, ngettext
from tinypier.permissions.hit_and_run import active_count_sql, hit_and_run_block
from tinypier.permissions.ratio import ratio_shortfall, shown_ratio
from tinypier.permissions.rules import ForumRow, may_download_release
from tinypier.release_statuses import STATUS_LABELS, is_frozen
from tinypier.settings import Settings
from tinypier.torrents.metainfo import personalise
from tinypier.torrents.releases import topic_url, visible_release
from tinypier.torrents.storage import read_stored
from tinypier.web.formatting import human_size, ratio_figure

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._()\[\] -]+")
_MAX_NAME_LENGTH = 120


def announce_url(settings: Settings, passkey: str) -> str:
    return settings.announce_base + passkey


def ascii_file_name(title: str, fallback: str) -> str:
    """The title as a file name every browser and OS accepts: letters without accents,
    unsafe characters as '_', never empty, never starting with a dot."""
    decomposed = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    spaced = " ".join(decomposed.split())
    safe = _UNSAFE_IN_FILE_NAME.sub("_", spaced).strip(" ._")[:_MAX_NAME_LENGTH].strip()
    return (safe or fallback) + ".torrent"


def content_disposition(title: str, fallback: str) -> str:
    """An attachment header with an ASCII name and the full title as RFC 5987 ``filename*``.

    Path separators and control characters are dropped from the UTF-8 name too: a
    browser must never be offered a path.
    """
    readable = "".join(
        character
        for character in title
        if character not in '/\\"' and unicodedata.category(character)[0] != "C"
    ).strip(" .")[:_MAX_NAME_LENGTH]
    ascii_name = ascii_file_name(title, fallback)
    utf8_name = (readable or fallback) + ".torrent"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def member_copy(settings: Settings, release: ForumRow, passkey: str) -> bytes:
    """The member's .torrent; ``release`` has ``sha256``, ``topic_id``, ``web_seeds_enabled``."""
    raw = read_stored(settings.attachments_dir, release["sha256"])
    return personalise(
        raw,
        announce_url(settings, passkey),
        topic_url(settings, release["topic_id"]),
        web_seeds=bool(release["web_seeds_enabled"]),
    )


def refuse_below_minimum_ratio(settings: Settings, uploaded: int, downloaded: int) -> None:
    """PermissionDeniedException saying the member's ratio, the board's minimum and how
    to reach it, when the ratio rules refuse them a .torrent."""
    shortfall = ratio_shortfall(settings, uploaded, downloaded)
    if shortfall is not None:
        raise PermissionDeniedException(
            _(
                "Your ratio is %(ratio)s; this board asks for at least %(minimum)s to download"
                " once you have downloaded %(grace)s. Seed the releases you have (seeding is"
                " always allowed) and download again when your ratio reaches the minimum.",
                ratio=ratio_figure(shown_ratio(shortfall.ratio)),
                minimum=ratio_figure(shortfall.minimum),
                grace=human_size(settings.ratio_grace_bytes),
            )
        )


def refuse_at_hit_and_run_limit(settings: Settings, active: int) -> None:
    """PermissionDeniedException saying how many hit-and-runs the member has, the limit
    and how to lift the block, when the hit-and-run rule refuses them a .torrent."""
    block = hit_and_run_block(settings, active)
    if block is not None:
        raise PermissionDeniedException(
            ngettext(
                "You have %(num)s active hit-and-run and this board refuses downloads from"
                " %(limit)s on. Seed the releases listed on your torrents page for the hours"
                " you owe (seeding is always allowed): each one seeded off lifts the count.",
                "You have %(num)s active hit-and-runs and this board refuses downloads from"
                " %(limit)s on. Seed the releases listed on your torrents page for the hours"
                " you owe (seeding is always allowed): each one seeded off lifts the count.",
                block.active,
                limit=block.limit,
            )
        )


async def torrent_download(
    db: Database, settings: Settings, viewer: Viewer, torrent_id: int
) -> Response[bytes]:
    """The member's copy as a file download, for the page and the API alike."""
    release = await visible_release(db, viewer, torrent_id)
    if is_frozen(release["status"]):
        label = _(STATUS_LABELS.get(release["status"], release["status"]))
        raise PermissionDeniedException(
            _("This release is marked '%(status)s': it cannot be downloaded.", status=label)
        )
    if not may_download_release(viewer, release):
        raise PermissionDeniedException(_("You may not download releases from this forum."))
    member = await db.fetch_one(
        "SELECT passkey, uploaded, downloaded,"  # noqa: S608 - a subquery of ours
        f" {active_count_sql('users.id')} AS hit_and_runs FROM users WHERE id = ?",
        (viewer.id,),
    )
    if member is None:
        raise PermissionDeniedException(_("You may not download releases from this forum."))
    refuse_below_minimum_ratio(settings, member["uploaded"], member["downloaded"])
    refuse_at_hit_and_run_limit(settings, member["hit_and_runs"])
    content = member_copy(settings, release, member["passkey"])
    return Response(
        content,
        media_type="application/x-bittorrent",
        headers={
            "Content-Disposition": content_disposition(
                release["topic_title"], f"release-{torrent_id}"
            ),
            # The file holds the member's passkey: no shared cache may keep it.
            "Cache-Control": "private, no-store",
        },
    )

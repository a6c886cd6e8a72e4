"""The release shown on top of a topic page: the seam between forum pages and releases.

The releases area adds it to topic pages through the topic extension point
(:data:`RELEASE_BLOCK`, see ``tinypier.web.extensions``): the forum neither imports this
module nor reads tracker tables itself.

Whatever lets a client join the swarm (the info hashes, the magnet link with its passkey)
is computed only for a viewer who may download, so it cannot reach anybody else's page
by a template slip.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from tinypier.accounts.viewer import Viewer
from tinypier.db.connection import Database
from tinypier.i18n import _
from tinypier.permissions.rules import may_download_release
from tinypier.release_statuses import FREELEECH_LABELS, STATUS_LABELS, is_frozen
from tinypier.settings import Settings
from tinypier.torrents.download import announce_url
from tinypier.torrents.metainfo import ParsedTorrent, magnet_link
from tinypier.torrents.releases import download_path, release_by_topic
from tinypier.web.extensions import Slot, TopicExtension
from tinypier.web.formatting import human_size, iso, when

MAX_FILES_SHOWN = 1_000


@dataclass
class FileNode:
    """A folder (with children) or a file of the release, with its size."""

    name: str
    size: int = 0
    children: dict[str, FileNode] = field(default_factory=dict)

    @property
    def is_folder(self) -> bool:
        return bool(self.children)

    @property
    def entries(self) -> list[FileNode]:
        """Folders first, then files, each by name: the order file managers use."""
        return sorted(self.children.values(), key=lambda node: (not node.is_folder, node.name))


@dataclass(frozen=True)
class ReleaseBlock:
    release: sqlite3.Row
    status_label: str
    freeleech_label: str
    frozen: bool
    tree: FileNode
    files_hidden: int
    download_path: str | None
    magnet: str | None
    info_hash_v1: str | None
    info_hash_v2: str | None
    moderating: bool
    statuses: dict[str, str] = field(default_factory=lambda: STATUS_LABELS)
    freeleech_levels: dict[str, str] = field(default_factory=lambda: FREELEECH_LABELS)
    # The template's formatting helpers travel with the block: the topic page that
    # includes it belongs to the forum area and knows nothing about releases.
    size_text = staticmethod(human_size)
    time_text = staticmethod(when)
    iso_time = staticmethod(iso)


def file_tree(files_json: str, limit: int = MAX_FILES_SHOWN) -> tuple[FileNode, int]:
    """The stored file list as a tree with folder sizes, and how many files were left out."""
    files: list[list[object]] = json.loads(files_json)
    root = FileNode("")
    for path, size in files[:limit]:
        node = root
        node.size += int(str(size))
        for component in str(path).split("/"):
            node = node.children.setdefault(component, FileNode(component))
            node.size += int(str(size))
    return root, max(0, len(files) - limit)


def release_magnet(release: sqlite3.Row, tracker_url: str) -> str:
    """The magnet link of a registered release, from its row rather than its file."""
    described = ParsedTorrent(
        info_hash_v1=release["info_hash"],
        info_hash_v2=release["info_hash_v2"],
        name=release["name"],
        total_size=release["total_size"],
        files=(),
        piece_length=release["piece_length"],
        private=True,
        raw=b"",
    )
    return magnet_link(described, release["name"], tracker_url)


def _hex(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


async def _passkey(db: Database, viewer: Viewer) -> str:
    passkey: str = await db.fetch_value("SELECT passkey FROM users WHERE id = ?", (viewer.id,))
    return passkey


async def release_for_topic(
    db: Database, viewer: Viewer, topic_id: int, settings: Settings
) -> ReleaseBlock | None:
    """The release block of a topic, or None for an ordinary topic. Its peers and
    snatchers are listed under it by ``member_torrents`` (``swarm_part``)."""
    release = await release_by_topic(db, topic_id)
    if release is None:
        return None
    tree, hidden = file_tree(release["files_json"])
    downloadable = may_download_release(viewer, release)
    magnet = None
    if downloadable:
        magnet = release_magnet(release, announce_url(settings, await _passkey(db, viewer)))
    return ReleaseBlock(
        release=release,
        status_label=_(STATUS_LABELS.get(release["status"], release["status"])),
        freeleech_label=_(FREELEECH_LABELS.get(release["freeleech"], release["freeleech"])),
        frozen=is_frozen(release["status"]),
        tree=tree,
        files_hidden=hidden,
        download_path=download_path(release["id"]) if downloadable else None,
        magnet=magnet,
        info_hash_v1=_hex(release["info_hash"]) if downloadable else None,
        info_hash_v2=_hex(release["info_hash_v2"]) if downloadable else None,
        moderating=viewer.is_moderator,
    )


async def _release_part(
    db: Database, viewer: Viewer, topic: sqlite3.Row, settings: Settings
) -> ReleaseBlock | None:
    return await release_for_topic(db, viewer, topic["id"], settings)


RELEASE_BLOCK = TopicExtension(
    "release", Slot.ABOVE_POSTS, "torrents/topic_block.html", _release_part
)

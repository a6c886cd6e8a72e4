"""What an import did: rows per kind, what was left out and why, what was kept aside.

Read back from the board (``import_progress``, ``import_skips``, the ``torrentpier_*``
tables), so the report of an import resumed after a crash covers the whole import.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tinypier.i18n import N_, _

KIND_LABELS: dict[str, str] = {
    "ranks": N_("Ranks"),
    "members": N_("Members"),
    "groups": N_("Groups"),
    "group members": N_("Group memberships"),
    "categories": N_("Categories"),
    "forums": N_("Forums"),
    "forum access": N_("Forum access entries (as group grants)"),
    "topics": N_("Topics"),
    "posts": N_("Posts"),
    "releases": N_("Releases"),
    "snatches": N_("Snatches"),
    "transfers": N_("Transfer figures per release"),
    "thanks": N_("Thanks"),
    "polls": N_("Polls"),
    "messages": N_("Private messages"),
    "bonus points": N_("Members with bonus points"),
    "avatars": N_("Avatars"),
}

MEMBER_DETAILS: dict[str, tuple[str, str]] = {
    "e-mail addresses": (
        N_("E-mail addresses"),
        "SELECT COUNT(*) FROM users WHERE email IS NOT NULL",
    ),
    "signatures": (N_("Signatures"), "SELECT COUNT(*) FROM profiles WHERE signature != ''"),
    "assigned ranks": (
        N_("Members with a rank"),
        "SELECT COUNT(*) FROM profiles WHERE rank_id IS NOT NULL",
    ),
}
"""What the members batch brings along, counted on the board (it is no kind of its own)."""

REASONS: dict[str, str] = {
    "not_a_member": N_("not a member (TorrentPier's guest or bot account)"),
    "renamed": N_("imported under a new name: another member's name differs only in case"),
    "no_password": N_("imported without a usable password (must reset it)"),
    "new_passkey": N_("imported with a new passkey (the old one was empty or taken)"),
    "banned": N_("banned on TorrentPier: imported disabled"),
    "moved_shadow": N_("the shadow a moved topic left behind"),
    "no_forum": N_("its forum or category was not imported"),
    "no_topic": N_("its topic was not imported"),
    "no_text": N_("imported with an empty text (no text row)"),
    "file_missing": N_(".torrent file missing from the upload folder (topic kept)"),
    "file_unreadable": N_(".torrent file unreadable (topic kept)"),
    "file_mismatch": N_(".torrent file does not match the stored info hash (topic kept)"),
    "duplicate_hash": N_("another release has the same info hash (topic kept)"),
    "no_release": N_("its release was not imported"),
    "no_member": N_("its member was not imported"),
    "duplicate_message": N_("copies of one message merged into one"),
    "no_group": N_("its group was not imported"),
    "avatar_missing": N_("avatar file missing from the avatar folder (member kept)"),
    "avatar_refused": N_(
        "avatar file is no JPEG, PNG, GIF or WebP image within the limits (member kept)"
    ),
}

AVATARS_FOLDER = "avatars_folder"
AVATARS_FOLDER_SOURCE = "avatars_folder_source"
"""``torrentpier_config`` names: the folder avatars were looked for in, and what set it:
a config file (relative to the board root), or one of these."""
AVATARS_OPTION = "--avatars"
AVATARS_DEFAULT = "default"


@dataclass(frozen=True)
class AvatarSearch:
    """Where the import looked for avatar files, and how many it did not find there."""

    folder: str
    source: str
    missing: int

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "from": self.source, "missing": self.missing}

    def line(self) -> str:
        if self.source == AVATARS_OPTION:
            source = _("given by --avatars")
        elif self.source == AVATARS_DEFAULT:
            source = _("TorrentPier's default, not set in the board's config files")
        else:
            source = _("set in %(file)s", file=self.source)
        return _(
            "Avatars were looked for in %(folder)s (%(source)s): %(missing)s missing.",
            folder=self.folder,
            source=source,
            missing=self.missing,
        )


KEPT: tuple[tuple[str, str], ...] = (
    ("torrentpier_members", N_("Profile fields (website, location, two-factor sign-in)")),
)


@dataclass(frozen=True)
class ImportReport:
    version: str
    counts: dict[str, int]
    skipped: dict[str, dict[str, int]]
    kept: dict[str, int]
    repairs: list[str] = field(default_factory=list)
    avatars: AvatarSearch | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "imported": self.counts,
            "skipped": self.skipped,
            "kept_for_later": self.kept,
            "repairs": self.repairs,
            "avatars": None if self.avatars is None else self.avatars.as_dict(),
        }

    def lines(self) -> list[str]:
        """The report in the reader's language."""
        lines = [_("Imported a TorrentPier %(version)s board:", version=self.version)]
        for kind, count in self.counts.items():
            lines.append(f"  {_(_label_of(kind))}: {count}")
        if self.skipped:
            lines.append(_("Left out or changed:"))
        for kind, reasons in self.skipped.items():
            for reason, count in reasons.items():
                what = _(_label_of(kind))
                lines.append(f"  {what}, {_(REASONS.get(reason, reason))}: {count}")
        if self.avatars is not None:
            lines.append(self.avatars.line())
        if any(self.kept.values()):
            lines.append(_("Kept in import tables until TinyPier has a place for them:"))
        labels = dict(KEPT)
        for table, count in self.kept.items():
            if count:
                lines.append(f"  {_(labels[table])} ({table}): {count}")
        lines.extend(self.repairs)
        return lines


def _label_of(kind: str) -> str:
    detail = MEMBER_DETAILS.get(kind)
    return detail[0] if detail else KIND_LABELS.get(kind, kind)


def build_report(board: sqlite3.Connection, version: str, repairs: list[str]) -> ImportReport:
    counts = {
        kind: int(imported)
        for kind, imported in board.execute("SELECT kind, imported FROM import_progress")
        if kind in KIND_LABELS
    }
    ordered = {kind: counts.get(kind, 0) for kind in KIND_LABELS}
    for kind, (_label, query) in MEMBER_DETAILS.items():
        ordered[kind] = int(board.execute(query).fetchone()[0])
    skipped: dict[str, dict[str, int]] = {}
    for kind, reason, count in board.execute(
        "SELECT kind, reason, COUNT(*) FROM import_skips"
        " GROUP BY kind, reason ORDER BY kind, reason"
    ):
        skipped.setdefault(kind, {})[reason] = int(count)
    kept = {
        table: int(board.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
        for table, _label in KEPT
    }
    return ImportReport(version, ordered, skipped, kept, repairs, _avatar_search(board, skipped))


def _avatar_search(
    board: sqlite3.Connection, skipped: dict[str, dict[str, int]]
) -> AvatarSearch | None:
    config = dict(
        board.execute(
            "SELECT name, value FROM torrentpier_config WHERE name IN (?, ?)",
            (AVATARS_FOLDER, AVATARS_FOLDER_SOURCE),
        ).fetchall()
    )
    if AVATARS_FOLDER not in config:
        return None
    missing = skipped.get("avatars", {}).get("avatar_missing", 0)
    return AvatarSearch(config[AVATARS_FOLDER], config.get(AVATARS_FOLDER_SOURCE, ""), missing)

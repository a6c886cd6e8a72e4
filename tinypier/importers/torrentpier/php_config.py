"""Settings read from a TorrentPier board's PHP config files, without running PHP.

Only values an importer needs, each by a narrow pattern: a setting written as anything
but a plain string, optionally after one of TorrentPier's path constants (``BB_PATH .
'/data/avatars/'``), is not understood, and the caller falls back to TorrentPier's
default and says so.

Where the avatar folder is set (``upload_path`` of the member avatars, not the group
ones):

- 2.x: ``library/config.php`` (``$bb_cfg['avatars'] = [... 'upload_path' => BB_PATH .
  '/data/avatars/', ...]``), overridden by ``library/config.local.php`` (the same, or
  ``$bb_cfg['avatars']['upload_path'] = '...';``), later assignments winning as in PHP.
- 3.0: ``config/avatars.php`` (``return ['user' => [... 'upload_path' => AVATARS_DIR .
  '/', ...], 'group' => [...]]``), ``AVATARS_DIR`` being ``BB_PATH .
  '/storage/app/public/avatars'`` (``library/defines.php``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

DEFAULT_AVATARS = {
    "2": PurePosixPath("data/avatars"),
    "3": PurePosixPath("storage/app/public/avatars"),
}
"""TorrentPier's own avatar folder under the board root, by major version."""

_CONSTANTS = {
    "BB_PATH": "",
    "BB_ROOT": "/",
    "STORAGE_DIR": "/storage",
    "STORAGE_PUBLIC_DIR": "/storage/app/public",
    "AVATARS_DIR": "/storage/app/public/avatars",
}
"""TorrentPier's path constants (``common.php``, 3.0's ``library/defines.php``) as what
they add to the board root (``BB_PATH``, no trailing slash; 2.0's ``BB_ROOT`` is
``'./'``, so ``BB_ROOT . 'data/avatars/'``)."""

_STRING = r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\$]|\\.)*\""""
_TERM = rf"(?:{_STRING}|\b(?:{'|'.join(_CONSTANTS)})\b)"
_EXPRESSION = re.compile(rf"\s*({_TERM}(?:\s*\.\s*{_TERM})*)\s*(?=[,;\]\)])")
_UPLOAD_PATH_KEY = re.compile(r"""['"]upload_path['"]\s*=>""")
_AVATARS_ARRAY = re.compile(
    r"""\$bb_cfg\s*\[\s*['"]avatars['"]\s*\]\s*=\s*(?:\[|array\s*\()""", re.IGNORECASE
)
_AVATARS_KEY = re.compile(
    r"""\$bb_cfg\s*\[\s*['"]avatars['"]\s*\]\s*\[\s*['"]upload_path['"]\s*\]\s*="""
)
_USER_ARRAY = re.compile(r"""['"]user['"]\s*=>\s*(?:\[|array\s*\()""", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A folder, and where it was set (a config file relative to the board root)."""

    folder: Path
    source: str


def strip_comments(text: str) -> str:
    """PHP source without its ``//``, ``#`` and ``/* */`` comments (strings kept), so a
    commented-out setting is not read."""
    out: list[str] = []
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char in "'\"":
            end = index + 1
            while end < length and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            out.append(text[index : end + 1])
            index = end + 1
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = length if end < 0 else end + 2
        elif char == "#" or text.startswith("//", index):
            end = text.find("\n", index)
            index = length if end < 0 else end
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _block(text: str, start: int) -> str:
    """The text from ``start`` (just inside an opening bracket) to its closing one."""
    depth = 1
    index = start
    while index < len(text):
        char = text[index]
        if char in "'\"":
            end = index + 1
            while end < len(text) and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            index = end + 1
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return text[start:index]
        index += 1
    return text[start:]


def _top_level_upload_path(block: str) -> re.Match[str] | None:
    """The last ``'upload_path' => ...`` directly in ``block`` (not in a nested array)."""
    found = None
    for match in _UPLOAD_PATH_KEY.finditer(block):
        before = block[: match.start()]
        if _depth(before) == 0:
            found = _EXPRESSION.match(block, match.end())
    return found


def _depth(text: str) -> int:
    depth = 0
    for char in re.sub(_STRING, "''", text):
        depth += char in "[("
        depth -= char in "])"
    return depth


def _path_of(expression: str, root: Path) -> Path | None:
    """A PHP concatenation of strings and path constants as a folder; relative paths are
    the board root's (PHP's working directory is the root's ``index.php``)."""
    parts = []
    for term in re.findall(_TERM, expression):
        if term in _CONSTANTS:
            parts.append(str(root) + _CONSTANTS[term])
        else:
            parts.append(re.sub(r"\\(.)", r"\1", term[1:-1]))
    value = "".join(parts).rstrip("/")
    if not value:
        return None
    path = Path(value)
    return path if path.is_absolute() else root / path


def _assignments(text: str, root: Path) -> list[Path]:
    """The member-avatar folder each assignment in one file sets, in file order."""
    found: list[tuple[int, Path]] = []
    for match in _AVATARS_ARRAY.finditer(text):
        value = _top_level_upload_path(_block(text, match.end()))
        path = _path_of(value.group(1), root) if value else None
        if path is not None:
            found.append((match.start(), path))
    for match in _AVATARS_KEY.finditer(text):
        value = _EXPRESSION.match(text, match.end())
        path = _path_of(value.group(1), root) if value else None
        if path is not None:
            found.append((match.start(), path))
    return [path for _position, path in sorted(found, key=lambda item: item[0])]


def _config_avatars(text: str, root: Path) -> Path | None:
    """3.0's ``config/avatars.php``: ``upload_path`` of its ``'user'`` array."""
    for match in _USER_ARRAY.finditer(text):
        if _depth(text[: match.start()]) != 1:
            continue
        value = _top_level_upload_path(_block(text, match.end()))
        if value is not None:
            return _path_of(value.group(1), root)
    return None


def avatars_folder(root: Path, version: str) -> Found:
    """Where the board kept member avatars: its config files' setting (the last one PHP
    would apply), else TorrentPier's default for ``version``."""
    found: Found | None = None
    for relative in ("library/config.php", "library/config.local.php"):
        path = root / relative
        if path.is_file():
            text = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
            folders = _assignments(text, root)
            if folders:
                found = Found(folders[-1], relative)
    avatars = root / "config" / "avatars.php"
    if avatars.is_file():
        text = strip_comments(avatars.read_text(encoding="utf-8", errors="replace"))
        folder = _config_avatars(text, root)
        if folder is not None:
            found = Found(folder, "config/avatars.php")
    if found is not None:
        return found
    default = DEFAULT_AVATARS["3" if version.startswith("3") else "2"]
    return Found(root / default, "")

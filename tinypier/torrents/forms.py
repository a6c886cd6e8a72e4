"""Form bodies of the release pages and the upload API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from tinypier.forum.forms import FORM

MULTIPART = Body(media_type=RequestEncodingType.MULTI_PART)


@dataclass
class ReleaseForm:
    """The new-release form; ``preview`` is set by the Preview button, ``web_seeds`` by
    its checkbox (a browser sends an unchecked box not at all)."""

    title: str = ""
    description: str = ""
    preview: str | None = None
    torrent: UploadFile | None = None
    web_seeds: str | None = None


@dataclass
class ApiReleaseForm:
    """The upload API's multipart body: a release needs all four of the first fields."""

    forum_id: int
    torrent: UploadFile
    title: str
    description: str
    web_seeds: bool = False


@dataclass
class StatusForm:
    status: str = ""


@dataclass
class FreeleechForm:
    freeleech: str = ""


ReleaseData = Annotated[ReleaseForm, MULTIPART]
ApiReleaseData = Annotated[ApiReleaseForm, MULTIPART]
StatusData = Annotated[StatusForm, FORM]
FreeleechData = Annotated[FreeleechForm, FORM]


async def read_upload(upload: UploadFile | None, max_size: int) -> bytes:
    """The uploaded file's bytes, read no further than one byte past the limit.

    The one extra byte lets the parser say "too large" instead of silently cutting it.
    """
    if upload is None:
        return b""
    data: bytes = await upload.read(max_size + 1)
    return data

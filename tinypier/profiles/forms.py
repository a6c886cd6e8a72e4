"""The profile and rank forms as posted by a browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from tinypier.forum.forms import FORM

MULTIPART = Body(media_type=RequestEncodingType.MULTI_PART)
# Room for a rank's title on the index, the profile and beside every post.
RANK_TITLE_MAX_CHARS = 60
# Post counts are at most this (a board of a billion posts by one member is not one).
MIN_POSTS_MAX = 1_000_000_000


@dataclass
class AvatarForm:
    avatar: UploadFile | None = None


@dataclass
class SignatureForm:
    signature: str = ""


@dataclass
class RankForm:
    """A rank as the admin page posts it: an empty ``min_posts`` is an assigned-only
    rank; ``drop_image`` is the "remove the image" box."""

    title: str = ""
    min_posts: str = ""
    image: UploadFile | None = None
    drop_image: str | None = None


@dataclass
class AssignRankForm:
    """An empty ``rank_id`` takes the assigned rank away."""

    rank_id: str = ""


AvatarData = Annotated[AvatarForm, MULTIPART]
SignatureData = Annotated[SignatureForm, FORM]
RankData = Annotated[RankForm, MULTIPART]
AssignRankData = Annotated[AssignRankForm, FORM]

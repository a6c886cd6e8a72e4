"""The forum's HTML forms as typed records: Litestar decodes and validates them.

Fields a browser leaves out (an unchecked box, a button not pressed) arrive as their
default. Values outside a Literal are refused with 400 before a handler runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from litestar.enums import RequestEncodingType
from litestar.params import Body

RoleName = Literal["guest", "user", "moderator", "admin"]
Direction = Literal["up", "down"]

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)


@dataclass
class PostForm:
    """A new topic (with a title), a reply, or an edit; ``preview`` is the Preview button."""

    body: str = ""
    title: str = ""
    preview: str | None = None


@dataclass
class PinForm:
    pin: Literal["normal", "sticky", "announcement"]


@dataclass
class MoveTopicForm:
    forum_id: int


@dataclass
class MoveForm:
    direction: Direction


@dataclass
class CategoryForm:
    name: str = ""


@dataclass
class ForumForm:
    category_id: int
    name: str = ""
    description: str = ""
    view_role: RoleName = "guest"
    topic_role: RoleName = "user"
    reply_role: RoleName = "user"
    download_role: RoleName = "user"
    allows_releases: str | None = None


@dataclass
class ConfirmForm:
    confirm: str | None = None


@dataclass
class SplitForm:
    """The posts from the chosen one on become a new topic with this title, in this forum."""

    title: str = ""
    forum_id: int | None = None
    confirm: str | None = None


@dataclass
class MergeForm:
    """This topic's posts move into the topic numbered ``into_topic_id``."""

    into_topic_id: int | None = None
    confirm: str | None = None


PostData = Annotated[PostForm, FORM]
PinData = Annotated[PinForm, FORM]
MoveTopicData = Annotated[MoveTopicForm, FORM]
MoveData = Annotated[MoveForm, FORM]
CategoryData = Annotated[CategoryForm, FORM]
ForumData = Annotated[ForumForm, FORM]
ConfirmData = Annotated[ConfirmForm, FORM]
SplitData = Annotated[SplitForm, FORM]
MergeData = Annotated[MergeForm, FORM]

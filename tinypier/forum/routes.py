"""Routes of the forum area."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from tinypier.forum.admin import CategoryAdminController, ForumAdminController
from tinypier.forum.feeds import FeedsController
from tinypier.forum.first_run import FirstRunController
from tinypier.forum.index import ForumIndexController
from tinypier.forum.members import MembersController
from tinypier.forum.moderation import ModerationController
from tinypier.forum.search import SearchController
from tinypier.forum.topics import (
    EditPostController,
    NewTopicController,
    ReplyController,
    TopicController,
)

ROUTES: list[ControllerRouterHandler] = [
    ForumIndexController,
    TopicController,
    NewTopicController,
    ReplyController,
    EditPostController,
    ModerationController,
    CategoryAdminController,
    ForumAdminController,
    FirstRunController,
    SearchController,
    MembersController,
    FeedsController,
]

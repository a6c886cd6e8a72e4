"""Every route of the app x every role x a public and a private forum: allowed or refused.

The routes come from the app itself, so a new route that this policy does not know fails
the suite ("unknown route: add it to the policy") until someone decides who may use it.

Refused means: a guest is sent to log in (or told the thing does not exist), a member is
told 403 or 404, a refused POST changes nothing in the database, and no page shown to
someone outside the private forum carries any of its names or words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pytest
from httpx import Response
from litestar import Litestar
from litestar.testing import TestClient

from tests.roles import (
    CONTENT_PARAMS,
    ROLES,
    TARGETS,
    Endpoint,
    RoleBoard,
    Target,
    app_endpoints,
    become,
    board_checksum,
    build_role_board,
    client_as,
    clone_board,
    csrf_token,
    fill_path,
)

LEVEL = {"guest": 0, "disabled": 0, "user": 1, "moderator": 2, "admin": 3}
VIEW_LEVEL = {"public": 0, "private": 2}


class Access(Enum):
    """Who may use a route, given the forum its ids point into."""

    EVERYONE = "anyone, logged in or not"
    VIEWERS = "whoever may view the forum"
    MEMBERS_WHO_VIEW = "members who may view the forum (post, reply, upload, download)"
    MEMBERS = "any member"
    MODERATORS = "moderators and admins"
    ADMINS = "admins"
    NOBODY = "no one (the target belongs to another member)"


def is_allowed(access: Access, role: str, target: str) -> bool:
    level, view = LEVEL[role], VIEW_LEVEL[target]
    rules: dict[Access, Callable[[], bool]] = {
        Access.EVERYONE: lambda: True,
        Access.VIEWERS: lambda: level >= view,
        Access.MEMBERS_WHO_VIEW: lambda: level >= max(1, view),
        Access.MEMBERS: lambda: level >= 1,
        Access.MODERATORS: lambda: level >= 2,
        Access.ADMINS: lambda: level >= 3,
        Access.NOBODY: lambda: False,
    }
    return rules[access]()


@dataclass(frozen=True)
class Rule:
    """``query``: what a GET asks (a search must not find private words for outsiders);
    ``feed``: the route knows members by ``?token=<feed token>``, not by the cookie."""

    access: Access
    form: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    feed: bool = False


BODY = {"body": "A matrix message with enough words."}
# Every target's title and text hold this word: listings searched for it must show only
# what the viewer may see.
FIND_ALL = {"q": "matrix"}
TOPIC = {"title": "A matrix topic", **BODY}
POLL = {"question": "A matrix poll?", "options": "yes\nno", "max_choices": "1"}

# The policy. Form values in braces are filled from the target forum's ids.
POLICY: dict[str, Rule] = {
    # Reading the board.
    "GET /": Rule(Access.EVERYONE),
    "GET /forums/{forum_id:int}": Rule(Access.VIEWERS),
    "GET /topics/{topic_id:int}": Rule(Access.VIEWERS),
    "GET /posts/{post_id:int}": Rule(Access.VIEWERS),
    "GET /search": Rule(Access.EVERYONE, query=FIND_ALL),
    "GET /tracker": Rule(Access.EVERYONE, query=FIND_ALL),
    "GET /torrents": Rule(Access.EVERYONE, query=FIND_ALL),
    "GET /torrents/{address:str}": Rule(Access.VIEWERS),
    "GET /members": Rule(Access.MEMBERS),
    "GET /members/{member_id:int}": Rule(Access.MEMBERS),
    # What the author seeds, downloads and owes: theirs and the moderators' to see.
    "GET /members/{member_id:int}/torrents": Rule(Access.MODERATORS),
    "GET /feeds/forums/{feed_file:str}": Rule(Access.VIEWERS, feed=True),
    "GET /feeds/releases.atom": Rule(Access.EVERYONE, feed=True),
    "GET /feeds/releases.rss": Rule(Access.EVERYONE, feed=True),
    # The feed's enclosure: a member's own .torrent, by feed token alone (the cookie is
    # not read), under the download's rules.
    "GET /feeds/torrents/{torrent_id:int}/download.torrent": Rule(
        Access.MEMBERS_WHO_VIEW, feed=True
    ),
    # Accounts.
    "GET /login": Rule(Access.EVERYONE),
    "POST /login": Rule(Access.EVERYONE, {"name": "nobody", "password": "wrong password"}),
    "POST /logout": Rule(Access.EVERYONE),
    "POST /language": Rule(Access.EVERYONE, {"language": "ru"}),
    "GET /register": Rule(Access.EVERYONE),
    "POST /register": Rule(
        Access.EVERYONE,
        {
            "name": "newcomer",
            "password": "a long new password",
            "password_confirm": "a long new password",
        },
    ),
    "GET /settings": Rule(Access.MEMBERS),
    "POST /settings/password": Rule(
        Access.MEMBERS,
        {
            "current_password": "correct horse battery",
            "new_password": "another long password",
            "new_password_confirm": "another long password",
        },
    ),
    "POST /settings/passkey": Rule(Access.MEMBERS),
    "POST /settings/locale": Rule(Access.MEMBERS, {"language": "ru", "time_zone": "Europe/Moscow"}),
    "POST /settings/feed-token": Rule(Access.MEMBERS),
    "POST /settings/tokens": Rule(Access.MEMBERS, {"name": "matrix script"}),
    "POST /settings/tokens/{token_id:int}/revoke": Rule(Access.NOBODY),
    "GET /invites": Rule(Access.MEMBERS),
    "POST /invites": Rule(Access.MEMBERS),
    # Writing.
    "GET /forums/{forum_id:int}/new": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /forums/{forum_id:int}/new": Rule(Access.MEMBERS_WHO_VIEW, TOPIC),
    "GET /topics/{topic_id:int}/reply": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /topics/{topic_id:int}/reply": Rule(Access.MEMBERS_WHO_VIEW, BODY),
    # The posts belong to a member who is none of the roles: only moderators may edit them.
    "GET /posts/{post_id:int}/edit": Rule(Access.MODERATORS),
    "POST /posts/{post_id:int}/edit": Rule(Access.MODERATORS, BODY),
    "GET /forums/{forum_id:int}/releases/new": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /forums/{forum_id:int}/releases/new": Rule(Access.MEMBERS_WHO_VIEW, TOPIC),
    "GET /torrents/{torrent_id:int}/download": Rule(Access.MEMBERS_WHO_VIEW),
    "GET /torrents/{torrent_id:int}/peers": Rule(Access.MEMBERS_WHO_VIEW),
    "GET /torrents/{torrent_id:int}/snatches": Rule(Access.MEMBERS_WHO_VIEW),
    # The releases belong to a member who is none of the roles, so every viewer may thank.
    "POST /torrents/{torrent_id:int}/thanks": Rule(Access.MEMBERS_WHO_VIEW),
    # Each topic has a poll nobody voted in yet; its starter is none of the roles.
    "POST /topics/{topic_id:int}/poll/vote": Rule(Access.MEMBERS_WHO_VIEW, {"choice": "1"}),
    "GET /topics/{topic_id:int}/poll": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/poll": Rule(Access.MODERATORS, POLL),
    # Moderation.
    "GET /moderation": Rule(Access.MODERATORS),
    # Destructive actions: a confirm page (GET, changes nothing), then the POST.
    "GET /posts/{post_id:int}/delete": Rule(Access.MODERATORS),
    "POST /posts/{post_id:int}/delete": Rule(Access.MODERATORS, {"confirm": "yes"}),
    "GET /topics/{topic_id:int}/delete": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/delete": Rule(Access.MODERATORS, {"confirm": "yes"}),
    # Restoring what is not deleted is refused with a clear 400, after the guard passed.
    "POST /posts/{post_id:int}/restore": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/restore": Rule(Access.MODERATORS),
    "GET /posts/{post_id:int}/split": Rule(Access.MODERATORS),
    "POST /posts/{post_id:int}/split": Rule(
        Access.MODERATORS, {"confirm": "yes", "title": "Split matrix", "forum_id": "{forum_id}"}
    ),
    "GET /topics/{topic_id:int}/merge": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/merge": Rule(
        Access.MODERATORS, {"confirm": "yes", "into_topic_id": "{other_topic_id}"}
    ),
    "POST /topics/{topic_id:int}/lock": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/unlock": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/pin": Rule(Access.MODERATORS, {"pin": "sticky"}),
    "POST /topics/{topic_id:int}/move": Rule(Access.MODERATORS, {"forum_id": "{other_forum_id}"}),
    "POST /topics/{topic_id:int}/poll/close": Rule(Access.MODERATORS),
    "POST /topics/{topic_id:int}/poll/delete": Rule(Access.MODERATORS),
    "POST /torrents/{torrent_id:int}/status": Rule(Access.MODERATORS, {"status": "duplicate"}),
    "POST /torrents/{torrent_id:int}/freeleech": Rule(Access.MODERATORS, {"freeleech": "full"}),
    # Administration.
    "GET /admin": Rule(Access.ADMINS),
    "GET /admin/users": Rule(Access.ADMINS),
    "GET /admin/cheats": Rule(Access.ADMINS),
    "POST /admin/users/{user_id:int}/role": Rule(Access.ADMINS, {"role": "moderator"}),
    "GET /admin/users/{user_id:int}/disable": Rule(Access.ADMINS),
    "POST /admin/users/{user_id:int}/disable": Rule(Access.ADMINS, {"confirm": "yes"}),
    "POST /admin/users/{user_id:int}/enable": Rule(Access.ADMINS),
    "POST /admin/users/{user_id:int}/invite-quota": Rule(Access.ADMINS, {"invite_quota": "5"}),
    "GET /admin/forums": Rule(Access.ADMINS),
    "GET /admin/forums/new": Rule(Access.ADMINS),
    "POST /admin/forums/new": Rule(
        Access.ADMINS, {"category_id": "{category_id}", "name": "New forum"}
    ),
    "GET /admin/forums/{forum_id:int}/edit": Rule(Access.ADMINS),
    "POST /admin/forums/{forum_id:int}/edit": Rule(
        Access.ADMINS, {"category_id": "{category_id}", "name": "Renamed forum"}
    ),
    "POST /admin/forums/{forum_id:int}/move": Rule(Access.ADMINS, {"direction": "up"}),
    "GET /admin/forums/{forum_id:int}/delete": Rule(Access.ADMINS),
    "POST /admin/forums/{forum_id:int}/delete": Rule(Access.ADMINS, {"confirm": "yes"}),
    "POST /admin/categories": Rule(Access.ADMINS, {"name": "New category"}),
    "POST /admin/categories/{category_id:int}/rename": Rule(Access.ADMINS, {"name": "Renamed"}),
    "POST /admin/categories/{category_id:int}/move": Rule(Access.ADMINS, {"direction": "up"}),
    "POST /admin/categories/{category_id:int}/delete": Rule(Access.ADMINS, {"confirm": "yes"}),
    "GET /admin/settings": Rule(Access.ADMINS),
    "POST /admin/settings": Rule(Access.ADMINS, {"name": "site_name", "value": "Matrix board"}),
    "POST /admin/settings/reset": Rule(Access.ADMINS, {"name": "site_name"}),
    "GET /admin/first-run": Rule(Access.ADMINS),
    "GET /admin/jobs": Rule(Access.ADMINS),
    "POST /admin/jobs/run": Rule(Access.ADMINS, {"name": "expiry"}),
    # Seed bonus: a member's own points page and exchanges (with no points the exchange
    # is refused on the page, not by the policy); the author's ledger is for admins.
    "GET /bonus": Rule(Access.MEMBERS),
    "POST /bonus/exchange": Rule(Access.MEMBERS, {"offer": "upload", "amount": "1"}),
    "GET /members/{member_id:int}/ledger": Rule(Access.ADMINS),
    "POST /admin/users/{user_id:int}/points": Rule(
        Access.ADMINS, {"direction": "grant", "points": "5", "reason": "matrix"}
    ),
    "POST /admin/first-run/forum": Rule(
        Access.ADMINS, {"category": "Matrix category", "forum": "Matrix forum"}
    ),
    # The JSON API: members are known by their bearer token there, never by the cookie.
    "GET /api/me": Rule(Access.MEMBERS),
    "GET /api/torrents": Rule(Access.EVERYONE, query=FIND_ALL),
    "GET /api/torrents/{torrent_id:int}": Rule(Access.VIEWERS),
    "GET /api/torrents/{torrent_id:int}/download": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /api/torrents": Rule(Access.MEMBERS, {"forum_id": "{forum_id}", **TOPIC}),
    "POST /api/torrents/{torrent_id:int}/thanks": Rule(Access.MEMBERS_WHO_VIEW),
    # The API's generated OpenAPI documents and the page linking them: public documentation.
    "GET /api/schema": Rule(Access.EVERYONE),
    "GET /api/schema/openapi.json": Rule(Access.EVERYONE),
    "GET /api/schema/openapi.yaml": Rule(Access.EVERYONE),
    "GET /api/schema/openapi.yml": Rule(Access.EVERYONE),
    # Litestar's catch-all for unknown schema files: a 404 for everyone.
    "GET /api/schema/{path:str}": Rule(Access.NOBODY),
    # Private messages. The conversation is the author's with a member who is none of
    # the roles: no role reads or writes in it, moderators and admins included; admins
    # may remove a member from it (acting on a report) without reading it.
    "GET /messages": Rule(Access.MEMBERS),
    "GET /messages/new": Rule(Access.MEMBERS),
    "POST /messages/new": Rule(Access.MEMBERS, {"to": "author", "subject": "matrix", **BODY}),
    "GET /messages/{conversation_id:int}": Rule(Access.NOBODY),
    "GET /messages/{conversation_id:int}/reply": Rule(Access.NOBODY),
    "POST /messages/{conversation_id:int}/reply": Rule(Access.NOBODY, BODY),
    "POST /messages/{conversation_id:int}/leave": Rule(Access.NOBODY),
    "POST /messages/{conversation_id:int}/remove": Rule(
        Access.ADMINS, {"member_id": "{correspondent_id}"}
    ),
    "POST /messages/report/{message_id:int}": Rule(Access.NOBODY, {"reason": "matrix"}),
    "GET /messages/blocked": Rule(Access.MEMBERS),
    "POST /messages/blocked": Rule(Access.MEMBERS, {"name": "author"}),
    # No role blocks the author: there is no block of theirs to lift.
    "POST /messages/blocked/{member_id:int}/remove": Rule(Access.NOBODY),
    # Moderators read a message while its report is open (the board's message is reported).
    "GET /moderation/message-reports": Rule(Access.MODERATORS),
    "GET /moderation/message-reports/{report_id:int}": Rule(Access.MODERATORS),
    "POST /moderation/message-reports/{report_id:int}/close": Rule(Access.MODERATORS),
    # Groups. The board's group is open, grants viewing the private forum, and has one
    # request (the author's) that only admins answer: no role leads it.
    "GET /groups": Rule(Access.EVERYONE),
    "GET /groups/{group_id:int}": Rule(Access.EVERYONE),
    "POST /groups/{group_id:int}/join": Rule(Access.MEMBERS),
    # Leaving a group one is not in changes nothing and says so: allowed, harmless.
    "POST /groups/{group_id:int}/leave": Rule(Access.MEMBERS),
    "POST /groups/{group_id:int}/requests/{user_id:int}/approve": Rule(Access.ADMINS),
    "POST /groups/{group_id:int}/requests/{user_id:int}/refuse": Rule(Access.ADMINS),
    "POST /groups/{group_id:int}/members": Rule(Access.ADMINS, {"name": "author"}),
    "POST /groups/{group_id:int}/members/{user_id:int}/remove": Rule(Access.ADMINS),
    "GET /admin/groups/new": Rule(Access.ADMINS),
    "POST /admin/groups/new": Rule(Access.ADMINS, {"name": "New group", "join_mode": "open"}),
    "GET /admin/groups/{group_id:int}/edit": Rule(Access.ADMINS),
    "POST /admin/groups/{group_id:int}/edit": Rule(
        Access.ADMINS, {"name": "Renamed group", "join_mode": "request"}
    ),
    "GET /admin/groups/{group_id:int}/delete": Rule(Access.ADMINS),
    "POST /admin/groups/{group_id:int}/delete": Rule(Access.ADMINS, {"confirm": "yes"}),
    "GET /admin/groups/{group_id:int}/rights": Rule(Access.ADMINS),
    "POST /admin/groups/{group_id:int}/rights": Rule(
        Access.ADMINS, {"grant": "{forum_id}:download"}
    ),
    # Profiles: one's own avatar, signature and preferences; the images (avatars and rank
    # images) are shown beside public posts, so anyone may fetch them.
    "GET /profile": Rule(Access.MEMBERS),
    "POST /profile/avatar": Rule(Access.MEMBERS),
    "POST /profile/avatar/remove": Rule(Access.MEMBERS),
    "POST /profile/signature": Rule(Access.MEMBERS, {"signature": "[b]matrix[/b] signature"}),
    "POST /settings/preferences": Rule(Access.MEMBERS, {"hide_online": "1"}),
    "GET /images/{digest:str}": Rule(Access.EVERYONE),
    "POST /members/{member_id:int}/rank": Rule(Access.ADMINS, {"rank_id": "{rank_id}"}),
    "GET /admin/ranks": Rule(Access.ADMINS),
    "POST /admin/ranks": Rule(Access.ADMINS, {"title": "Another rank", "min_posts": "5"}),
    "GET /admin/ranks/{rank_id:int}/edit": Rule(Access.ADMINS),
    "POST /admin/ranks/{rank_id:int}/edit": Rule(
        Access.ADMINS, {"title": "Renamed rank", "min_posts": "1"}
    ),
    "GET /admin/ranks/{rank_id:int}/delete": Rule(Access.ADMINS),
    "POST /admin/ranks/{rank_id:int}/delete": Rule(Access.ADMINS, {"confirm": "yes"}),
    "GET /api/messages": Rule(Access.MEMBERS),
    # TorrentPier's addresses (tinypier.legacy): a 301 to the page they name for whoever
    # may see it, that page's 404 for anyone else; the ids come from the query.
    "GET /viewtopic.php": Rule(Access.VIEWERS, query={"t": "{topic_id}"}),
    "GET /viewtopic": Rule(Access.VIEWERS, query={"p": "{post_id}"}),
    "GET /viewforum.php": Rule(Access.VIEWERS, query={"f": "{forum_id}"}),
    "GET /viewforum": Rule(Access.VIEWERS, query={"f": "{forum_id}", "start": "50"}),
    "GET /threads/{thread:str}": Rule(Access.VIEWERS),
    "GET /dl/{topic_id:str}": Rule(Access.VIEWERS),
    # No attachment id is mapped on this board (the importer fills legacy_attachments).
    "GET /dl.php": Rule(Access.NOBODY, query={"id": "{topic_id}"}),
    # The profile page itself asks guests to log in; the redirect looks nothing up.
    "GET /profile.php": Rule(Access.EVERYONE, query={"mode": "viewprofile", "u": "1"}),
    "GET /index.php": Rule(Access.EVERYONE),
    "GET /memberlist.php": Rule(Access.EVERYONE),
    "GET /tracker.php": Rule(Access.EVERYONE),
    "GET /search.php": Rule(Access.EVERYONE),
    "GET /api/messages/{conversation_id:int}": Rule(Access.NOBODY),
    "POST /api/messages": Rule(Access.MEMBERS, {"to": "author", "subject": "matrix", **BODY}),
    # Watching, notifications and bookmarks: what one may view, one may watch and bookmark;
    # each member reads their own notices (the board's one is the correspondent's).
    "POST /topics/{topic_id:int}/watch": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /topics/{topic_id:int}/unwatch": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /topics/{topic_id:int}/bookmark": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /topics/{topic_id:int}/unbookmark": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /forums/{forum_id:int}/watch": Rule(Access.MEMBERS_WHO_VIEW),
    "POST /forums/{forum_id:int}/unwatch": Rule(Access.MEMBERS_WHO_VIEW),
    "GET /notifications": Rule(Access.MEMBERS),
    "POST /notifications/read": Rule(Access.MEMBERS),
    "POST /notifications/{notice_id:int}/open": Rule(Access.NOBODY),
    "GET /notifications/settings": Rule(Access.MEMBERS),
    "POST /notifications/settings": Rule(
        Access.MEMBERS, {"email": "matrix@example.org", "email_notifications": "on"}
    ),
    "GET /bookmarks": Rule(Access.MEMBERS),
    "GET /api/notifications": Rule(Access.MEMBERS),
}

# Not in the matrix: static files are the same bytes for everyone, and /announce and
# /scrape are answered by the tracker's raw ASGI layer in front of the app (they are not
# in app.routes; the tracker suite covers their passkey checks).
EXCLUDED_PREFIXES = ("/static/",)


def endpoints_under_test() -> list[Endpoint]:
    return [
        endpoint
        for endpoint in app_endpoints()
        if not endpoint.path.startswith(EXCLUDED_PREFIXES) and endpoint.method != "HEAD"
    ]


def targets_for(endpoint: Endpoint) -> tuple[str, ...]:
    """Routes without an id into a forum (in the path, or the query the policy fills in)
    behave the same for both; run them once."""
    rule = POLICY.get(endpoint.key)
    from_query = rule is not None and any("{" in value for value in rule.query.values())
    into_forum = from_query or any(param in CONTENT_PARAMS for param in endpoint.params)
    return TARGETS if into_forum else ("public",)


CASES = [
    pytest.param(endpoint, role, target, id=f"{endpoint.key} {role} {target}")
    for endpoint in endpoints_under_test()
    for target in targets_for(endpoint)
    for role in ROLES
]


@pytest.fixture(scope="module")
def template_board(tmp_path_factory: pytest.TempPathFactory) -> RoleBoard:
    return build_role_board(tmp_path_factory.mktemp("matrix") / "data")


@pytest.fixture(scope="module")
def reader(
    template_board: RoleBoard, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[RoleBoard, TestClient[Litestar]]]:
    """One running copy of the board for every request that must not change it.

    GETs and refused POSTs leave the board as it was (the CSRF suite and the checksum
    below prove it), so they share this copy; an allowed POST gets a copy of its own.
    """
    board = clone_board(template_board, tmp_path_factory.mktemp("reader") / "data")
    with client_as(board, "guest") as client:
        yield board, client


def other_target(board: RoleBoard, target: Target) -> Target:
    return board.private if target == board.public else board.public


def fill_form(rule: Rule, board: RoleBoard, target: Target) -> dict[str, str]:
    ids = {
        "forum_id": target.forum_id,
        "category_id": target.category_id,
        "other_forum_id": other_target(board, target).forum_id,
        "other_topic_id": other_target(board, target).topic_id,
        "correspondent_id": board.conversation.correspondent_id,
        "rank_id": board.rank_id,
    }
    return {name: value.format(**ids) for name, value in rule.form.items()}


def is_login_redirect(response: Response) -> bool:
    return response.is_redirect and response.headers["location"].startswith("/login")


def assert_no_private_words(board: RoleBoard, role: str, response: Response, label: str) -> None:
    if LEVEL[role] >= VIEW_LEVEL["private"]:
        return
    text = response.text
    for secret in board.private.secrets:
        assert secret not in text, f"LEAK: {label} shows {secret!r} to {role}"
    for path in board.private.paths:
        link = re.compile(re.escape(path) + r"(?![0-9])")
        assert not link.search(text), f"LEAK: {label} links to {path} for {role}"


def assert_get_outcome(allowed: bool, role: str, response: Response, label: str) -> None:
    status = response.status_code
    if allowed:
        assert status == 200 or (response.is_redirect and not is_login_redirect(response)), (
            f"{label}: {role} should be allowed, got {status} {response.headers.get('location')}"
        )
    elif LEVEL[role] == 0:
        assert is_login_redirect(response) or status in (401, 403, 404), (
            f"{label}: guest-like {role} should be sent to log in or refused, got {status}"
        )
    else:
        assert status in (403, 404), f"{label}: {role} should be refused (403/404), got {status}"


def assert_post_outcome(allowed: bool, role: str, response: Response, label: str) -> None:
    status = response.status_code
    assert status < 500, f"{label}: {role} got a server error {status}"
    if allowed:
        assert status not in (401, 403, 404, 405) and not is_login_redirect(response), (
            f"{label}: {role} should be allowed, got {status}: {response.text[:300]}"
        )
    else:
        assert status in (401, 403, 404), (
            f"{label}: {role} should be refused (401/403/404), got {status}"
        )


def fill_query(rule: Rule, target: Target) -> dict[str, str]:
    ids = {"forum_id": target.forum_id, "topic_id": target.topic_id, "post_id": target.post_id}
    return {name: value.format(**ids) for name, value in rule.query.items()}


def credentials(
    board: RoleBoard, role: str, rule: Rule, path: str, target: Target
) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and query a role's request carries beside its cookie: API and feed tokens."""
    token = board.api_tokens.get(role) if path.startswith("/api/") else None
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    feed_token = board.feed_tokens.get(role) if rule.feed else None
    return headers, {**fill_query(rule, target), **({"token": feed_token} if feed_token else {})}


def check_request(
    client: TestClient[Litestar], board: RoleBoard, endpoint: Endpoint, role: str, target_name: str
) -> None:
    rule = POLICY[endpoint.key]
    target = board.target(target_name)
    path = fill_path(endpoint, board, target)
    label = f"{endpoint.method} {path} ({target_name})"
    # A disabled member's feed token is refused outright, not read as a guest's view.
    allowed = is_allowed(rule.access, role, target_name) and not (rule.feed and role == "disabled")
    headers, query = credentials(board, role, rule, path, target)
    if endpoint.method == "GET":
        response = client.get(path, headers=headers, params=query)
        assert response.status_code < 500, (
            f"{label}: {role} got a server error {response.status_code}"
        )
        assert_get_outcome(allowed, role, response, label)
        assert_no_private_words(board, role, response, label)
        return
    form = {"_csrf_token": csrf_token(client), **fill_form(rule, board, target)}
    before = board_checksum(board.settings, ignored=())
    response = client.request(endpoint.method, path, data=form, headers=headers)
    assert_post_outcome(allowed, role, response, label)
    if not allowed:
        assert board_checksum(board.settings, ignored=()) == before, (
            f"{label}: refused {role} changed the DB"
        )


@pytest.mark.parametrize(("endpoint", "role", "target_name"), CASES)
def test_route_obeys_the_policy(
    template_board: RoleBoard,
    reader: tuple[RoleBoard, TestClient[Litestar]],
    tmp_path: Path,
    endpoint: Endpoint,
    role: str,
    target_name: str,
) -> None:
    rule = POLICY.get(endpoint.key)
    assert rule is not None, f"unknown route: add it to the policy: {endpoint.key}"
    if endpoint.method == "GET" or not is_allowed(rule.access, role, target_name):
        board, client = reader
        become(client, board, role)
        check_request(client, board, endpoint, role, target_name)
        return
    board = clone_board(template_board, tmp_path / "data")
    with client_as(board, role) as own_client:
        check_request(own_client, board, endpoint, role, target_name)


def test_every_policy_entry_is_a_real_route() -> None:
    """A policy line for a route that no longer exists is stale: remove it."""
    known = {endpoint.key for endpoint in endpoints_under_test()}
    assert sorted(set(POLICY) - known) == []


@pytest.mark.parametrize(
    "key", [key for key, rule in POLICY.items() if rule.query == FIND_ALL], ids=str
)
def test_listings_searched_by_an_admin_do_show_the_private_words(
    reader: tuple[RoleBoard, TestClient[Litestar]], key: str
) -> None:
    """The leak checks above mean something only if these searches reach private content."""
    board, client = reader
    become(client, board, "admin")
    path = key.split(" ", 1)[1]
    headers, query = credentials(board, "admin", POLICY[key], path, board.public)
    text = client.get(path, headers=headers, params=query).text
    assert "privateonly" in text and "publiconly" in text


MISSING_IDS = {"missing": 999_999, "beyond-sqlite-integers": 2**64}


@pytest.mark.parametrize("missing_id", MISSING_IDS.values(), ids=MISSING_IDS.keys())
@pytest.mark.parametrize(
    "endpoint",
    [
        pytest.param(endpoint, id=endpoint.key)
        for endpoint in endpoints_under_test()
        if any(":int}" in part for part in endpoint.path.split("/"))
    ],
)
def test_an_id_that_names_nothing_is_not_found(
    reader: tuple[RoleBoard, TestClient[Litestar]], endpoint: Endpoint, missing_id: int
) -> None:
    """An id of nothing, even one too large for SQLite, is not found: not a crash (500),
    not a "done" for an action on nothing.

    Asked by the admin, whom no guard stops, so the id reaches the handler's queries.
    """
    board, client = reader
    become(client, board, "admin")
    path = re.sub(r"\{[a-z_]+:int\}", str(missing_id), endpoint.path)
    rule = POLICY.get(endpoint.key, Rule(Access.NOBODY))
    headers, query = credentials(board, "admin", rule, path, board.public)
    form = {"_csrf_token": csrf_token(client), **fill_form(rule, board, board.public)}
    data = None if endpoint.method == "GET" else form
    response = client.request(endpoint.method, path, data=data, headers=headers, params=query)
    assert response.status_code in (400, 404), f"{endpoint.method} {path}: {response.status_code}"

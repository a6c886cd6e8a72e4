"""Python code builds every internal path from a route name (house rule: URLs by route name,
one helper), as the templates do (tests/test_urls_by_name.py).

A path written by hand (``f"/topics/{topic_id}"``, ``redirect("/settings")``,
``"/members?" + urlencode(...)``) keeps working until its route moves, then sends members to
a 404 nobody notices. Handlers ask ``tinypier.web.pages.route(request, name, ...)``; code
without a request asks ``tinypier.web.urls.path(name, ...)``; both take ``query=`` for a
query string. So no string literal in ``tinypier/`` may start like an internal path, except
where it declares the route table itself (a route decorator's path, a controller's or
router's ``path``), in a docstring, or in the documented exceptions below; and nothing but
those two helpers (and the app that registers its reverser) calls ``route_reverse``.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.exceptions import NoRouteMatchFoundException

import tinypier
from tinypier.web import urls

PACKAGE = Path(tinypier.__file__).parent

# Starts like an internal path: a slash, then a letter, digit, ``{``, ``<`` or ``_``.
# (A lone "/" is a separator as often as a path: cookie paths, ``split("/")``.)
PATH_LIKE = re.compile(r"^/[A-Za-z0-9_{<]")
# The route table: a decorator or router given the path it answers.
ROUTE_DECLARERS = {
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "route",
    "websocket",
    "Router",
    "create_static_files_router",
}
# A lone "/" is flagged only where a redirect goes to it.
REDIRECTS = {"redirect", "Redirect"}
# What BitTorrent clients ask the tracker for: a protocol, not a page with a route name.
TRACKER_PROTOCOL = ("/announce", "/scrape", "/bt")

# Documented exceptions: (file under tinypier/, text) -> why it is not a hand-built link.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("accounts/sessions.py", "/api/"): (
        "the prefix of incoming API requests, which authenticate by bearer token; no link"
    ),
    ("web/member_pages.py", "/static/"): "a prefix of incoming requests that are no page views",
    ("web/member_pages.py", "/images/"): "a prefix of incoming requests that are no page views",
    ("web/api_schema.py", "/api/schema"): "declares the schema routes (OpenAPIConfig.path)",
    ("web/api_schema.py", "/openapi.json"): "declares a schema document's route",
    ("web/api_schema.py", "/openapi.yaml"): "declares a schema document's route",
    ("web/api_schema.py", "/openapi.yml"): "declares a schema document's route",
    (
        "importers/torrentpier/php_config.py",
        "/storage",
    ): "a TorrentPier folder under the board root, not a URL",
    (
        "importers/torrentpier/php_config.py",
        "/storage/app/public",
    ): "a TorrentPier folder under the board root, not a URL",
    (
        "importers/torrentpier/php_config.py",
        "/storage/app/public/avatars",
    ): "a TorrentPier folder under the board root, not a URL",
    ("legacy/routes.py", "/index.php"): "an old TorrentPier address the legacy routes answer",
    ("legacy/routes.py", "/memberlist.php"): "an old TorrentPier address the legacy routes answer",
    ("legacy/routes.py", "/tracker.php"): "an old TorrentPier address the legacy routes answer",
    ("legacy/routes.py", "/search.php"): "an old TorrentPier address the legacy routes answer",
}
# Who may call ``route_reverse``: the two helpers, and the app that registers its reverser.
REVERSERS = {"web/pages.py", "web/urls.py", "app.py"}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text!r}"


def _name(function: ast.expr) -> str | None:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _declares_a_route(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` is the path a route decorator, router or controller declares."""
    parent = parents.get(node)
    if isinstance(parent, ast.Call) and _name(parent.func) in ROUTE_DECLARERS:
        return bool(parent.args) and parent.args[0] is node
    if isinstance(parent, ast.keyword) and parent.arg == "path":
        call = parents.get(parent)
        return isinstance(call, ast.Call) and _name(call.func) in ROUTE_DECLARERS
    if isinstance(parent, ast.Assign) and isinstance(parents.get(parent), ast.ClassDef):
        return any(
            isinstance(target, ast.Name) and target.id == "path" for target in parent.targets
        )
    return False


def _redirects_to(node: ast.expr, parent: ast.AST | None, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether ``node`` is where a redirect goes: the home page is a route too."""
    if isinstance(parent, ast.Call) and _name(parent.func) in REDIRECTS:
        return bool(parent.args) and parent.args[0] is node
    if isinstance(parent, ast.keyword) and parent.arg == "path":
        call = parents.get(parent)
        return isinstance(call, ast.Call) and _name(call.func) in REDIRECTS
    return False


def python_findings(name: str, source: str) -> Iterator[Finding]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "route_reverse":
            if name not in REVERSERS:
                yield Finding(name, node.lineno, "route_reverse")
            continue
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        text = node.value
        parent = parents.get(node)
        if text == "/" and _redirects_to(node, parent, parents):
            yield Finding(name, node.lineno, text)
            continue
        if not PATH_LIKE.match(text) or text.startswith(TRACKER_PROTOCOL):
            continue
        if isinstance(parent, ast.Expr):  # a docstring
            continue
        # A path that starts an f-string is declared by the f-string as a whole.
        whole = parent if isinstance(parent, ast.JoinedStr) and parent.values[0] is node else node
        if isinstance(whole, ast.expr) and _declares_a_route(whole, parents):
            continue
        yield Finding(name, node.lineno, text)


def hand_built_paths(directory: Path) -> list[Finding]:
    findings: list[Finding] = []
    for path in sorted(directory.rglob("*.py")):
        name = path.relative_to(directory).as_posix()
        findings += python_findings(name, path.read_text(encoding="utf-8"))
    return findings


def test_no_python_code_builds_an_internal_path_by_hand() -> None:
    offending = [
        str(finding)
        for finding in hand_built_paths(PACKAGE)
        if (finding.file, finding.text) not in EXCEPTIONS
    ]
    assert offending == [], (
        "build these with pages.route(request, 'route:name', ...) or urls.path(...):\n"
        + "\n".join(offending)
    )


def test_every_exception_is_still_needed() -> None:
    """An exception whose text is gone is stale and would hide a new offender."""
    found = {(finding.file, finding.text) for finding in hand_built_paths(PACKAGE)}
    assert set(EXCEPTIONS) <= found


@pytest.mark.parametrize(
    ("snippet", "offender"),
    [
        ('def link(topic_id):\n    return f"/topics/{topic_id}"\n', "/topics/"),
        ('def back():\n    return redirect("/settings", "Saved.")\n', "/settings"),
        ('USERS_PATH = "/admin/users"\n', "/admin/users"),
        ('def members(q):\n    return "/members?" + urlencode(q)\n', "/members?"),
        ('def feed(base):\n    return f"{base}/feeds/releases.atom"\n', "/feeds/releases.atom"),
        ("POST_PATH = '/posts/{post_id}'\n", "/posts/{post_id}"),
        ('def go(forum_id):\n    return f"/admin/forums/{forum_id}"\n', "/admin/forums/"),
        (
            "def link(request):\n    return request.app.route_reverse('forum:index')\n",
            "route_reverse",
        ),
        ('def out():\n    return redirect("/", "Logged out.")\n', "/"),
        ('def out():\n    return Redirect(path="/", status_code=303)\n', "/"),
    ],
)
def test_the_scan_catches_hand_built_paths(snippet: str, offender: str, tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(snippet, encoding="utf-8")
    findings = hand_built_paths(tmp_path)
    assert [finding.text for finding in findings] == [offender]


@pytest.mark.parametrize(
    "snippet",
    [
        '@get("/topics/{topic_id:int}", name="forum:topic")\nasync def topic(): ...\n',
        'class Admin(Controller):\n    path = "/admin/forums"\n',
        'ROUTER = Router(path="/api", route_handlers=[])\n',
        'STATIC = create_static_files_router(path="/static", directories=[])\n',
        'def f():\n    """Reached at /topics/1."""\n',
        'ANNOUNCE = "/announce"\nLEGACY = {"/bt/announce.php"}\n',
        'COOKIE = Cookie(key="k", value="v", path="/")\nparts = "a/b".split("/")\n',
        "def link():\n    return urls.path('forum:topic', topic_id=1)\n",
    ],
)
def test_the_scan_passes_paths_built_by_name(snippet: str, tmp_path: Path) -> None:
    (tmp_path / "module.py").write_text(snippet, encoding="utf-8")
    assert hand_built_paths(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("forum:topic", {"topic_id": 7}),
        ("forum:post", {"post_id": 12}),
        ("torrents:download", {"torrent_id": 3}),
        ("api:download", {"torrent_id": 3}),
        ("feeds:forum", {"feed_file": "4.atom"}),
        ("static", {"file_path": "smilies/aa.gif"}),
    ],
)
def test_a_path_without_an_app_is_the_apps_path(
    name: str, params: dict[str, Any], app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Code run before or without any app (the importer, a renderer's test) reverses
    from the route table, and gets what the app's own reverser gives."""
    monkeypatch.setattr(urls, "_registered", None)
    assert urls.path(name, **params) == app.route_reverse(name, **params)


def test_a_query_string_is_encoded_after_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(urls, "_registered", None)
    built = urls.path("forum:members", query={"sort": "name & co", "page": 2})
    assert built == "/members?sort=name+%26+co&page=2"
    assert urls.path("accounts:login_form", query={"next": "/topics/1"}) == "/login?next=/topics/1"
    assert urls.path("forum:index", query={}) == urls.path("forum:index")


def test_an_unknown_route_name_fails_loudly() -> None:
    with pytest.raises(NoRouteMatchFoundException):
        urls.path("forum:no_such_page")

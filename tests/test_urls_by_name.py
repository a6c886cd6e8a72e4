"""Templates build every internal link from a route name (house rule: URLs by route name,
one helper).

A hand-built ``href="/topics/{{ topic.id }}"`` keeps working until a route moves, then
breaks silently on the pages nobody checked; ``url_for('forum:topic', topic_id=...)``
follows the route or fails loudly while rendering. So every ``href``, ``action``,
``src`` and ``formaction`` in every template must take its path from an expression
(``url_for``, or an address the handler built the same way), never from literal text,
and no path may hide in a Jinja string literal (``pager(pagination, "/moderation")``).
A query string after the path is fine (``url_for(...) ~ '?quote=' ~ post.id``), as long
as no hand-built path rides in it (``?next=/topics/...``). Every route name a template
asks for must exist in the app.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from jinja2 import Environment, nodes
from litestar import Litestar

from tinypier.app import TEMPLATES_DIR, template_environment

LINK_ATTRIBUTE = re.compile(r"\b(?:href|action|src|formaction)\s*=\s*([\"'])")
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|#)", re.IGNORECASE)
JINJA_OPEN = ("{{", "{%", "{#")
JINJA_CLOSE = {"{{": "}}", "{%": "%}", "{#": "#}"}

# Documented exceptions: (template, offending text) -> why it is not a hand-built link.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("forum/admin_forum_form.html", "/edit"): (
        "a suffix test on the form address the handler built with route_reverse, "
        "choosing the heading; it builds no link"
    ),
}


@dataclass(frozen=True)
class Finding:
    template: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.template}:{self.line}: {self.text}"


def attribute_value(source: str, start: int, quote: str) -> str:
    """The attribute value from ``start`` to its closing quote; a quote inside a Jinja
    tag (``href="{{ url_for("x") }}"``) does not end it."""
    position = start
    while position < len(source):
        opener = source[position : position + 2]
        if opener in JINJA_OPEN:
            position = source.index(JINJA_CLOSE[opener], position) + 2
        elif source[position] == quote:
            return source[start:position]
        else:
            position += 1
    raise AssertionError(f"unterminated attribute value at offset {start}")


def literal_text(value: str) -> str:
    """The parts of an attribute value that are plain text, Jinja tags blanked out."""
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "\x00", value, flags=re.DOTALL)


def hand_built(value: str) -> bool:
    """A path written as text: a ``/`` before the query, or ``=/`` (a path) inside it."""
    text = literal_text(value)
    if EXTERNAL.match(text):
        return False
    path, _, query = text.partition("?")
    return "/" in path or "=/" in query


def attribute_findings(name: str, source: str) -> Iterator[Finding]:
    for match in LINK_ATTRIBUTE.finditer(source):
        value = attribute_value(source, match.end(), match.group(1))
        if hand_built(value):
            yield Finding(name, source.count("\n", 0, match.start()) + 1, value)


def literal_path_findings(name: str, source: str, environment: Environment) -> Iterator[Finding]:
    """String constants in Jinja code that start like an internal path."""
    for constant in environment.parse(source).find_all(nodes.Const):
        value = constant.value
        if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
            yield Finding(name, constant.lineno, value)


def template_sources(directory: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(directory.rglob("*.html")):
        yield path.relative_to(directory).as_posix(), path.read_text(encoding="utf-8")


def hand_built_links(directory: Path) -> list[Finding]:
    environment = template_environment()
    findings: list[Finding] = []
    for name, source in template_sources(directory):
        findings += attribute_findings(name, source)
        findings += literal_path_findings(name, source, environment)
    return findings


def test_no_template_builds_an_internal_link_by_hand() -> None:
    offending = [
        str(finding)
        for finding in hand_built_links(TEMPLATES_DIR)
        if (finding.template, finding.text) not in EXCEPTIONS
    ]
    assert offending == [], "build these with url_for('route:name', ...):\n" + "\n".join(offending)


def test_every_exception_is_still_needed() -> None:
    """An exception whose text is gone is stale and would hide a new offender."""
    found = {(finding.template, finding.text) for finding in hand_built_links(TEMPLATES_DIR)}
    assert set(EXCEPTIONS) <= found


@pytest.mark.parametrize(
    ("snippet", "offender"),
    [
        ('<a href="/forums/{{ forum.id }}">', "/forums/{{ forum.id }}"),
        ('<a href="/login">', "/login"),
        ("<form action='/topics/{{ t.id }}/reply'>", "/topics/{{ t.id }}/reply"),
        ("<a href=\"{{ url_for('forum:topic', topic_id=1) }}/reply\">", "/reply"),
        ("<a href=\"{{ url_for('accounts:login_form') }}?next=/topics/{{ t }}\">", "next=/"),
        ('<img src="/static/logo.png">', "/static/logo.png"),
        ('{{ pager(pagination, "/topics/%d" % topic.id) }}', "/topics/%d"),
    ],
)
def test_the_scan_catches_hand_built_links(snippet: str, offender: str, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(snippet, encoding="utf-8")
    findings = hand_built_links(tmp_path)
    assert len(findings) == 1
    assert offender in findings[0].text


@pytest.mark.parametrize(
    "snippet",
    [
        "<a href=\"{{ url_for('forum:reply_form', topic_id=t.id) }}?quote={{ p.id }}\">",
        '<a title="{{ _("a/b") }}" href="{{ url_for("forum:index") }}">',
        "<link href=\"{{ url_for('static', file_path='style.css') }}\">",
        '<a href="https://example.org/x">',
        '<a href="#posts">',
        '<a href="{{ hit.link }}">',
    ],
)
def test_the_scan_passes_links_built_by_name(snippet: str, tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(snippet, encoding="utf-8")
    assert hand_built_links(tmp_path) == []


def named_routes_asked_for(directory: Path) -> set[tuple[str, str]]:
    """(template, route name) for every ``url_for`` call with a constant name."""
    environment = template_environment()
    asked: set[tuple[str, str]] = set()
    for name, source in template_sources(directory):
        for call in environment.parse(source).find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "url_for" and call.args:
                first = call.args[0]
                if isinstance(first, nodes.Const) and isinstance(first.value, str):
                    asked.add((name, first.value))
    return asked


def test_every_route_name_a_template_asks_for_exists(app: Litestar) -> None:
    known = {
        handler.name
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if handler.name
    }
    asked = named_routes_asked_for(TEMPLATES_DIR)
    assert asked, "the templates ask for no route names: the scan is broken"
    missing = sorted(f"{template}: {name}" for template, name in asked if name not in known)
    assert missing == []

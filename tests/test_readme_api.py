"""The README's "JSON API" examples work: each curl command is run, as written, against
a board (through the test client), in the order the README gives them.

The shell variables the README sets (``BOARD``, ``TOKEN``, ``FORUM``) are filled with a
real token and forum, and ``@album.torrent`` with a real torrent file; everything else
(options, fields, query strings, paths) is taken from the README itself.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import add_member
from tests.samples import sample
from tests.torrents.releases import Client, api_token, release_forum
from tinypier.settings import Settings

README = Path(__file__).parents[1] / "README.md"
UPLOADED_FILE = "hybrid-libtorrent-multi.torrent"
KNOWN_OPTIONS = {"-H", "-F", "-o"}


@dataclass
class CurlCommand:
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    output: str | None = None


def api_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## JSON API\n")
    return text[start : text.index("\n## ", start + 1)]


def shell_blocks(section: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def parse_curl(line: str, variables: dict[str, str]) -> CurlCommand:
    """One ``curl`` line, its ``$VARIABLES`` filled in, read as curl reads its options."""
    words = shlex.split(re.sub(r"\$(\w+)", lambda name: variables[name.group(1)], line))
    assert words[0] == "curl", line
    command = CurlCommand(url=words[-1])
    options = iter(words[1:-1])
    for option in options:
        assert option in KNOWN_OPTIONS, f"the test does not know curl's {option}"
        value = next(options)
        if option == "-H":
            name, _, header = value.partition(": ")
            command.headers[name] = header
        elif option == "-o":
            command.output = value
        elif value.partition("=")[2].startswith("@"):
            name, _, path = value.partition("=@")
            command.files[name] = path
        else:
            name, _, text = value.partition("=")
            command.fields[name] = text
    return command


def readme_commands(variables: dict[str, str]) -> list[CurlCommand]:
    _setting, *examples = shell_blocks(api_section())
    lines = [
        line
        for block in examples
        for line in block.replace("\\\n", " ").splitlines()
        if line.strip()
    ]
    return [parse_curl(line, variables) for line in lines]


def readme_variables() -> set[str]:
    setting = shell_blocks(api_section())[0]
    return {assignment.split("=", 1)[0] for assignment in shlex.split(setting)}


def run(client: Client, command: CurlCommand) -> tuple[int, str, bytes]:
    files = {name: (path, sample(UPLOADED_FILE)) for name, path in command.files.items()}
    if command.fields or files:
        response = client.post(
            command.url, headers=command.headers, data=command.fields, files=files
        )
    else:
        response = client.get(command.url, headers=command.headers)
    return response.status_code, response.headers["content-type"], response.content


@pytest.fixture
def variables(client: Client, settings: Settings) -> dict[str, str]:
    """The README's variables on a fresh board: its address, a member's token, a forum."""
    member = add_member(settings, "script")
    return {
        "BOARD": "",
        "TOKEN": api_token(settings, member),
        "FORUM": str(release_forum(settings)),
    }


def test_the_readme_sets_the_variables_its_examples_use(variables: dict[str, str]) -> None:
    assert readme_variables() == set(variables)


def test_the_readme_examples_upload_list_read_me_and_download(
    client: Client, variables: dict[str, str]
) -> None:
    commands = readme_commands(variables)
    paths = [command.url.split("?")[0] for command in commands]
    assert paths == [
        "/api/me",
        "/api/torrents",
        "/api/torrents",
        "/api/torrents/1",
        "/api/torrents/1/download",
    ]

    answers = [run(client, command) for command in commands]

    assert [status for status, _type, _body in answers] == [200, 201, 200, 200, 200]
    me, posted, listed, read, download = answers
    assert b'"passkey"' in me[2]
    assert b'"torrent_id":1' in posted[2]
    assert b'"title":"Album (2024) FLAC"' in listed[2]
    assert b'"files"' in read[2]
    assert download[1] == "application/x-bittorrent"
    assert commands[-1].output == "album.torrent"

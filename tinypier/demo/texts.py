# Russian text: Cyrillic letters that look Latin are meant.
"""What the demo board says: names, forum and topic titles, post bodies with BBCode.

Everything is drawn from a seeded ``random.Random``, so one seed gives one board. Titles
and posts are in English and in Russian, as on a bilingual board; bodies use the tags
members use (quotes, spoilers, lists, code, links, colours, sizes). The invented words of
:func:`vocabulary` also fill the forum benchmark's posts (``bench/forum_seed.py``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from tinypier.demo.metainfo import DemoContent, DemoFile

CATEGORIES: tuple[tuple[str, tuple[tuple[str, str, bool], ...]], ...] = (
    (
        "Community / Сообщество",
        (
            ("Announcements", "News about this board.", False),
            ("Talk", "Anything that is not a release.", False),
            ("Помощь по трекеру", "Вопросы о клиентах, рейтинге и раздачах.", False),
        ),
    ),
    (
        "Releases / Раздачи",
        (
            ("Linux distributions", "ISO images and live systems.", True),
            ("Музыка", "Альбомы и концерты в FLAC и MP3.", True),
            ("Books and audiobooks", "Public-domain texts and recordings.", True),
            ("Программы", "Свободные программы для всех систем.", True),
        ),
    ),
)
"""Each category with its forums: (name, description, holds releases)."""

STAFF_NAMES = ("mira", "oleg_mod", "sasha.k")
MEMBER_NAMES = (
    "alice", "bob", "carol", "dmitry", "eva", "fedor", "galina", "hugo", "irina", "jonas",
    "katya", "lev", "marta", "nikita", "olga", "pavel", "quinn", "roman", "sveta", "timur",
)  # fmt: skip
CYRILLIC_NAMES = ("Вася", "Настя", "Пётр", "Юля")
"""Used only where the board allows names outside ASCII."""

TOPIC_TITLES = (
    ("Welcome to the board: read this first", 0),
    ("Which BitTorrent client do you use?", 1),
    ("Port forwarding behind a home router", 2),
    ("Как поднять рейтинг без долгой раздачи", 2),
    ("Why is my upload not counted?", 2),
    ("Ищу старые выпуски журнала «Техника — молодёжи»", 1),
    ("Post your desktop screenshots", 1),
    ("Вопрос по личному ключу (passkey)", 2),
    ("Best audiobook narrators", 1),
    ("Скорость упала после обновления клиента", 2),
    ("Seeding etiquette for new members", 0),
    ("Что почитать зимой", 1),
)
"""(topic title, which discussion forum it goes to)."""


@dataclass(frozen=True)
class Release:
    """A release's topic title, its files' name and extension, and the release forum (by
    its index among them) it goes to. A single-file release is one STEM.EXTENSION file;
    a release of several files is a folder STEM of numbered EXTENSION files."""

    title: str
    stem: str
    extension: str
    forum: int

    def numbered(self, round_: int) -> Release:
        """The same release once more (a later edition), with a title of its own."""
        if round_ == 0:
            return self
        return replace(
            self, title=f"{self.title} #{round_ + 1}", stem=f"{self.stem} ({round_ + 1})"
        )


RELEASES = (
    Release("Debian 12.5 netinst amd64", "debian-12.5.0-amd64-netinst", "iso", 0),
    Release("Arch Linux 2024.05.01", "archlinux-2024.05.01-x86_64", "iso", 0),
    Release("Чайковский — Времена года (FLAC)", "Tchaikovsky - The Seasons", "flac", 1),
    Release(
        "Project Gutenberg: Jane Austen, complete novels", "Austen - Complete Novels", "epub", 2
    ),
    Release("LibreOffice 24.2 для Windows и Linux", "LibreOffice_24.2", "tar.xz", 3),
    Release("Bach — Goldberg Variations, open recording", "Goldberg Variations (Open)", "flac", 1),
    Release("Пушкин — Евгений Онегин, аудиокнига", "Pushkin - Eugene Onegin", "mp3", 2),
    Release("Blender 4.1 portable", "blender-4.1.1-linux-x64", "tar.xz", 3),
    Release("Fedora Workstation 40 Live", "Fedora-Workstation-Live-x86_64-40", "iso", 0),
    Release("Шостакович — Джазовые сюиты", "Shostakovich - Jazz Suites", "flac", 1),
)

_PHRASES = (
    "Thanks for sharing, this is exactly what I was looking for.",
    "Seeding it now, should stay up all week.",
    "Does anyone know if this works on older hardware?",
    "Спасибо за раздачу, качается отлично.",
    "Встану на раздачу вечером, когда докачаю.",
    "The checksums match the official ones, verified twice.",
    "Мой клиент пишет «unregistered torrent» — что делать?",
    "Please keep seeding, the swarm is small at night.",
    "Отличное качество, рекомендую всем.",
    "I had the same problem; restarting the client fixed it.",
)


def vocabulary(rng: random.Random) -> list[str]:
    """Three thousand invented words: text that looks like prose and stems like it."""
    syllables = ["ka", "lo", "mi", "ra", "ten", "vor", "sel", "dun", "bri", "ost", "ul", "ena"]
    return sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})


def sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choices(words, k=rng.randint(6, 16))).capitalize() + "."


def topic_title(number: int) -> tuple[str, int]:
    """The curated titles first, then the same with a part number, so titles stay unique;
    with the index of the discussion forum the topic belongs in."""
    title, forum = TOPIC_TITLES[number % len(TOPIC_TITLES)]
    round_ = number // len(TOPIC_TITLES)
    return (title if round_ == 0 else f"{title} ({round_ + 1})"), forum


def release(number: int) -> Release:
    """The curated releases first, then later editions of them."""
    return RELEASES[number % len(RELEASES)].numbered(number // len(RELEASES))


def _decorated(rng: random.Random, phrase: str, quoted: str) -> str:
    """One phrase with a tag or two around it, picked at random."""
    choices = (
        f"[b]{phrase}[/b]",
        f"[quote={quoted}]{rng.choice(_PHRASES)}[/quote]\n{phrase}",
        f"{phrase}\n[spoiler=Details]Tested on three machines, no problems.[/spoiler]",
        f"[color=#2456a6]{phrase}[/color]",
        f"{phrase} [size=2]([i]edited for clarity[/i])[/size]",
        f"{phrase}\n[list]\n[*]Open the client\n[*]Add the .torrent\n[*]Keep seeding\n[/list]",
        f"{phrase}\n[code]sha256sum --check SHA256SUMS\n[/code]",
        f"{phrase} See [url=https://www.example.org/guide]the guide[/url].",
        f"[u]{phrase}[/u] [s]old link removed[/s]",
    )
    return rng.choice(choices)


def post_body(rng: random.Random, quoted: str) -> str:
    """A reply: a phrase or two, one of them in BBCode."""
    body = _decorated(rng, rng.choice(_PHRASES), quoted)
    if rng.random() < 0.4:
        body += "\n\n" + rng.choice(_PHRASES)
    return body


def release_description(rng: random.Random, title: str, content: DemoContent) -> str:
    """The release's first post, laid out as uploaders do: a heading, facts, a spoiler."""
    listing = "\n".join(f"[*]{'/'.join(file.path) or content.name}" for file in content.files)
    return (
        f"[center][size=5][b]{title}[/b][/size][/center]\n\n"
        f"[b]Format:[/b] [color=green]original files[/color]\n"
        f"[b]Source:[/b] [url=https://www.example.org/]example.org[/url]\n\n"
        f"[spoiler=Files]\n[list]\n{listing}\n[/list]\n[/spoiler]\n\n"
        f"{_decorated(rng, rng.choice(_PHRASES), 'uploader')}"
    )


def release_content(
    rng: random.Random, release: Release, max_size: int, single_file: bool
) -> DemoContent:
    """One file, or a folder of files of the release's kind (one more in a subfolder)."""
    seed = rng.getrandbits(32)
    if single_file:
        size = rng.randint(max_size // 8, max_size)
        return DemoContent(f"{release.stem}.{release.extension}", (DemoFile((), size),), seed)
    count = rng.randint(2, 6)
    files = [
        DemoFile(
            (f"{number:02d} - part {number}.{release.extension}",),
            rng.randint(1, max_size // count),
        )
        for number in range(1, count)
    ]
    files.append(DemoFile(("extras", "README.txt"), rng.randint(100, 4000)))
    return DemoContent(release.stem, tuple(files), seed)

"""A poll as its starter describes it, checked against the board's bounds.

The form sends the options one per line. Every problem is reported at once, in words the
member can act on, and nothing is stored until there are none.
"""

from __future__ import annotations

from dataclasses import dataclass

from tinypier.i18n import _, ngettext
from tinypier.settings import Settings
from tinypier.web.numbers import whole_number

MIN_OPTIONS = 2
SECONDS_PER_DAY = 86_400


@dataclass
class PollForm:
    """The poll form as posted; every field is text so a bad value gets its own message."""

    question: str = ""
    options: str = ""
    max_choices: str = "1"
    days: str = ""
    allow_change: str | None = None


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: tuple[str, ...]
    max_choices: int
    days: int | None
    allow_change: bool


def option_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _question_problems(question: str, settings: Settings) -> list[str]:
    if not question:
        return [_("Write the poll's question.")]
    if len(question) > settings.poll_question_max_chars:
        return [
            _(
                "The question is too long: at most %(max)s characters.",
                max=settings.poll_question_max_chars,
            )
        ]
    return []


def _option_problems(options: tuple[str, ...], settings: Settings) -> list[str]:
    problems = []
    if not MIN_OPTIONS <= len(options) <= settings.poll_options_max:
        problems.append(
            _(
                "A poll has from %(min)s to %(max)s options, one per line.",
                min=MIN_OPTIONS,
                max=settings.poll_options_max,
            )
        )
    for number, option in enumerate(options, start=1):
        if len(option) > settings.poll_option_max_chars:
            problems.append(
                _(
                    "Option %(number)s is too long: at most %(max)s characters.",
                    number=number,
                    max=settings.poll_option_max_chars,
                )
            )
    if len({option.casefold() for option in options}) != len(options):
        problems.append(_("Two options say the same thing: make each option different."))
    return problems


def _max_choices(form: PollForm, option_count: int) -> tuple[int, list[str]]:
    chosen = whole_number(form.max_choices.strip())
    if chosen is None or not 1 <= chosen <= max(1, option_count):
        problem = ngettext(
            "Members may choose from 1 to %(num)s option.",
            "Members may choose from 1 to %(num)s options.",
            max(1, option_count),
        )
        return 1, [problem]
    return chosen, []


def _days(form: PollForm, settings: Settings) -> tuple[int | None, list[str]]:
    if not form.days.strip():
        return None, []
    days = whole_number(form.days.strip())
    if days is None or not 1 <= days <= settings.poll_days_max:
        problem = ngettext(
            "A poll runs from 1 to %(num)s day; leave it empty for a poll with no end.",
            "A poll runs from 1 to %(num)s days; leave it empty for a poll with no end.",
            settings.poll_days_max,
        )
        return None, [problem]
    return days, []


def read_poll(form: PollForm, settings: Settings) -> PollSpec | list[str]:
    """The poll to store, or every problem with the form."""
    question = form.question.strip()
    options = option_lines(form.options)
    max_choices, choice_problems = _max_choices(form, len(options))
    days, day_problems = _days(form, settings)
    problems = [
        *_question_problems(question, settings),
        *_option_problems(options, settings),
        *choice_problems,
        *day_problems,
    ]
    if problems:
        return problems
    return PollSpec(question, options, max_choices, days, form.allow_change is not None)

"""How numbers and times read on every page: one place, so the forum, the releases and
the account pages never show the same value two ways.

Everything here speaks the request's audience (``tinypier.i18n``): its language's digits,
month names and units, and its time zone. The date pattern itself is a message of the
catalog, so each language keeps the form its readers expect.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from babel.dates import format_datetime, format_timedelta
from babel.numbers import format_decimal

from tinypier.i18n import N_, current_audience, gettext, pgettext

SIZE_UNITS = (N_("B"), N_("KiB"), N_("MiB"), N_("GiB"), N_("TiB"), N_("PiB"))


def number(value: int | float) -> str:
    """A count with the language's grouping: 12,345 or 12 345."""
    return format_decimal(value, locale=current_audience().locale)


def human_size(size: int) -> str:
    """Bytes as a person reads them: 1536 -> "1.5 KiB" ("1,5 КиБ" in Russian)."""
    value = float(size)
    for unit in SIZE_UNITS:
        if abs(value) < 1024 or unit == SIZE_UNITS[-1]:
            pattern = "0" if unit == "B" else "0.0"
            shown = format_decimal(value, pattern, locale=current_audience().locale)
            return f"{shown} {gettext(unit)}"
        value /= 1024
    raise AssertionError("unreachable: the last unit always returns")


def ratio(uploaded: int, downloaded: int) -> str:
    """Share ratio as trackers show it: "∞" for someone who only gave, "—" for someone
    who never moved a byte."""
    if downloaded > 0:
        return format_decimal(uploaded / downloaded, "0.00", locale=current_audience().locale)
    return "∞" if uploaded > 0 else "—"


def ratio_figure(value: float) -> str:
    """A ratio the rules compare (a minimum, a member's ratio), with two decimals."""
    return format_decimal(value, "0.00", locale=current_audience().locale)


def when(timestamp: int | None) -> str:
    """A moment in the reader's time zone, in their language's date form."""
    if timestamp is None:
        return ""
    audience = current_audience()
    # Translators: a Babel (CLDR) date pattern; "z" is the time zone's short name.
    pattern = pgettext("date pattern", "yyyy-MM-dd HH:mm z")
    moment = datetime.fromtimestamp(timestamp, UTC)
    return format_datetime(moment, pattern, tzinfo=audience.tzinfo, locale=audience.locale)


def day(timestamp: int) -> str:
    """The reader's calendar day of a moment, in their language's form."""
    audience = current_audience()
    # Translators: a Babel (CLDR) date pattern for a day without its time.
    pattern = pgettext("day pattern", "yyyy-MM-dd")
    moment = datetime.fromtimestamp(timestamp, UTC)
    return format_datetime(moment, pattern, tzinfo=audience.tzinfo, locale=audience.locale)


def ago(timestamp: int | None, now: float | None = None) -> str:
    """How long ago, as people say it: "2 hours ago", "2 часа назад"."""
    if timestamp is None:
        return ""
    # A moment from this very second (or a clock a little ahead) is still in the past.
    seconds_ago = max(1.0, (time.time() if now is None else now) - timestamp)
    return format_timedelta(
        timedelta(seconds=-seconds_ago),
        add_direction=True,
        threshold=1.0,
        locale=current_audience().locale,
    )


def iso(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat()

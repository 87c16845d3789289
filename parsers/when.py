"""When a reported activity happened: choosing among the dates and times a block names.

A label ("Date/Time served:") wins over sentences; a sentence wins over the batch preamble or the
subject. When several different days or times are named, the one said in the same sentence as
the activity is taken; for an attempt, the last one (the registry records the last attempt).
Otherwise the choice is left to a person, with the candidates quoted in the problem.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import TypeVar

from parsers import dates
from parsers.blocks import Labelled
from parsers.docket import find_dockets
from parsers.evidence import INFERRED, STATED, Source

# An officer's watch and our mail server's clock differ by a few minutes; a report of service
# "at 2:15" that arrives at 2:13 is not from the future.
CLOCK_SKEW = timedelta(minutes=5)
NOUNS = {"service": "service", "attempt": "attempt", "received": "receipt",
         "transferred": "transfer", "other": "event"}  # fmt: skip
_NOT_WHEN = re.compile(
    r"\b(?:dob|d\.o\.b|birth|born|hearing|court\s+date|return\s+date|expir\w*|issued|"
    r"order\s+date|dated|since|until|through|thru|from|between|"
    # a plan is no activity: "will try the courthouse Monday", "going back tomorrow"
    r"will|going\s+to|going\s+back|plan(?:s|ning)?\s+to|try\s+again|'ll)\b[^\n.]{0,25}$",
    re.IGNORECASE | re.ASCII,
)
# "not home until after midnight", "will go back at 6": a bound or a plan, not when it happened.
_NOT_AT = re.compile(
    r"\b(?:until|till|since|will|going\s+to|going\s+back|"
    r"plan(?:s|ning)?\s+to|'ll)\b[^\n.]{0,25}$",
    re.IGNORECASE | re.ASCII,
)
_SENTENCE = re.compile(r"(?<=[a-z0-9)\]][.!?])\s+(?=[A-Z])|\n\s*\n")
# "between 2 and 3 pm", "2-3 pm", "from 1:30 to 2": a span, not the moment the registry needs.
_RANGE_BEFORE = re.compile(
    r"\b(?:between|from)\s+[\d:apm. ]{1,10}\s*(?:and|to|-|\u2013)\s*$"
    r"|(?<![/\d.-])\d{1,2}(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:-|\u2013|to)\s*$",
    re.IGNORECASE | re.ASCII,
)
_RANGE_AFTER = re.compile(r"\s*(?:-|\u2013|to|and)\s*\d", re.IGNORECASE | re.ASCII)
# A day written with its year is stated; "11/3", "Saturday", "yesterday" are completed.
_YEAR_WRITTEN = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\b(?:19|20)\d\d\b|'\d\d\b")
_M = TypeVar("_M", dates.DateMention, dates.TimeMention)


def occurred_at(
    block: Labelled,
    activity: str,
    anchor: int | None,
    *,
    today: date,
    tz: tzinfo,
    received_at: datetime,
    context: str,
    problems: list[str],
    seen: list[Source] | None = None,
) -> datetime | None:
    """Return when the activity happened (aware, in `tz`), adding to `problems` what is unsure.

    `anchor` is where in the block's prose the activity was said; `context` is the text a block
    inherits from (a batch's preamble, the subject).
    """
    noun = NOUNS[activity]
    both = block.values("when")
    day_text = " \n".join(both + block.values("date"))
    time_text = " \n".join(both + block.values("time"))
    if day_text:
        days, day_anchor = dates.find_dates(day_text, today), None
    else:
        days, day_anchor = _prose_dates(block.prose, today), anchor
    if not [d for d in days if d.day is not None] and not day_text:
        days = [d for d in dates.find_dates(context, today) if d.day is not None]
    if time_text:
        times, time_anchor, time_home = dates.find_times(time_text), None, time_text
    else:
        times, time_anchor, time_home = _outside_dockets(block.prose), anchor, block.prose
    day = _pick_day(days, day_anchor, block.prose, activity, problems)
    clock = _pick(times, time_anchor, time_home, activity, "time", noun, problems)
    today_implied = day is None and clock is not None and not days
    if today_implied and clock is not None:
        # A time with no day, in a message sent later that day ("tried again 9pm"), is today.
        day = dates.DateMention(clock.start, clock.start, "", today)
    if day is None:
        if not any(p.startswith(("ambiguous date", "invalid date", "weekday")) for p in problems):
            problems.append(f"missing date of {noun}")
    elif day.day is not None and day.day > received_at.astimezone(tz).date():
        problems.append("occurred_at in the future")
    if clock is None:
        if not any(p.startswith("ambiguous time") for p in problems):
            problems.append(f"missing time of {noun}")
        return None
    if day is None or day.day is None:
        return None
    stretch = _range_around(time_home, clock)
    if stretch is not None:
        problems.append(f"time of {noun} given as a range: {stretch!r}")
        return None
    settled = clock.with_period(_period_near(time_home, clock.start) or day.period)
    settled = _past_reading(settled, day.day, tz, received_at)
    moment, found = dates.local_moment(day.day, settled, tz)
    if today_implied and (moment is None or moment > received_at + CLOCK_SKEW):
        problems.append(f"missing date of {noun}")
        return None
    problems.extend(found)
    if moment is not None and seen is not None:
        whole = settled is clock and _YEAR_WRITTEN.search(day.text) is not None
        seen.append(Source("occurred_at", STATED if whole else INFERRED, (day.text, clock.text)))
    if moment is not None and moment > received_at + CLOCK_SKEW:
        problems.append("occurred_at in the future")
    return moment


def _past_reading(
    clock: dates.TimeMention, day: date, tz: tzinfo, received_at: datetime
) -> dates.TimeMention:
    """ "11:15" in a message sent at 11:40 that day is the morning: the evening is still to come."""
    if clock.hour is not None:
        return clock
    latest = received_at + CLOCK_SKEW
    morning, evening = clock.with_period("morning"), clock.with_period("evening")
    am, _ = dates.local_moment(day, morning, tz)
    pm, _ = dates.local_moment(day, evening, tz)
    if am is not None and pm is not None and am <= latest < pm:
        return morning
    return clock


def _range_around(text: str, clock: dates.TimeMention) -> str | None:
    """Return the words of a time range around a clock time, or None for a single time."""
    before = text[max(0, clock.start - 25) : clock.start]
    m = _RANGE_BEFORE.search(before)
    if m is not None:
        return " ".join((before[m.start() :] + clock.text).split())
    after = _RANGE_AFTER.match(text, clock.end)
    if after is not None:
        return " ".join(text[clock.start : after.end() + 6].split())
    return None


def _prose_dates(prose: str, today: date) -> list[dates.DateMention]:
    """Dates in sentences, leaving out birth dates, hearing dates and docket digits."""
    spans = [(m.start, m.end) for m in find_dockets(prose)]
    return [
        d
        for d in dates.find_dates(prose, today)
        if not _NOT_WHEN.search(prose[max(0, d.start - 40) : d.start])
        and not any(d.start < e and s < d.end for s, e in spans)
    ]


def _outside_dockets(prose: str) -> list[dates.TimeMention]:
    """Times in sentences, leaving out docket digits and times that bound or plan something."""
    spans = [(m.start, m.end) for m in find_dockets(prose)]
    return [
        t
        for t in dates.find_times(prose)
        if not any(t.start < e and s < t.end for s, e in spans)
        and not _NOT_AT.search(prose[max(0, t.start - 40) : t.start])
    ]


def _pick_day(
    days: list[dates.DateMention],
    anchor: int | None,
    prose: str,
    activity: str,
    problems: list[str],
) -> dates.DateMention | None:
    invalid = [d for d in days if d.day is None]
    valid = [d for d in days if d.day is not None]
    if not valid and invalid and invalid[0].problem:
        problems.append(invalid[0].problem)
        return None
    return _pick(valid, anchor, prose, activity, "date", NOUNS[activity], problems)


def _pick(
    mentions: list[_M],
    anchor: int | None,
    text: str,
    activity: str,
    what: str,
    noun: str,
    problems: list[str],
) -> _M | None:
    """One value named: take it. Several: the one said with the activity, else ask a person."""
    values = {_value(m): m for m in mentions}
    if len(values) <= 1:
        return mentions[0] if mentions else None
    if anchor is not None:
        sentence = _sentence_span(text, anchor)
        near = [m for m in mentions if sentence[0] <= m.start < sentence[1]]
        if len({_value(m) for m in near}) == 1:
            return near[0]
    if activity == "attempt":
        return mentions[-1]  # the registry wants the last attempt; officers list them in order
    quoted = ", ".join(repr(m.text) for m in list(values.values())[:3])
    problems.append(f"ambiguous {what} of {noun}: {quoted}")
    return None


def _value(mention: dates.DateMention | dates.TimeMention) -> object:
    if isinstance(mention, dates.DateMention):
        return mention.day
    return (mention.hour, mention.clock_hour, mention.minute, mention.zone_name)


def _sentence_span(text: str, at: int) -> tuple[int, int]:
    starts = [0] + [m.end() for m in _SENTENCE.finditer(text)]
    start = max(s for s in starts if s <= at)
    end = min((m.start() for m in _SENTENCE.finditer(text) if m.start() > at), default=len(text))
    return start, end


def _period_near(text: str, at: int) -> str | None:
    """ "morning" or "evening" said in the same sentence settles am or pm; two different do not."""
    start, end = _sentence_span(text, at)
    periods = {period for _, period in dates.find_periods(text[start:end])}
    return periods.pop() if len(periods) == 1 else None

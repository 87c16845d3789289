"""Dates and times as officers type them: "11/3/26", "Nov. 3rd", "yesterday evening at 7:10 PM".

Everything here reads text against a reference day (the email's Date in the registry zone); nothing
reads a clock. A date or time that cannot be pinned down is returned with a `problem` instead of a
guess, so the review queue shows it to a person.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import TypeVar
from zoneinfo import ZoneInfo

# re.ASCII keeps IGNORECASE from folding U+017F/U+212A into "s"/"k" and \d to ASCII digits.
_F = re.IGNORECASE | re.ASCII

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4}|'?\d{2})(?![-/]\d)"

_DATE_PATTERNS = (
    # 11/3, 11/3/26, 11/03/2026 (United States order: month first)
    re.compile(
        r"(?<![\w/.:-])(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/(?P<year>\d{4}|\d{2}))?(?![\w/])"
        r"(?!\s*(?:hours?|hrs?|miles?)\b)",
        _F,
    ),
    # 11-3-26, 11.03.2026 (a year is required, or "555-01" would be a date)
    re.compile(
        r"(?<![\w/.:-])(?P<m>\d{1,2})(?P<sep>[-.])(?P<d>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
        r"(?![\w/-]|\.\d)",
        _F,
    ),
    # 2026-11-03, 2026/11/03
    re.compile(r"(?<![\w/.-])(?P<year>20\d{2})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})(?![\w/-])", _F),
    # Nov. 3rd, November 3, 2026
    re.compile(rf"\b{_MONTH}\b\.?\s*{_DAY}\b(?:,?\s+{_YEAR}\b)?", _F),
    # 3 November 2026, 3rd of Nov
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b\.?(?:,?\s+{_YEAR}\b)?", _F),
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<last>last|this\s+past)\s+)?(?P<wd>mon|tues|wednes|thurs|fri|satur|sun)day\b"
    r"|\b(?P<wd2>mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?,?(?=\s+(?:\d|[a-z]{3}))",
    _F,
)
_RELATIVE = re.compile(
    r"\b(?P<rel>(?:earlier\s+)?today|tonight|(?:the\s+)?day\s+before\s+yesterday|yesterday"
    r"|this\s+(?:morning|afternoon|evening)|last\s+(?:night|evening))"
    r"(?:\s+(?P<period>morning|afternoon|evening|night))?\b",
    _F,
)
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "this": 0, "yesterday": -1, "last": -1}
_PERIOD_WORD = re.compile(r"\b(morning|afternoon|evening|night|tonight)\b", _F)

_AMPM = r"(?P<ap>[ap]\.?\s?m\b\.?|[ap]\b)"
_NOT_ADDRESS = r"(?!\s+(?-i:[A-Z][a-z]))"  # "at 9 Elm St" is an address, "at 9 this morning" a time
_HOUR_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
               "eleven", "twelve")  # fmt: skip
_TIME_PATTERNS = (
    # 2:15 pm, 14:30, 14:30:00 hrs
    re.compile(
        rf"(?<![\w:/.])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::[0-5]\d)?"
        rf"(?:\s*{_AMPM})?(?:\s*(?P<hrs>hrs|hours|hr)\b\.?)?",
        _F,
    ),
    # 2 pm, 2pm, 2 p.m.
    re.compile(r"(?<![\w:/.])(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>[ap]\.?\s?m\b\.?)", _F),
    # 1430 hrs, 0930hrs
    re.compile(
        r"(?<![\w:/.-])(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)\s*(?P<hrs>hrs|hours|hr|h)\b\.?", _F
    ),
    # at 1430 (four digits after "at" are a 24-hour clock)
    re.compile(
        rf"(?:\bat|@)\s*(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?![\w/:-]|\.\d){_NOT_ADDRESS}", _F
    ),
    # at 9, around 9 o'clock (am or pm comes from "this morning" etc. or stays unknown)
    re.compile(
        rf"(?:\bat|@|\baround|\babout)\s+(?P<h>1[0-2]|[1-9])(?P<oclock>\s*o'?clock)?"
        rf"(?![\w/:.-]|\.\d|\s*[ap]\.?\s?m\b){_NOT_ADDRESS}",
        _F,
    ),
    re.compile(r"\b(?:12\s+)?(?P<word>noon|midday|midnight)\b", _F),
    # "a quarter past two", "half past 3", "quarter to five pm": the clock told in words
    re.compile(
        r"\b(?:a\s+)?(?P<part>quarter|half)\s+(?P<rel>past|after|to|of|till?)\s+"
        rf"(?P<hw>{'|'.join(_HOUR_WORDS)}|1[0-2]|[1-9])\b(?:\s*(?P<ap>[ap]\.?\s?m\b\.?))?",
        _F,
    ),
    # a bare 24-hour clock where a time stands: a value's start, after a date, between dashes
    # ("Time: 1410", "11/11 0815", "- 1015 -"); a year (19xx, 20xx) is not read this way
    re.compile(
        rf"(?:^|(?<=\d[ \t])|(?<=[-\u2013\u2014|][ \t])|(?<=@)|(?<=@ ))"
        rf"(?!19\d\d|20\d\d)(?P<h>[01]\d|2[0-3])(?P<mi>[0-5]\d)(?P<clock24>)"
        rf"(?![\w/:.-]|\s*[ap]\.?m\b|\s+\d){_NOT_ADDRESS}",
        _F | re.MULTILINE,
    ),
)
_ZONE = re.compile(
    r"\s*\(?(?P<zone>(?-i:E[SD]T|ET|C[SD]T|UTC|GMT)|eastern(?:\s+(?:standard|daylight))?"
    r"(?:\s+time)?|[+-]\d{2}:?\d{2})\)?(?!\w)",
    _F,
)
_EASTERN = ZoneInfo("America/New_York")
_FIXED_ZONES: dict[str, tzinfo] = {
    "EST": timezone(timedelta(hours=-5), "EST"),
    "EDT": timezone(timedelta(hours=-4), "EDT"),
    "CST": timezone(timedelta(hours=-6), "CST"),
    "CDT": timezone(timedelta(hours=-5), "CDT"),
    "UTC": UTC,
    "GMT": UTC,
}
# Zones that claim to be the Eastern local time: naming the wrong one for the season is a slip
# worth showing ("2:30 PM EST" in July), not a different zone.
_CLAIMS_EASTERN = {"EST", "EDT"}
_FUTURE_YEAR_SLACK = timedelta(days=31)
_GAP_AFTER = re.compile(r"[\s,]*(?:the\s+)?", _F)
_Mention = TypeVar("_Mention", "DateMention", "TimeMention")


@dataclass(frozen=True)
class DateMention:
    """One day named in text; `day` is None (and `problem` says why) when it is not a real date."""

    start: int
    end: int
    text: str
    day: date | None
    period: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class TimeMention:
    """One clock time named in text; `hour` is None when am or pm is not known."""

    start: int
    end: int
    text: str
    hour: int | None
    minute: int
    clock_hour: int
    zone: tzinfo | None = None
    zone_name: str | None = None

    def with_period(self, period: str | None) -> TimeMention:
        """Settle am/pm from a word such as "morning" or "evening", if the clock needs it."""
        if self.hour is not None or period is None:
            return self
        hour = self.clock_hour % 12
        if period != "morning":
            hour += 12
        return TimeMention(
            self.start, self.end, self.text, hour, self.minute, self.clock_hour, self.zone,
            self.zone_name,
        )  # fmt: skip


def find_dates(text: str, today: date) -> list[DateMention]:
    """Return the days named in text, in order; a weekday beside a date is checked against it."""
    found: list[DateMention] = []
    for pattern in _DATE_PATTERNS:
        found.extend(_read_date(m, today) for m in pattern.finditer(text))
    found.extend(_read_relative(m, today) for m in _RELATIVE.finditer(text))
    found = _without_overlaps(found)
    weekdays = [_read_weekday(m, today) for m in _WEEKDAY.finditer(text)]
    return _merge_weekdays(text, found, [w for w in weekdays if not _overlaps(w, found)])


def find_times(text: str) -> list[TimeMention]:
    """Return the clock times named in text, in order, with any zone written right after them."""
    found: list[TimeMention] = []
    for pattern in _TIME_PATTERNS:
        for m in pattern.finditer(text):
            mention = _read_time(m, text)
            if mention is not None:
                found.append(mention)
    return _without_overlaps(found)


def find_periods(text: str) -> list[tuple[int, str]]:
    """Return (offset, "morning" | "afternoon" | "evening" | "night") for each part-of-day word."""
    periods = []
    for m in _PERIOD_WORD.finditer(text):
        word = m.group(1).lower()
        periods.append((m.start(), "night" if word == "tonight" else word))
    return periods


def local_moment(day: date, clock: TimeMention, tz: tzinfo) -> tuple[datetime | None, list[str]]:
    """Join a day and a settled clock time into an aware datetime shown in the registry zone."""
    if clock.hour is None:
        return None, [f"ambiguous time: {clock.text!r} (am or pm?)"]
    problems: list[str] = []
    zone = clock.zone or tz
    moment = datetime(day.year, day.month, day.day, clock.hour, clock.minute, tzinfo=zone)
    if clock.zone_name in _CLAIMS_EASTERN:
        offset = moment.astimezone(_EASTERN).utcoffset()
        if offset != moment.utcoffset():
            problems.append(f"time zone {clock.zone_name} named but the date is not in it")
    elif clock.zone is None and isinstance(tz, ZoneInfo):
        problems.extend(_daylight_saving_gap(moment, clock))
    return moment.astimezone(tz), problems


def _daylight_saving_gap(moment: datetime, clock: TimeMention) -> list[str]:
    """A wall-clock time that the zone skips or repeats at a daylight-saving change is unclear."""
    other = moment.replace(fold=1 - moment.fold)
    if other.utcoffset() == moment.utcoffset():
        return []
    return [f"ambiguous time: {clock.text!r} falls in a daylight-saving change"]


def _read_date(m: re.Match[str], today: date) -> DateMention:
    """Turn one numeric or month-name match into a DateMention (valid or with a problem)."""
    groups = m.groupdict()
    name = (groups.get("mon") or "")[:3].lower()
    month = int(groups["m"]) if groups.get("m") else _MONTHS.get(name)
    day_text = groups.get("d") or groups.get("day") or "0"
    if month is None:
        return DateMention(m.start(), m.end(), m.group(), None, problem="unknown month")
    return _dated(m, month, int(day_text), groups.get("year"), today)


def _dated(m: re.Match[str], month: int, day: int, year: str | None, today: date) -> DateMention:
    """Build a real date from its parts; a missing year is the one that keeps it in the past."""
    text = m.group()
    if year is None:
        value = _nearest_past(month, day, today)
    else:
        digits = year.lstrip("'")
        full = 2000 + int(digits) if len(digits) == 2 else int(digits)  # a 2-digit year is 20YY
        value = _valid_date(full, month, day)
    if value is None:
        return DateMention(m.start(), m.end(), text, None, problem=f"invalid date: {text!r}")
    return DateMention(m.start(), m.end(), text, value)


def _nearest_past(month: int, day: int, today: date) -> date | None:
    """Give a year to "11/7": this year, or last year when that would be weeks ahead."""
    value = _valid_date(today.year, month, day)
    if value is not None and value > today + _FUTURE_YEAR_SLACK:
        return _valid_date(today.year - 1, month, day)
    if value is None and (month, day) == (2, 29):
        return _valid_date(today.year - 1, month, day) or _valid_date(today.year - 2, month, day)
    return value


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _read_relative(m: re.Match[str], today: date) -> DateMention:
    """ "today", "yesterday evening", "this morning", "last night" against the reference day."""
    words = m.group("rel").lower().split()
    offset = -2 if "before" in words else _RELATIVE_DAYS.get(words[-1], 0)
    if words[0] in ("this", "last"):
        offset = _RELATIVE_DAYS[words[0]]
    period = m.group("period") or (words[1] if words[0] in ("this", "last") else None)
    if words[0] == "tonight":
        period = "night"
    day = today + timedelta(days=offset)
    return DateMention(m.start(), m.end(), m.group(), day, period=period and period.lower())


def _read_weekday(m: re.Match[str], today: date) -> DateMention:
    """Read a weekday as the last one on or before the reference day ("last" excludes today)."""
    name = (m.group("wd") or m.group("wd2")).lower()
    weekday = _WEEKDAYS[name[:3]]
    back = (today.weekday() - weekday) % 7
    if back == 0 and m.group("last"):
        back = 7
    return DateMention(m.start(), m.end(), m.group(), today - timedelta(days=back))


def _merge_weekdays(
    text: str, dates: list[DateMention], weekdays: list[DateMention]
) -> list[DateMention]:
    """Fold "Saturday 11/7" into one mention, with a problem when the two disagree."""
    merged: list[DateMention] = []
    by_start = {d.start: d for d in dates}
    by_end = {d.end: d for d in dates}
    taken: set[int] = set()
    for weekday in weekdays:
        partner = _partner(text, weekday, by_start, by_end)
        if partner is None or partner.start in taken:
            merged.append(weekday)
            continue
        taken.add(partner.start)
        start, end = min(weekday.start, partner.start), max(weekday.end, partner.end)
        problem = partner.problem
        named = weekday.text.strip(" ,.").split()[-1]
        if partner.day is not None and partner.day.weekday() != _WEEKDAYS[named[:3].lower()]:
            problem = f"weekday does not match date: {text[start:end]!r}"
        day = None if problem else partner.day
        merged.append(DateMention(start, end, text[start:end], day, partner.period, problem))
    rest = [d for d in dates if d.start not in taken]
    return sorted(merged + rest, key=lambda d: d.start)


def _partner(
    text: str,
    weekday: DateMention,
    by_start: dict[int, DateMention],
    by_end: dict[int, DateMention],
) -> DateMention | None:
    """The date written right beside a weekday, with only spaces, a comma or "the" between."""
    after = _GAP_AFTER.match(text, weekday.end)
    if after is not None and after.end() in by_start:
        return by_start[after.end()]
    before = weekday.start
    while before > 0 and text[before - 1] in " \t\n,":
        before -= 1
    return by_end.get(before)


def _told_in_words(groups: dict[str, str | None]) -> tuple[int, int]:
    """ "quarter past two" is 2:15, "half past 3" 3:30, "quarter to five" 4:45."""
    said = (groups["hw"] or "").lower()
    hour = _HOUR_WORDS.index(said) + 1 if said in _HOUR_WORDS else int(said)
    minutes = 15 if (groups["part"] or "").lower() == "quarter" else 30
    if (groups["rel"] or "").lower() in ("to", "of", "til", "till"):
        return (hour - 2) % 12 + 1, 60 - minutes
    return hour, minutes


def _read_time(m: re.Match[str], text: str) -> TimeMention | None:
    """Turn one clock match into a TimeMention; 24-hour forms and am/pm settle the hour."""
    groups = m.groupdict()
    if groups.get("word"):
        noon = 0 if groups["word"].lower() == "midnight" else 12
        return TimeMention(m.start(), m.end(), m.group(), noon, 0, noon)
    if groups.get("part"):
        clock_hour, minute = _told_in_words(groups)
    else:
        clock_hour = int(groups["h"])
        minute = int(groups.get("mi") or 0)
    ap = (groups.get("ap") or "").lower()[:1]
    hour: int | None
    if ap:
        if clock_hour > 12 or clock_hour == 0:
            hour = clock_hour  # "14:30 pm": the 24-hour reading wins, am/pm is noise
        else:
            hour = clock_hour % 12 + (12 if ap == "p" else 0)
    elif (
        clock_hour > 12
        or clock_hour == 0
        or groups.get("hrs")
        or groups.get("clock24") is not None  # four digits without a colon: a 24-hour clock
        or _zero_padded(groups)
    ):
        hour = clock_hour
    else:
        hour = None
    zone_name, zone, end = _zone_after(text, m.end())
    return TimeMention(
        m.start(), end, text[m.start() : end], hour, minute, clock_hour, zone, zone_name
    )


def _zero_padded(groups: dict[str, str | None]) -> bool:
    """Tell "09:30" and "0930" (a 24-hour clock) from "9:30" (either)."""
    h = groups.get("h") or ""
    return len(h) == 2 and h.startswith("0")


def _zone_after(text: str, at: int) -> tuple[str | None, tzinfo | None, int]:
    """Read a zone written right after a time: (name, zone, end of the zone text)."""
    m = _ZONE.match(text, at)
    if m is None:
        return None, None, at
    upper = " ".join(m.group("zone").upper().split())
    name, zone = _named_zone(upper)
    return (name, zone, m.end()) if zone is not None else (None, None, at)


def _named_zone(upper: str) -> tuple[str, tzinfo | None]:
    if upper in _FIXED_ZONES:
        return upper, _FIXED_ZONES[upper]
    if upper.startswith("EASTERN STANDARD"):
        return "EST", _FIXED_ZONES["EST"]
    if upper.startswith("EASTERN DAYLIGHT"):
        return "EDT", _FIXED_ZONES["EDT"]
    if upper in ("ET", "EASTERN", "EASTERN TIME"):
        return "ET", _EASTERN
    digits = upper.replace(":", "")
    hours, minutes = int(digits[1:3]), int(digits[3:5])
    if hours > 14 or minutes > 59:
        return upper, None
    sign = -1 if digits[0] == "-" else 1
    return upper, timezone(sign * timedelta(hours=hours, minutes=minutes))


def _overlaps(item: DateMention | TimeMention, others: list[DateMention]) -> bool:
    return any(item.start < o.end and o.start < item.end for o in others)


def _without_overlaps(items: list[_Mention]) -> list[_Mention]:
    """Keep the longest of overlapping matches (then the first), in text order."""
    kept: list[_Mention] = []  # sorted by start, never overlapping
    starts: list[int] = []
    for item in sorted(items, key=lambda i: (-(i.end - i.start), i.start)):
        n = bisect_left(starts, item.start)
        if n and kept[n - 1].end > item.start:
            continue
        if n < len(kept) and kept[n].start < item.end:
            continue
        kept.insert(n, item)
        starts.insert(n, item.start)
    return kept

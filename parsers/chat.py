"""Read what an officer types to the bot: a one-line report, or a date and time.

Pure functions: the reference time and the registry's zone are arguments. The words come from
`parsers.fields` and `parsers.dates`, the same vocabulary the email parser reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from parsers import dates, fields
from parsers.docket import find_dockets

_F = re.IGNORECASE | re.ASCII
_NOW = re.compile(r"^\s*(?:now|just\s+now|right\s+now)\s*$", _F)
_AGO = re.compile(r"^\s*(?P<n>\d{1,3})\s*(?P<unit>m|mins?|minutes?|h|hrs?|hours?)\s+ago\s*$", _F)
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


@dataclass(frozen=True)
class When:
    """A moment read from chat text, or the problem that kept it from being read."""

    moment: datetime | None
    problem: str | None = None


@dataclass(frozen=True)
class ChatReport:
    """What a one-line report says; fields it does not say are None."""

    activity: str
    docket: str | None
    docket_problem: str | None
    method: str | None
    police_assistance: bool | None
    when: When | None


def read_when(text: str, now: datetime, zone: tzinfo) -> When:
    """Read "now", "30 min ago", "14:30", "yesterday 7:10pm" as an aware moment before `now`."""
    if _NOW.match(text):
        return When(now)
    ago = _AGO.match(text)
    if ago is not None:
        minutes = int(ago["n"]) * (60 if ago["unit"].lower().startswith("h") else 1)
        return When(now - timedelta(minutes=minutes))
    local_now = now.astimezone(zone)
    times = dates.find_times(text)
    if not times:
        return When(None, f'no time found in "{text.strip()}" — send it like 14:30 or 7:10pm')
    found_days = [d for d in dates.find_dates(text, local_now.date()) if d.day is not None]
    day = found_days[0].day if found_days else local_now.date()
    assert day is not None
    periods = dates.find_periods(text)
    clock = times[0].with_period(periods[0][1] if periods else None)
    moment, problems = dates.local_moment(day, clock, zone)
    if moment is None or problems:
        return When(None, "; ".join(problems) + " — send it like 14:30 or 7:10pm")
    if moment > now:
        return When(None, f"{clock.text.strip()} today is still to come — give a time already past")
    return When(moment)


def read_shortcut(text: str, now: datetime, zone: tzinfo) -> ChatReport | None:
    """Read `served HHD-FA-23-6012345-S hand 14:30 no police`; None when it is no report."""
    first = text.strip().split(maxsplit=1)
    if not first:
        return None
    cues = fields.read_activity_value(first[0])
    if not cues or cues[0].start != 0:
        return None
    activity = cues[0].kind
    rest = text.strip()[len(first[0]) :]
    docket, docket_problem = None, None
    found = find_dockets(rest)
    if found:
        docket, docket_problem = found[0].canonical, found[0].error
        rest = rest[: found[0].start] + " " + rest[found[0].end :]
    else:
        docket_problem = "no docket number found"
    method = _method(rest)
    police = _police(rest)
    leftover = _POLICE_WORDS.sub(" ", _METHOD_WORDS.sub(" ", rest)).strip()
    when = read_when(leftover, now, zone) if leftover else None
    return ChatReport(activity, docket, docket_problem, method, police, when)


_METHOD_WORDS = re.compile(r"\b(?:in[-\s]?hand|hand|abode|ih|upa)\b", _F)
_POLICE_WORDS = re.compile(
    r"\b(?:no|with|without|yes)?\s*(?:police|pd|troopers?)(?:\s+(?:yes|no|assist\w*))?\b", _F
)


def _method(text: str) -> str | None:
    kinds = {cue.kind for cue in fields.method_cues(text)}
    for word in _WORD.findall(text):
        kinds.update(cue.kind for cue in fields.read_method_value(word))
    return kinds.pop() if len(kinds) == 1 else None


def _police(text: str) -> bool | None:
    """Read "no police" / "with PD" / "police yes"; a bare "police" means they assisted."""
    m = _POLICE_WORDS.search(text)
    if m is None:
        return None
    kinds = {cue.kind for cue in fields.police_cues(m.group())}
    if len(kinds) == 1:
        return kinds == {"yes"}
    last = m.group().split()[-1].lower()
    return fields.read_yes_no(last) if last in ("yes", "no") else True

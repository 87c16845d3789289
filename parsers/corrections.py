"""A correction written over an earlier report: one report, the corrected values on the quote's.

"The time of service was 2:40 PM, not 12:40 PM. Everything else is right." over the quoted
report is one report (tests/data/emails/styles/README.md): each field the correction states
replaces the quote's, the rest is the quote's, which the officer confirms. The value after
"not" ("not 11/15") or "reported it as" is the wrong one and is not read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, tzinfo

from parsers.evidence import INFERRED
from parsers.report import Report

_F = re.IGNORECASE | re.ASCII
_CORRECTION = re.compile(
    r"\bcorrect(?:ion|ed|ing)?\b|\bshould\s+(?:be|have\s+been|read|say)\b|\bdisregard\b|"
    r"\bmy\s+(?:mistake|error|bad)\b|\btypo\b|\bmistyped\b|\bamend\w*|"
    # "the date below is wrong", "I had the wrong time"
    r"\b(?:is|was|were|are)\s+(?:wrong|incorrect)\b|\bwrong\s+(?:date|day|time|docket|name|method)\b",
    _F,
)
# "11/14, not 11/15", "abode, not in hand", "I reported it as served but": the wrong value.
_WRONG_VALUE = re.compile(
    r",?\s*\b(?:not|instead\s+of|rather\s+than)\s+(?=[^.;\n]{0,20}\d)[^.;,\n]{1,25}"
    r"|,\s*(?:and\s+)?not\s+[^.;,\n]{1,25}"  # "an abode service, not in hand"
    r"|\b(?:reported|sent|typed|wrote|put|marked|listed|had)\s+(?:it|this|him|her)?\s*as\s+"
    r"(?:an?\s+)?\w+",
    _F,
)
_OVERRIDES = ("docket_number", "activity", "method", "occurred_at", "police_assistance",
              "reason_code", "reason", "transferred_to", "respondent_first_name",
              "respondent_last_name")  # fmt: skip
# Which field each of the parser's problems is about, to keep only those still true.
_PROBLEM_FIELDS = (
    ("missing docket", "docket_number"), ("invalid docket", "docket_number"),
    ("activity not", "activity"), ("missing method", "method"), ("ambiguous method", "method"),
    ("missing date", "occurred_at"), ("missing time", "occurred_at"),
    ("ambiguous date", "occurred_at"), ("ambiguous time", "occurred_at"),
    ("invalid date", "occurred_at"), ("weekday", "occurred_at"), ("time of", "occurred_at"),
    ("occurred_at", "occurred_at"), ("time zone", "occurred_at"),
    ("missing police", "police_assistance"), ("ambiguous police", "police_assistance"),
    ("missing reason", "reason"), ("missing officer transferred", "transferred_to"),
    ("missing officer name", "officer_name"),
)  # fmt: skip


def is_correction(text: str) -> bool:
    """True when a reply's own words correct an earlier message."""
    return _CORRECTION.search(text) is not None


def without_wrong_values(text: str) -> str:
    """Blank out the values a correction names as wrong, keeping every other offset."""
    return _WRONG_VALUE.sub(lambda m: " " * len(m.group()), text)


def corrected(top: Report, base: Report, tz: tzinfo) -> Report:
    """The quoted report with what the correction states put in its place."""
    stated = {s.field for s in top.sources if any(s.words)}
    fields = [name for name in _OVERRIDES if name in stated and getattr(top, name) is not None]
    values = {name: getattr(top, name) for name in fields}
    sources = [s for s in top.sources if s.field in fields]
    if "occurred_at" in values and _day_was_implied(top) and base.occurred_at is not None:
        values["occurred_at"] = _on_day_of(base.occurred_at, top.occurred_at, tz)
    sources += [s for s in base.sources if s.field not in fields]
    if base.officer_name is None and top.officer_name is not None:
        values["officer_name"] = top.officer_name
        sources += [s for s in top.sources if s.field == "officer_name"]
    merged = replace(base, **values, sources=tuple(sources))
    merged = _fit_activity(merged)
    problems = [p for p in base.problems if _about(p) not in {*fields, *values}]
    problems += [p for p in top.problems if _about(p) in fields]
    problems = [p for p in problems if _about(p) not in _not_carried(merged.activity)]
    if merged.activity == "attempt" and merged.reason is None:
        problems.append("missing reason for the attempt")
    if merged.activity == "service" and merged.method is None:
        problems.append("missing method of service")
    return replace(merged, problems=tuple(dict.fromkeys(problems)))


def _day_was_implied(report: Report) -> bool:
    """A corrected time with no day of its own ("the time was 2:40 PM") keeps the quote's day."""
    return any(
        s.field == "occurred_at" and s.state == INFERRED and s.words[:1] == ("",)
        for s in report.sources
    )


def _on_day_of(day_of: datetime, time_of: datetime | None, tz: tzinfo) -> datetime | None:
    if time_of is None:
        return None
    day, clock = day_of.astimezone(tz), time_of.astimezone(tz)
    return day.replace(hour=clock.hour, minute=clock.minute, second=0, microsecond=0)


def _fit_activity(report: Report) -> Report:
    """Drop what the corrected activity does not carry (a method for an attempt, ...)."""
    if report.activity != "service":
        report = replace(report, method=None)
    if report.activity not in ("service", "attempt"):
        report = replace(report, police_assistance=None)
    if report.activity not in ("attempt", "other"):
        report = replace(report, reason_code=None, reason=None)
    return report


def _not_carried(activity: str) -> set[str]:
    """The fields an activity has no value for, so no problem about them either."""
    absent = set()
    if activity != "service":
        absent.add("method")
    if activity not in ("service", "attempt"):
        absent.add("police_assistance")
    if activity not in ("attempt", "other"):
        absent.add("reason")
    return absent


def _about(problem: str) -> str | None:
    return next((name for prefix, name in _PROBLEM_FIELDS if problem.startswith(prefix)), None)

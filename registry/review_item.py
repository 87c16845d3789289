"""What one review item holds: the parser's reports and staff's edits, as form text, and
where in the text read each field came from (its evidence).

The queue's views (registry/review.py) and staff decisions (registry/review_decisions.py)
both read an item through these, and never through each other.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from parsers.evidence import FIELDS as PARSED_FIELDS
from parsers.evidence import INFERRED, MISSING, STATED
from registry.entries import FIELDS_BY_ACTIVITY
from registry.models import Activity, ReviewItem, User
from registry.policy import Policy

# The fields of one report's form, all as the text a form field holds.
FIELDS = (
    "docket_number",
    "activity",
    "method",
    "date",
    "time",
    "police",
    "reason",
    "transferred_to",
    "note",
    "officer",
)
# Staff's edits are kept beside the parser's reading, which stays as the parser left it.
EDITS_KEY = "review_edits"


def parsed_reports(item: ReviewItem) -> list[dict[str, Any]]:
    """Return the parser's reports; a message with none gets one blank report to fill in."""
    reports = list(item.parse_result.get("reports") or [])
    return reports or [{"activity": "service", "problems": []}]


def initial_values(report: dict[str, Any], policy: Policy, officer: User | None) -> dict[str, str]:
    """Return a parsed report as form text: times in the registry zone, yes/no for police."""
    occurred = report.get("occurred_at")
    day = clock = ""
    if occurred:
        local = policy.local(datetime.fromisoformat(occurred))
        day, clock = local.strftime("%Y-%m-%d"), local.strftime("%H:%M")
    police = {True: "yes", False: "no"}.get(bool(report.get("police_assistance")), "")
    if report.get("police_assistance") is None:
        police = ""
    return {
        "docket_number": report.get("docket_number") or "",
        "activity": report.get("activity") or "",
        "method": report.get("method") or "",
        "date": day,
        "time": clock,
        "police": police,
        "reason": reason_text(report),
        "transferred_to": "",
        "note": report.get("note") or "",
        "officer": str(officer.id) if officer else "",
    }


def reason_text(report: dict[str, Any]) -> str:
    """The registry's term beside the officer's words, as the entry form writes a reason.

    "not home: nobody answered, car in the driveway" keeps what the officer wrote for staff
    and the term the statistics count (gateway/web/forms.py joins its fields the same way).
    A report read before the parser gave both has only its term in `reason`.
    """
    code, words = report.get("reason_code"), report.get("reason")
    if code and words and str(words).lower().startswith(str(code).lower()):
        return str(words)
    return ": ".join(str(part) for part in (code, words) if part)


def current_values(
    item: ReviewItem, index: int, policy: Policy, officer: User | None
) -> dict[str, str]:
    """Return what a report's form holds now: the parser's reading with staff's edits on top."""
    values = initial_values(parsed_reports(item)[index], policy, officer)
    edits = (item.parse_result.get(EDITS_KEY) or {}).get(str(index)) or {}
    values.update({k: str(v) for k, v in edits.items() if k in FIELDS})
    return values


# --- Evidence: where in the text the parser read each field, and how sure it is -------------

# The parsed fields whose evidence staff see, in the order staff read them: every field of a
# report but the note, which the review form shows whole.
EVIDENCE_FIELDS = tuple(name for name in PARSED_FIELDS if name != "note")
STATES = frozenset({STATED, INFERRED, MISSING})
# The parsed fields whose evidence each form field shows (the respondent's names have no field).
EVIDENCE_OF_FORM_FIELD = {
    "docket_number": ("docket_number",),
    "activity": ("activity",),
    "method": ("method",),
    "date": ("occurred_at",),
    "time": ("occurred_at",),
    "police": ("police_assistance",),
    "reason": ("reason_code", "reason"),
    "transferred_to": ("transferred_to",),
    "officer": ("officer_name",),
}
# Fields only some activities take, as record_entry takes them: a field missing from a report
# whose activity does not take it is nothing for staff to fill in. Each draft field's parsed
# fields; the time is what every activity but other information must give.
_PARSED_OF_DRAFT = {
    "method": ("method",),
    "police_assistance": ("police_assistance",),
    "reason": ("reason_code", "reason"),
    "transferred_to_id": ("transferred_to",),
}
_ONLY_FOR = {
    parsed: {activity.value for activity, taken in FIELDS_BY_ACTIVITY.items() if draft in taken}
    for draft, names in _PARSED_OF_DRAFT.items()
    for parsed in names
} | {"occurred_at": {activity.value for activity in Activity if activity is not Activity.OTHER}}
K = TypeVar("K")


@dataclass(frozen=True, eq=False)  # told apart by identity: `value` is stored JSON, maybe a list
class Evidence:
    """Where one parsed field of one report came from: stated, inferred or missing."""

    report: int  # the report's index in the email
    field: str
    state: str
    span: tuple[int, int] | None  # into the text read; None when missing or out of range
    quote: str  # the text of the span
    value: Any  # what the parser read, as stored
    source: str | None  # what an inferred value was inferred from, when the parser says
    needed: bool  # the report's activity takes this field

    @property
    def key(self) -> str:
        """Name the span and the form field it belongs to, unique on the page."""
        return f"r{self.report}-{self.field}"


@dataclass(frozen=True)
class Segment:
    """A run of the text read, covered by the same spans (none, one, or nested ones)."""

    text: str
    marks: tuple[Evidence, ...]  # innermost (shortest) span first
    starts: tuple[Evidence, ...]  # the spans that begin with this run


@dataclass(frozen=True)
class ReadText:
    """The text the parser read, cut into highlighted runs, and each report's evidence."""

    segments: list[Segment]
    reports: list[dict[str, Evidence]]

    def of(self, index: int, form_field: str) -> list[Evidence]:
        """Return the evidence a report's form field shows, in EVIDENCE_FIELDS order."""
        found = self.reports[index] if 0 <= index < len(self.reports) else {}
        return [found[name] for name in EVIDENCE_OF_FORM_FIELD.get(form_field, ()) if name in found]

    def field(self, index: int, name: str) -> Evidence | None:
        """Return one parsed field's evidence, if the parser gave any."""
        return (self.reports[index] if 0 <= index < len(self.reports) else {}).get(name)


def read_evidence(parse_result: Any) -> ReadText | None:
    """Return the text read with each report's evidence, or None for an item stored without.

    Evidence is data from the parser, stored as JSON: an entry that is not of the expected
    shape, an unknown state or a span outside the text is left out, never an error.
    """
    text = parse_result.get("text") if isinstance(parse_result, dict) else None
    if not isinstance(text, str):
        return None
    reports = parse_result.get("reports")
    per_report = [
        _report_evidence(index, report, text) if isinstance(report, dict) else {}
        for index, report in enumerate(reports if isinstance(reports, list) else [])
    ]
    spans = [(e.span[0], e.span[1], e) for r in per_report for e in r.values() if e.span]
    segments: list[Segment] = []
    before: tuple[Evidence, ...] = ()
    for run, marks in segment(text, spans):
        starts = tuple(m for m in marks if m not in before)
        segments.append(Segment(run, marks, starts))
        before = marks
    return ReadText(segments, per_report)


def _report_evidence(index: int, report: dict[str, Any], text: str) -> dict[str, Evidence]:
    evidence = report.get("evidence")
    if not isinstance(evidence, dict):
        return {}
    activity = report.get("activity") if isinstance(report.get("activity"), str) else None
    found: dict[str, Evidence] = {}
    for name in EVIDENCE_FIELDS:
        entry = evidence.get(name)
        if not isinstance(entry, dict) or entry.get("state") not in STATES:
            continue
        state = str(entry["state"])
        span = None if state == "missing" else valid_span(entry.get("span"), len(text))
        source = entry.get("from")
        found[name] = Evidence(
            report=index,
            field=name,
            state=state,
            span=span,
            quote=text[span[0] : span[1]] if span else "",
            value=report.get(name),
            source=source if isinstance(source, str) and source.strip() else None,
            needed=name not in _ONLY_FOR or activity in _ONLY_FOR[name],
        )
    return found


def valid_span(value: Any, length: int) -> tuple[int, int] | None:
    """Return [start, end) as a pair when it is two ints inside a text of `length`, else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    start, end = value
    # bool is an int to Python, never an offset to the parser.
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= length:
        return None
    return start, end


def segment(text: str, spans: Iterable[tuple[Any, Any, K]]) -> list[tuple[str, tuple[K, ...]]]:
    """Cut `text` into runs, each with the keys of the spans covering it, innermost first.

    A span is (start, end, key): 0-based str offsets, end exclusive. Spans may overlap or nest
    (a docket inside the line that names it); each run lists every span over it, shortest
    first, so the page can nest marks without breaking HTML. Empty, reversed or out-of-range
    spans are ignored. The runs join back to `text` exactly.
    """
    kept = [
        (span[0], span[1], order, key)
        for order, (start, end, key) in enumerate(spans)
        if (span := valid_span((start, end), len(text)))
    ]
    cuts = sorted({0, len(text), *(s for s, *_ in kept), *(e for _, e, *_ in kept)})
    opening: dict[int, list[tuple[int, int, int, K]]] = {}
    for kept_span in kept:
        opening.setdefault(kept_span[0], []).append(kept_span)
    active: list[tuple[int, int, int, K]] = []
    runs: list[tuple[str, tuple[K, ...]]] = []
    for start, end in itertools.pairwise(cuts):
        active = [s for s in active if s[1] > start] + opening.get(start, [])
        inner_first = sorted(active, key=lambda s: (s[1] - s[0], s[2]))
        keys = tuple(dict.fromkeys(s[3] for s in inner_first))
        if runs and runs[-1][1] == keys:
            runs[-1] = (runs[-1][0] + text[start:end], keys)
        else:
            runs.append((text[start:end], keys))
    return runs

"""Field accuracy of the email parser on the labelled corpus: per field, per style, per split.

Every tests/data/emails/**/NAME.eml (the top folder and styles/) has a NAME.json holding what a
careful reader finds in it. Each email is parsed as the unit tests do: received a minute after
its Date header, in the registry zone America/New_York. Parsed reports are aligned with the
expected ones by docket and activity, then the rest in order; a missing or an extra report is a
miss on every field of it. Prints the accuracy per field, per style, per split (dev/holdout) and
overall; police-assistance answers read as the opposite of what was written (dangerous, must be
0) apart from unknown-vs-stated misses; whether problems were flagged when they should be (not
part of the field accuracy); then every miss as file, field, expected, got.

    .venv/bin/python bench/parser_accuracy.py [--json] [--split dev|holdout] [--style NAME]

How fields compare:
- occurred_at as instants (any offset); police_assistance exactly (true, false, null);
- names and transferred_to ignoring case, spacing and the apostrophe's shape;
- reason_code (the registry's short term, parsers/reasons.py) exactly;
- reason (the officer's own words) leniently: case and spacing ignored, and the expected words
  only have to be contained in what was read; nothing expected means nothing may be read.

Exit status is always 0: this measures; tests assert.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.utils import parsedate_to_datetime
from itertools import zip_longest
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.email import parse_email  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "emails"
ZONE = ZoneInfo("America/New_York")
FIELDS = (
    "docket_number", "activity", "method", "occurred_at", "police_assistance", "reason_code",
    "reason", "transferred_to", "officer_name", "respondent_first_name", "respondent_last_name",
)  # fmt: skip
LOOSE_TEXT = frozenset({"transferred_to", "officer_name", "respondent_first_name",
                        "respondent_last_name"})  # fmt: skip
NO_REPORT = "(no report)"
MISSING = "(missing report)"

Report = dict[str, Any]


@dataclass
class Tally:
    """Correct and compared fields of one slice of the corpus."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.correct += ok
        self.total += 1

    def share(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass
class Result:
    """Everything the run counted."""

    emails: int = 0
    by_field: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_style: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_split: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    emails_by_style: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    overall: Tally = field(default_factory=Tally)
    problems: Tally = field(default_factory=Tally)
    expected_reports: int = 0
    missing_reports: int = 0
    extra_reports: int = 0
    police_opposite: int = 0
    police_unknown_read_as_stated: int = 0
    police_stated_read_as_unknown: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)


def samples(only_split: str | None, only_style: str | None) -> list[tuple[Path, dict[str, Any]]]:
    """Every labelled email under the corpus folder, with its ground truth, in name order."""
    found = []
    for truth in sorted(CORPUS.rglob("*.json")):
        label = json.loads(truth.read_text(encoding="utf-8"))
        if only_split and label.get("split") != only_split:
            continue
        if only_style and label.get("style") != only_style:
            continue
        found.append((truth.with_suffix(".eml"), label))
    return found


def parse(raw: bytes) -> tuple[list[Report], bool]:
    """The parser's reports (in the bench's terms) and whether it named any problem."""
    date = message_from_bytes(raw)["Date"]
    try:
        received_at = parsedate_to_datetime(str(date)) + timedelta(minutes=1)
    except (TypeError, ValueError):
        received_at = datetime(2026, 1, 1, tzinfo=UTC)
    parsed = parse_email(raw, received_at=received_at, tz=ZONE)
    reports = [report.to_json() for report in parsed.reports]
    problems = bool(parsed.problems) or any(report.problems for report in parsed.reports)
    return reports, problems


def align(expected: list[Report], got: list[Report]) -> list[tuple[Report | None, Report | None]]:
    """Pair reports by docket and activity first, then the rest in order."""
    pairs: list[tuple[Report | None, Report | None]] = []
    used: set[int] = set()
    unpaired: list[Report] = []
    for want in expected:
        match = next(
            (
                i
                for i, have in enumerate(got)
                if i not in used
                and _docket(have) == _docket(want)
                and have.get("activity") == want.get("activity")
            ),
            None,
        )
        if match is None:
            unpaired.append(want)
        else:
            used.add(match)
            pairs.append((want, got[match]))
    rest = [have for i, have in enumerate(got) if i not in used]
    pairs.extend(zip_longest(unpaired, rest))
    return pairs


def _docket(report: Report) -> str | None:
    value = report.get("docket_number")
    return value.strip().upper() if isinstance(value, str) else None


def same(name: str, want: Any, have: Any) -> bool:
    """Whether one field was read as labelled (see the module docstring for the rules)."""
    if name == "occurred_at":
        return _instant(want) == _instant(have)
    if name == "police_assistance":
        return want is have
    if name == "reason":
        if want is None:
            return not have
        return isinstance(have, str) and _words(want).rstrip(" .;,") in _words(have)
    if name in LOOSE_TEXT and isinstance(want, str) and isinstance(have, str):
        return _words(want) == _words(have)
    return bool(want == have)


def _instant(value: Any) -> datetime | str | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:
        return value


def _words(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.casefold().split())


def measure(only_split: str | None = None, only_style: str | None = None) -> Result:
    """Parse every labelled email and count what agrees."""
    result = Result()
    for eml, label in samples(only_split, only_style):
        name = str(eml.relative_to(CORPUS))
        style, split = label.get("style", "?"), label.get("split", "?")
        result.emails += 1
        result.emails_by_style[style] += 1
        result.by_style.setdefault(style, Tally())  # listed even when it expects no report
        result.by_split.setdefault(split, Tally())
        try:
            got, flagged = parse(eml.read_bytes())
        except Exception as exc:  # a crash is a miss on everything, and named
            got, flagged = [], False
            result.misses.append(_miss(name, "(parser)", None, f"raised {exc!r}"))
        want = list(label["reports"])
        result.expected_reports += len(want)
        result.problems.add(flagged is bool(label["expect_problems"]))
        if flagged is not bool(label["expect_problems"]):
            result.misses.append(_miss(name, "expect_problems", label["expect_problems"], flagged))
        for expected, parsed in align(want, got):
            result.missing_reports += parsed is None
            result.extra_reports += expected is None
            _count_pair(result, name, style, split, expected, parsed)
    return result


def _count_pair(
    result: Result, name: str, style: str, split: str, want: Report | None, have: Report | None
) -> None:
    for key in FIELDS:
        if want is None or have is None:
            ok = False
            expected = NO_REPORT if want is None else want.get(key)
            got = MISSING if have is None else have.get(key)
        else:
            expected, got = want.get(key), have.get(key)
            ok = same(key, expected, got)
            if key == "police_assistance" and not ok:
                if expected is None:
                    result.police_unknown_read_as_stated += 1
                elif got is None:
                    result.police_stated_read_as_unknown += 1
                else:
                    result.police_opposite += 1
        for tally in (result.by_field[key], result.by_style[style], result.by_split[split],
                      result.overall):  # fmt: skip
            tally.add(ok)
        if not ok:
            docket = (want or have or {}).get("docket_number")
            result.misses.append(_miss(name, key, expected, got, docket))


def _miss(
    name: str, key: str, expected: Any, got: Any, docket: str | None = None
) -> dict[str, Any]:
    return {"file": name, "docket": docket, "field": key, "expected": expected, "got": got}


def as_json(result: Result) -> dict[str, Any]:
    """The table as one JSON-ready dict."""

    def table(tallies: dict[str, Tally]) -> dict[str, dict[str, Any]]:
        return {
            key: {"correct": t.correct, "total": t.total, "accuracy": t.share()}
            for key, t in sorted(tallies.items())
        }

    return {
        "emails": result.emails,
        "expected_reports": result.expected_reports,
        "missing_reports": result.missing_reports,
        "extra_reports": result.extra_reports,
        "overall": table({"overall": result.overall})["overall"],
        "by_field": {key: table(result.by_field)[key] for key in FIELDS if key in result.by_field},
        "by_style": {
            key: {**value, "emails": result.emails_by_style[key]}
            for key, value in table(result.by_style).items()
        },
        "by_split": table(result.by_split),
        "police_opposite": result.police_opposite,
        "police_unknown_vs_stated": {
            "stated_read_as_unknown": result.police_stated_read_as_unknown,
            "unknown_read_as_stated": result.police_unknown_read_as_stated,
        },
        "problems_flagged_as_expected": table({"p": result.problems})["p"],
        "misses": result.misses,
    }


def as_text(result: Result) -> str:
    """The table for a person."""
    lines = [
        f"parse_email on {result.emails} labelled emails: {result.expected_reports} expected "
        f"reports, {result.missing_reports} missing, {result.extra_reports} extra",
        "",
        f"{'field':<24}{'correct':>9}{'total':>7}{'accuracy':>10}",
    ]
    for key in FIELDS:
        if key in result.by_field:
            lines.append(_row(key, result.by_field[key]))
    lines.append(_row("overall", result.overall))
    lines += ["", f"{'style':<24}{'correct':>9}{'total':>7}{'accuracy':>10}{'emails':>8}"]
    for style, tally in sorted(result.by_style.items()):
        lines.append(_row(style, tally) + f"{result.emails_by_style[style]:>8}")
    lines += ["", f"{'split':<24}{'correct':>9}{'total':>7}{'accuracy':>10}"]
    lines += [_row(split, tally) for split, tally in sorted(result.by_split.items())]
    lines += [
        "",
        f"police assistance read as the opposite of what was written: {result.police_opposite}",
        f"police assistance unknown vs stated: {result.police_stated_read_as_unknown} stated "
        f"read as unknown, {result.police_unknown_read_as_stated} unknown read as stated",
        f"problems flagged exactly when expected: {result.problems.correct}/"
        f"{result.problems.total} emails",
        "",
        f"misses ({len(result.misses)}): file, docket, field, expected, got",
    ]
    for miss in result.misses:
        lines.append(
            f"  {miss['file']}  {miss['docket']}  {miss['field']}: "
            f"{miss['expected']!r} -> {miss['got']!r}"
        )
    return "\n".join(lines)


def _row(name: str, tally: Tally) -> str:
    share = tally.share()
    shown = f"{share:.3f}" if share is not None else "-"
    return f"{name:<24}{tally.correct:>9}{tally.total:>7}{shown:>10}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.add_argument("--split", choices=("dev", "holdout"), help="only this split")
    parser.add_argument("--style", help="only this style")
    args = parser.parse_args()
    result = measure(args.split, args.style)
    print(json.dumps(as_json(result), indent=2) if args.json else as_text(result))


if __name__ == "__main__":
    main()

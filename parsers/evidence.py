"""Where each field of a report came from: stated in the text, inferred, or missing.

The review page highlights, for every field, the characters of `EmailParse.text` it was read
from, so staff check a reading against the officer's words instead of trusting it. A field is
`stated` when its value is written in the text, `inferred` when it was completed from outside
the words (a relative day against the Date header, a year, am/pm, the From header's name), and
`missing` when nothing was read; its span is `[start, end)` in the text, or None.

Readers note the words a value came from (`Source`); `locate` finds them in the message text
once the whole text is known, spacing aside.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STATED = "stated"
INFERRED = "inferred"
MISSING = "missing"
# Every field of a report, in the order of Report.to_json.
FIELDS = (
    "docket_number", "activity", "method", "occurred_at", "police_assistance", "reason_code",
    "reason", "transferred_to", "note", "officer_name", "respondent_first_name",
    "respondent_last_name",
)  # fmt: skip
_NEAR = 400  # a date and its time further apart than this are shown by the date alone


@dataclass(frozen=True)
class Source:
    """The words one field was read from (`words` as they stand in the block, or parts of it)."""

    field: str
    state: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One field's state and its span in `EmailParse.text`."""

    state: str
    span: tuple[int, int] | None

    def to_json(self) -> dict[str, object]:
        return {"state": self.state, "span": list(self.span) if self.span else None}


def locate(text: str, source: Source | None, start: int) -> Evidence:
    """Find a field's words in the text, searching from `start` first, then from the top.

    Words that are not in the text came from a header (the subject, the From name): the value
    is then `inferred` with no span.
    """
    if source is None or source.state == MISSING or not source.words:
        return Evidence(MISSING if source is None else source.state, None)
    spans = [span for words in source.words if (span := _find(text, words, start)) is not None]
    if not spans:
        return Evidence(INFERRED, None)
    first = spans[0]
    joined = (min(s for s, _ in spans), max(e for _, e in spans))
    span = joined if joined[1] - joined[0] <= _NEAR else first
    return Evidence(source.state, span)


def _find(text: str, words: str, start: int) -> tuple[int, int] | None:
    tokens = words.split()
    if not tokens:
        return None
    pattern = re.compile(r"\s+".join(re.escape(token) for token in tokens))
    for flags_pattern in (pattern, re.compile(pattern.pattern, re.IGNORECASE)):
        m = flags_pattern.search(text, start) or flags_pattern.search(text)
        if m is not None:
            return m.start(), m.end()
    return None

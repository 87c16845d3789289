"""Why service failed, or what "other information" is about, in the registry's short words.

The registry counts reasons (annual statistics, the hearing-day report), so a report carries a
short term from these lists; the officer's own words go to the report's note.
"""

from __future__ import annotations

import re

# re.ASCII keeps IGNORECASE from folding U+017F/U+212A into "s"/"k".
_F = re.IGNORECASE | re.ASCII

ATTEMPT_REASONS = (
    ("moved out", r"\bmoved\b|\bno\s+longer\s+(?:lives?|living|resides?|residing|at)\b|"
                  r"\bvacated\b|\brelocated\b|\bforwarding\s+address\b"),
    ("not home", r"\bnot\s+(?:at\s+)?home\b|\bno\s*(?:one|body)\s+(?:was\s+|is\s+)?(?:home|"
                 r"there|answered)\b|\bno\s+answer\b|\bnot\s+(?:there|present|available)\b|"
                 r"\bunavailable\b|\bdid\s*n[o']t\s+answer\b|\bdidn'?t\s+answer\b"),
    ("bad address", r"\b(?:no\s+such|invalid|wrong|incorrect|bad|non-?existent)\s+address\b|"
                    r"\baddress\s+(?:does\s*n[o']t|doesn'?t)\s+exist\b|\bvacant\b|"
                    r"\babandoned\b|\bdemolished\b"),
    ("unable to locate", r"\b(?:unable\s+to|could\s*n[o']t|couldn'?t|can\s*n[o']t|cannot|"
                         r"can'?t)\s+(?:locate|find)\b|\bwhereabouts\s+unknown\b"),
    ("evading", r"\bevad\w*|\bavoid\w*|\bhiding\b|\brefus\w*\s+to\s+(?:open|answer|come|"
                r"accept)\b"),
    ("incarcerated", r"\bincarcerat\w*|\bin\s+custody\b|\bjail\b|\bprison\b"),
    ("hospitalized", r"\bhospital\w*"),
    ("deceased", r"\bdeceased\b|\bpassed\s+away\b|\bdied\b"),
    ("out of state", r"\bout[-\s]of[-\s]state\b|\bleft\s+the\s+state\b"),
    ("military", r"\bdeployed\b|\bmilitary\b"),
    ("no access", r"\bno\s+access\b|\bgated\b|\b(?:could\s*n[o']t|couldn'?t|unable\s+to)\s+"
                  r"(?:get|gain)\s+(?:in|access)\b"),
)  # fmt: skip
OTHER_REASONS = (
    ("DOB", r"\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b"),
    ("address", r"\baddress\b[^.]{0,60}\b(?:wrong|incorrect|invalid|not\s+(?:right|correct|"
                r"valid)|does\s*n[o']t\s+exist|doesn'?t\s+exist|outdated)\b|"
                r"\b(?:wrong|incorrect|invalid|outdated)\s+address\b"),
    ("name", r"\bname\b[^.]{0,60}\b(?:misspelled|spelled\s+wrong|wrong|incorrect)\b|"
             r"\bmisspell\w*|\bwrong\s+name\b"),
    ("hearing date", r"\bhearing\s+date\b[^.]{0,60}\b(?:wrong|incorrect|passed|already)\b"),
    ("duplicate", r"\bduplicate\b|\bsent\s+twice\b"),
)  # fmt: skip
_ATTEMPT_REASONS = tuple((term, re.compile(p, _F)) for term, p in ATTEMPT_REASONS)
_OTHER_REASONS = tuple((term, re.compile(p, _F)) for term, p in OTHER_REASONS)


def attempt_reasons(text: str) -> list[str]:
    """Name why service failed, in the order the text gives the reasons ("moved out", ...)."""
    return _terms(text, _ATTEMPT_REASONS)


def other_reasons(text: str) -> list[str]:
    """Name what an "other information" message is about ("DOB", "address", "name", ...)."""
    return _terms(text, _OTHER_REASONS)


def _terms(text: str, vocabulary: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    hits = []
    for term, pattern in vocabulary:
        m = pattern.search(text)
        if m is not None:
            hits.append((m.start(), term))
    return [term for _, term in sorted(hits)]

"""Why service failed, or what "other information" is about, in the registry's short words.

The registry counts reasons (annual statistics, the hearing-day report), so a report carries a
short term from these lists (`reason_code`) beside the officer's own words (`reason`), which
`reason_words` cuts from the sentence that gave the term.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

# re.ASCII keeps IGNORECASE from folding U+017F/U+212A into "s"/"k".
_F = re.IGNORECASE | re.ASCII

# Being in another state is a reason ("in Florida visiting family"); Connecticut is home.
_OTHER_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|"
    "Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|"
    "New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|"
    "South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
ATTEMPT_REASONS = (
    ("moved out", r"\bmoved\b|\bno\s+longer\s+(?:lives?|living|resides?|residing|at)\b|"
                  r"\bvacated\b|\brelocated\b|\bforwarding\s+address\b"),
    ("not home", r"\bnot\s+(?:at\s+)?home\b|\bno\s*(?:one|body)\s+(?:was\s+|is\s+)?(?:home|"
                 r"there|answered)\b|\bno\s+answer\b|\bnot\s+(?:there|present|available)\b|"
                 r"\bunavailable\b|\bdid\s*n[o']t\s+answer\b|\bdidn'?t\s+answer\b|"
                 r"\bno\s+response\b|\bnobody\s+answered\b|\bleft\s+for\s+work\b|"
                 r"\bno\s*(?:body|one)\s+came\s+to\s+the\s+door\b|"
                 r"\b(?:was|is)\s+at\s+work\b"),
    ("bad address", r"\b(?:no\s+such|invalid|wrong|incorrect|bad|non-?existent)\s+address\b|"
                    r"\b(?:does\s*n[o']t|doesn'?t|did\s*n[o']t|didn'?t)\s+exist\b|\bvacant\b|"
                    r"\babandoned\b|\bdemolished\b|\bthere\s+is\s+no\s+(?:house\s+|number\s+)?\d+|"
                    r"\bno\s+such\s+(?:house|number|street|building|unit|apartment)\b|"
                    r"\bnumbers\b[^.]{0,40}\b(?:stop|end)\b"),
    ("unable to locate", r"\b(?:unable\s+to|could\s*n[o']t|couldn'?t|can\s*n[o']t|cannot|"
                         r"can'?t)\s+(?:locate|find)\b|\bwhereabouts\s+unknown\b"),
    ("evading", r"\bevad\w*|\bavoid\w*|\bhiding\b|\bhid\b|\brefus\w*\s+to\s+(?:open|answer|come|"
                r"accept)\b|\b(?:would\s*n[o']t|wouldn'?t|won'?t|will\s+not)\s+(?:open|answer|come)\b|"
                r"\bnobody\s+would\s+(?:open|answer|come)\b|\bduck\w*|\bfled\b|\bran\s+(?:off|out)\b|"
                r"\bslipped\s+out\b"),
    ("incarcerated", r"\bincarcerat\w*|\bin\s+custody\b|\bjail\b|\bprison\b|\barrested\b|"
                     r"\block-?up\b|\b(?:being\s+)?held\s+(?:at|in)\b|\bbehind\s+bars\b"),
    ("hospitalized", r"\bhospital\w*|\badmitted\s+(?:at|to|in|into)\b|\bin\s+the\s+(?:icu|er)\b|"
                     r"\bmedical\s+center\b"),
    ("deceased", r"\bdeceased\b|\bpassed\s+away\b|\bdied\b"),
    ("out of state", r"\bout[-\s]of[-\s]state\b|\bleft\s+the\s+state\b|\bin\s+(?-i:"
                     + _OTHER_STATES + r")\b"),
    ("military", r"\bdeployed\b|\bmilitary\b"),
    ("no access", r"\bno\s+access\b|\bgated\b|\blocked\b|\bbuzzer\b|\blet\s+me\s+in\w*\b|"
                  r"\b(?:could\s*n[o']t|couldn'?t|unable\s+to|can\s*n[o']t|can'?t)\s+"
                  r"(?:get|gain)\s+(?:in|access|up\s+to|to|near|into|onto)\b|\bpadlock\w*"),
)  # fmt: skip
OTHER_REASONS = (
    ("DOB", r"\bd\.?o\.?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b"),
    ("address", r"\baddress\b[^.]{0,60}\b(?:wrong|incorrect|invalid|not\s+(?:right|correct|"
                r"valid)|does\s*n[o']t\s+exist|doesn'?t\s+exist|outdated)\b|"
                r"\b(?:wrong|incorrect|invalid|outdated)\s+address\b"),
    ("name", r"\bname\b[^.]{0,60}\b(?:misspelled|spelled\s+wrong|wrong|incorrect)\b|"
             r"\bmisspell\w*|\bwrong\s+name\b"),
    ("hearing date", r"\bhearing\s+date\b[^.]{0,60}\b(?:wrong|incorrect|passed|already)\b"),
    ("duplicate", r"\bduplicate\b|\bsent\b[^.]{0,30}\btwice\b|\bsame\s+(?:order|papers|packet)\s+"
                  r"twice\b"),
)  # fmt: skip
_ATTEMPT_REASONS = tuple((term, re.compile(p, _F)) for term, p in ATTEMPT_REASONS)
_OTHER_REASONS = tuple((term, re.compile(p, _F)) for term, p in OTHER_REASONS)


def attempt_reasons(text: str) -> list[str]:
    """Name why service failed, in the order the text gives the reasons ("moved out", ...)."""
    return _terms(text, _ATTEMPT_REASONS)


def other_reasons(text: str) -> list[str]:
    """Name what an "other information" message is about ("DOB", "address", "name", ...)."""
    return _terms(text, _OTHER_REASONS)


def attempt_reason_cues(text: str) -> list[tuple[int, int, str]]:
    """Where each attempt reason is said: (start, end, term), in the order of the text."""
    return _cues(text, _ATTEMPT_REASONS)


def other_reason_cues(text: str) -> list[tuple[int, int, str]]:
    """Where each "other information" subject is said: (start, end, term), in text order."""
    return _cues(text, _OTHER_REASONS)


def _terms(text: str, vocabulary: tuple[tuple[str, re.Pattern[str]], ...]) -> list[str]:
    return [term for _, _, term in _cues(text, vocabulary)]


def _cues(
    text: str, vocabulary: tuple[tuple[str, re.Pattern[str]], ...]
) -> list[tuple[int, int, str]]:
    hits = []
    for term, pattern in vocabulary:
        m = pattern.search(text)
        if m is not None:
            hits.append((m.start(), m.end(), term))
    return sorted(hits)


# Sentences end at . ! ? before a space and a capital (or the end), or at a blank line.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z(\"']|\s*$)|\n[ \t]*\n|\n(?=\s*[-*\u2022]|\s*\d[.)])")
# Where the report part of a sentence gives way to the reason: "Attempted 8:20 PM - moved out".
_CLAUSE_BREAK = re.compile(r",\s|\s[-\u2013\u2014]+\s|:\s|;\s")
_TRIM_BREAK = re.compile(r",\s|\s[-\u2013\u2014]+\s|;\s|\.\s")
_TRAILING_ASIDE = re.compile(r"\s*\([^()]*\)\s*[.!?]?\s*$")


def reason_words(
    text: str,
    at: int,
    is_report: Callable[[str], bool],
    leads: Iterable[int] = (),
    is_other_matter: Callable[[str], bool] | None = None,
) -> tuple[int, int]:
    """The span of the officer's words around a reason said at `at`: its sentence, less a lead.

    A sentence that opens with the report itself ("Attempted service at 45 Elm St, 5:50 PM,
    respondent not home.") gives only the part after the last break before the reason; an
    aside in parentheses at the end is left out. A whole sentence keeps its full stop and runs
    on over the next sentences until one `is_other_matter` (police, a plan, the report).
    """
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > at:
            end = m.start() + (1 if text[m.start()] in ".!?" else 0)
            break
        start = m.end()
    else:
        end = len(text)
    while start < end and text[start].isspace():
        start += 1
    cut = start
    candidates = [m.end() for m in _CLAUSE_BREAK.finditer(text, start, at)]
    for point in sorted([*candidates, *(n for n in leads if start < n <= at)]):
        if is_report(text[start:point]):
            cut = point
    while cut < at and text[cut].isspace():
        cut += 1
    aside = _TRAILING_ASIDE.search(text, cut, end)
    if aside is not None and aside.start() > at:
        end = aside.start()
    trimmed = False
    if is_other_matter is not None:  # "moved out - PD yes": the police part is not the reason
        breaks = list(_TRIM_BREAK.finditer(text, at, end))
        for n, m in enumerate(breaks):
            clause_end = breaks[n + 1].start() if n + 1 < len(breaks) else end
            if is_other_matter(text[m.end() : clause_end]):
                end, trimmed = m.start(), True
                break
    if cut > start or aside is not None or trimmed:
        while end > cut and text[end - 1] in ".!?;, ":
            end -= 1
    elif is_other_matter is not None:
        end = _run_on(text, end, is_other_matter)
    return cut, end


def _run_on(text: str, end: int, is_other_matter: Callable[[str], bool]) -> int:
    """Extend a reason over the sentences after it that still tell why."""
    while end < len(text) and text[end - 1 : end] in ".!?":
        m = _SENTENCE_END.search(text, end)
        stop = len(text) if m is None else m.start() + (text[m.start()] in ".!?")
        sentence = text[end:stop]
        if not sentence.strip() or "\n\n" in sentence or is_other_matter(sentence):
            break
        end = stop
    return end

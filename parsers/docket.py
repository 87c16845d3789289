"""Connecticut docket numbers: normalize one as officers write it, find them in free text."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

COURT_CODES: Mapping[str, str] = MappingProxyType(
    {
        "AAN": "Ansonia-Milford",
        "DBD": "Danbury",
        "FBT": "Fairfield at Bridgeport",
        "FST": "Stamford-Norwalk",
        "HHB": "New Britain",
        "HHD": "Hartford",
        "KNL": "New London",
        "KNO": "Norwich",
        "LLI": "Litchfield",
        "MMX": "Middlesex",
        "NNH": "New Haven",
        "NNI": "Meriden",
        "TTD": "Tolland",
        "UWY": "Waterbury",
        "WWM": "Windham",
    }
)
CASE_TYPES: Mapping[str, str] = MappingProxyType(
    {
        "FA": "family (restraining order, C.G.S. §46b-15)",
        "CV": "civil (civil protection order, C.G.S. §46b-16a)",
    }
)

# Officers separate the parts with spaces, dots, slashes, underscores or any dash (hyphen, en/em
# dash, minus sign); Unicode \s also covers the no-break space that pasted emails carry.
_SEP = r"[\s._/\-\u2010-\u2015\u2212]"
_LABEL = re.compile(r"^[\W_]*(?:(?:DOCKET|DKT|CASE|NUMBER|NUM|NBR|NO)(?![A-Z0-9])[\W_]*)*")
_TOKEN = re.compile(rf"(?P<L>[A-Z]+)|(?P<D>[0-9]+)|(?P<S>{_SEP}+)|(?P<X>.)", re.DOTALL)
# Only ASCII letters are case-folded: str.upper() maps e.g. U+017F (long s) to "S".
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
# In free text a docket is 3 letters, 2 letters, digits (a short year group may stand apart) and
# an optional suffix letter; after a bare space only S counts, so "... 6012345 a dog" is no suffix.
# Letters are spelled out instead of using re.IGNORECASE, which would match U+017F and U+212A.
_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9])(?P<loc>[A-Za-z]{{3}}){_SEP}{{0,3}}(?P<type>[A-Za-z]{{2}}){_SEP}{{0,3}}"
    rf"(?P<digits>[0-9]{{1,4}}{_SEP}{{1,3}}[0-9]+|[0-9]+)"
    rf"(?:{_SEP}{{0,3}}(?:(?<!\s)[A-Za-z]|[Ss]))?(?![A-Za-z0-9])"
)

_Token = tuple[str, str, int]  # kind (L letters, D digits, X other), value, offset


class DocketError(ValueError):
    """A text that is not a docket number; `reason` says in plain English what is wrong."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"not a valid docket number {text!r}: {reason}")
        self.text = text
        self.reason = reason

    def __reduce__(self) -> tuple[type[DocketError], tuple[str, str]]:
        return type(self), (self.text, self.reason)


@dataclass(frozen=True)
class DocketMatch:
    """One docket-looking span of free text: `canonical` if it normalizes, else `error`."""

    start: int
    end: int
    text: str
    canonical: str | None
    error: str | None


def normalize_docket(text: str) -> str:
    """Return the canonical `LLL-TT-YY-NNNNNNN-S` form of one docket number.

    Accepts any case, any usual separators or none, a label such as "Docket No.:" in front,
    surrounding punctuation and a missing suffix. Raises DocketError naming the wrong part.
    """
    upper = text.translate(_UPPER)  # one character for one, so offsets still index `text`
    start, end = len(upper) - len(_LABEL.sub("", upper, count=1)), len(upper)
    while end > start and not upper[end - 1].isalnum():
        end -= 1
    body = upper[start:end]
    matches = _TOKEN.finditer(body)
    tokens = deque((str(m.lastgroup), m.group(), m.start()) for m in matches if m.lastgroup != "S")
    if not tokens:
        raise DocketError(text, f"no docket number found in {_quote(text)}")
    return _assemble(text, text[start:end], tokens)


def _assemble(text: str, shown: str, tokens: deque[_Token]) -> str:
    """Check the tokens part by part and join them into the canonical form."""
    kind, head, _ = tokens.popleft()
    if kind == "X":
        raise DocketError(text, f"unexpected character {head!r} in docket number")
    if kind == "D":
        raise DocketError(text, f"missing court location code before {head!r}")
    if len(head) < 3:
        if head in CASE_TYPES:
            raise DocketError(text, f"missing court location code before case type {head!r}")
        raise DocketError(text, f"court location code must be 3 letters, found {head!r}")
    location, case_type = head[:3], head[3:]
    if location not in COURT_CODES:
        known = ", ".join(COURT_CODES)
        raise DocketError(text, f"unknown court location code {location!r} (known: {known})")
    if not case_type:
        if not tokens or tokens[0][0] != "L":
            raise DocketError(text, f"missing case type (FA or CV) after {location!r}")
        case_type = tokens.popleft()[1]
    if case_type not in CASE_TYPES:
        raise DocketError(text, f"case type {case_type!r} is not FA (family) or CV (civil)")
    groups = []
    while tokens and tokens[0][0] == "D":
        groups.append(tokens.popleft()[1])
    year, number = _year_and_number(text, case_type, groups, tokens)
    if tokens and tokens[0][0] == "L":
        suffix = tokens.popleft()[1]
        if suffix != "S":
            raise DocketError(text, f"suffix must be S, found {suffix!r}")
    if tokens:
        rest = _quote(shown[tokens[0][2] :])
        raise DocketError(text, f"unexpected {rest} after the docket number")
    return f"{location}-{case_type}-{year}-{number}-S"


def _year_and_number(
    text: str, case_type: str, groups: list[str], rest: deque[_Token]
) -> tuple[str, str]:
    """Split the digit groups after the case type into a 2-digit year and a 7-digit number."""
    if not groups:
        found = f", found {rest[0][1]!r}" if rest else ""
        raise DocketError(
            text, f"missing year and 7-digit number after case type {case_type!r}{found}"
        )
    if len(groups) > 2:
        joined = _quote(" ".join(groups))
        raise DocketError(
            text,
            f"expected a 2-digit year and a 7-digit number, "
            f"found {len(groups)} groups of digits ({joined})",
        )
    if len(groups) == 1:
        if len(groups[0]) <= 2:
            raise DocketError(text, f"missing 7-digit number after the year {groups[0]!r}")
        year, number = groups[0][:2], groups[0][2:]
    else:
        year, number = groups
        if len(year) != 2:
            raise DocketError(text, f"year must be 2 digits, found {len(year)} ({year!r})")
    if len(number) != 7:
        raise DocketError(
            text, f"docket number needs 7 digits after the year, found {len(number)} ({number!r})"
        )
    return year, number


def _quote(fragment: str, limit: int = 40) -> str:
    """Quote a piece of input for a reason, cut short so a pasted email cannot flood it."""
    return repr(fragment if len(fragment) <= limit else fragment[:limit] + "…")


def find_dockets(text: str) -> list[DocketMatch]:
    """Return every docket-looking span of free text in order, duplicates included.

    A span counts when at least two of its parts look right (a known court code, FA or CV, 7 or
    more digits), so "the CV 2023" is skipped but "HHD-FA-23-601234-S" is reported with an error.
    """
    found: list[DocketMatch] = []
    pos = 0
    while (m := _CANDIDATE.search(text, pos)) is not None:
        signals = (
            m["loc"].upper() in COURT_CODES,
            m["type"].upper() in CASE_TYPES,
            sum(c.isdigit() for c in m["digits"]) >= 7,
        )
        if sum(signals) < 2:
            pos = m.start() + 1
            continue
        try:
            canonical: str | None = normalize_docket(m.group())
            error: str | None = None
        except DocketError as exc:
            canonical, error = None, exc.reason
        found.append(DocketMatch(m.start(), m.end(), m.group(), canonical, error))
        pos = m.end()
    return found

"""People's names in reports: the respondent, the officer who signs, the officer a case went to."""

from __future__ import annotations

import re

from nameparser import HumanName
from nameparser.config import Constants

_F = re.IGNORECASE | re.ASCII

_TITLE = re.compile(
    r"^\s*(?:(?:connecticut|ct|deputy|chief|judicial|special|senior|state)\s+)*"
    r"(?:marshal|constable|officer|ofc|trooper|tpr|sergeant|sgt|detective|det|lieutenant|lt|"
    r"captain|capt|sheriff|deputy|mr|mrs|ms|miss|dr|investigator|inspector|sm)\b\.?\s*",
    _F,
)
_TITLE_WORDS = re.compile(
    r"\b(?:marshal|constable|officer|trooper|sergeant|detective|investigator|sheriff|deputy)\b",
    _F,
)
_PARTICLES = frozenset(
    "de del della la le van von der den da di du st mac bin al el dos das".split()
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NAME_RULES = Constants(titles=(), first_name_titles=())
_STOP = frozenset(
    """
    in at on hand abode today tonight yesterday this that the his her him he she they them their
    respondent respondents docket case papers paperwork order orders police pd service served and
    or with without no yes not was is by to for of from a an i we my our all other information
    monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri
    sat sun january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec state marshal marshals court registry
    section thanks thank you regards good morning afternoon evening night hello hi dear sent
    please personally attempted unable re fw fwd county office portal sincerely respectfully best
    cheers team department dept unit protection judicial branch superior notice confidentiality
    tel phone cell fax email usual place via cc subject date time street st ave avenue road rd
    lane drive apt unknown none na tbd see below above attached respondent's hearing officer
    """.split()
)
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['\u2019\-](?=[^\W\d_]))*"
_BOUNDED_LAST_FIRST = re.compile(
    rf"^(?P<last>{_NAME_WORD}(?:\s{_NAME_WORD})?),\s*(?P<first>{_NAME_WORD})"
    r"(?:\s+[A-Z]\.?)?(?:,?\s+(?:jr|sr|ii|iii|iv)\b\.?)?"  # a middle initial, a suffix
    r"(?=\s*\)|\s*$|\s+[-\u2013\u2014|]|\t|\s{2,}|[.;,](?:\s|$))",
    re.IGNORECASE,
)
_TOKEN_CHARS = re.compile(r"^[^\W\d_](?:[^\W\d_]|['\u2019\-](?=[^\W\d_]))*\.?$")


def person_name(
    text: str, *, strict: bool = True, minimum: int = 2, caps: bool = False
) -> tuple[str, str] | None:
    """Read "First [Middle] Last" at the start of text, after any title ("State Marshal").

    Strict (prose) wants capitalised words, or upper-case ones when the whole text is written
    in capitals (`caps`); a label value ("Respondent: anthony russo") may be lower case. "Last,
    First" is read in a label value, and in prose when something closes it ("(Rivera, Luis)",
    "Haskins, Dale   abode", "Moreno, Gabriela -").
    """
    text = _TITLE.sub("", text, count=1)
    if not strict:
        swapped = _last_comma_first(text)
        if swapped is not None:
            return swapped
    else:
        bounded = _BOUNDED_LAST_FIRST.match(text)
        if bounded is not None and all(
            _is_name_word(word, strict=True, caps=caps)
            for word in (bounded["first"], *bounded["last"].split())
        ):
            return bounded["first"], bounded["last"]
    words = _leading_words(text, strict=strict, caps=caps)
    if len(words) < minimum:
        return None
    return _first_and_last(words)


def full_name(text: str, *, strict: bool = True, minimum: int = 2) -> str | None:
    """Return the name at the start of text as "First Last", or None."""
    name = person_name(text, strict=strict, minimum=minimum)
    return None if name is None else " ".join(part for part in name if part)


def signature_name(line: str) -> str | None:
    """Return the name when a whole line is one ("Kevin Brandt", "Kevin Brandt, State Marshal")."""
    text = _TITLE.sub("", line.strip(), count=1)
    text = re.split(r",|\s[-\u2013\u2014|]\s|\||\s\(", text)[0].strip()
    words = _leading_words(text, strict=True)
    if not 2 <= len(words) <= 4 or len(" ".join(words)) != len(" ".join(text.split())):
        return None
    first, last = _first_and_last(words)
    return f"{first} {last}"


def display_name(value: str) -> str | None:
    """Turn a From display name ("Mastroianni, Anthony", "Kevin Brandt (Marshal)") into a name."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]|\"", " ", value)
    text = re.split(r"\s[-\u2013\u2014|/]\s", text)[0].strip()
    if "@" in text or not text:
        return None
    name = person_name(text, strict=False)
    if name is None:
        return None
    return " ".join(part.title() if part.isupper() else part for part in name)


def same_person(a: str, b: str) -> bool:
    """True when two spellings name one person: same last name, same first initial."""
    words_a = [w.strip(",.").lower() for w in (display_name(a) or a).split()]
    words_b = [w.strip(",.").lower() for w in (display_name(b) or b).split()]
    if len(words_a) < 2 or len(words_b) < 2 or words_a[-1] != words_b[-1]:
        return False
    return words_a[0][:1] == words_b[0][:1]


def is_title_line(line: str) -> bool:
    """True for a signature's title line ("State Marshal, Fairfield County")."""
    words = line.split()
    return 0 < len(words) <= 10 and _TITLE_WORDS.search(" ".join(words[:4])) is not None


def _leading_words(text: str, *, strict: bool, caps: bool = False) -> list[str]:
    """Take name-like words from the start of text, stopping at punctuation or another word."""
    words: list[str] = []
    for raw in text.split():
        lead = len(raw) - len(raw.lstrip("("))
        if lead and words:
            break  # "Nicole Tran (New London County)": an aside after the name
        word = raw[lead:].rstrip(",;:).")
        trail = raw[lead + len(word) :]
        if trail == "." and (len(word) == 1 or word.lower() in _SUFFIXES):
            word, trail = word + ".", ""  # an initial ("Robert J. Jones") or "Jr."
        stop_after = bool(trail)  # "... is Kyle Ambrose." and "(respondent Gordon Pike)" end here
        if not _is_name_word(word, strict=strict, caps=caps):
            break
        words.append(word)
        if stop_after or len(words) == 5:
            break
    while words and words[-1].lower().strip(".") in _PARTICLES:
        words.pop()
    return words


def _is_name_word(word: str, *, strict: bool, caps: bool = False) -> bool:
    if not _TOKEN_CHARS.match(word) or word.lower().rstrip(".") in _STOP:
        return False
    if not strict or (caps and word.isupper()):
        return True
    if word.lower().strip(".") in _PARTICLES | _SUFFIXES:
        return True
    return word[0].isupper() and (len(word.rstrip(".")) == 1 or any(c.islower() for c in word))


def _first_and_last(words: list[str]) -> tuple[str, str]:
    """Split name words: the first name, then the last with its particles.

    nameparser knows the particles ("de la", "van der") and suffixes ("Jr.", "III"); titles
    are already cut off (_TITLE), so its own title list is off: "Bishop Moore" is a name.
    """
    name = HumanName(" ".join(words), constants=_NAME_RULES)
    if name.last:
        return name.first, name.last  # a suffix ("Jr.", "III") is no part of the last name
    return ("", name.first) if name.first else ("", name.suffix)


def _last_comma_first(text: str) -> tuple[str, str] | None:
    """Read "Delacroix, Marcus" (a register's order) as first "Marcus", last "Delacroix"."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    last = _leading_words(parts[0], strict=False)
    given = _leading_words(parts[1], strict=False)
    if not last or not given or len(" ".join(last)) != len(parts[0]):
        return None
    if given[0].lower().strip(".") in _SUFFIXES:
        return None
    return given[0], " ".join(last)

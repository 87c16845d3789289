"""The service update's fields as each receiver allows them, and what no receiver can take.

The registry keeps every name exactly as the court or the officer wrote it. The state switch and
NCIC name fields allow far less; `switch_name` and `switch_officer` turn any name into a value
those fields accept — never refused, shortened by the rule in
outbound/templates/NAMES.md, where the rules and their sources are written out. `problems_for`
lists what stops one receiver's message, so that a value no receiver can take fails that
delivery alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii

from registry.enums import Adapter

NAME_FIELD = 30  # NAM: at most 30 characters, the comma and spaces included
OFFICER_FIELD = 30
DOCKET = re.compile(r"^[A-Z]{3}-(FA|CV)-\d{2}-\d{7}-S$")
ORI = re.compile(r"^CT[A-Z0-9]{7}$")
NIC = re.compile(r"^[A-Z]\d{9}$")
# Upper-case letters, space and hyphen; the comma after the last name; given names optional.
NAME = re.compile(r"^[A-Z](?:[A-Z -]*[A-Z])?,(?: [A-Z](?:[A-Z -]*[A-Z])?)?$")
OFFICER = re.compile(r"^[A-Z](?:[A-Z -]*[A-Z])?$")
# Generational suffixes, the only ones the name field carries (NCIC: JR, SR, II, III, ...).
SUFFIXES = {"JR": "JR", "SR": "SR", "II": "II", "III": "III", "IV": "IV", "V": "V", "VI": "VI"}
SUFFIXES |= {"2ND": "II", "3RD": "III", "4TH": "IV", "5TH": "V", "JNR": "JR", "SNR": "SR"}
# A lone "V" ends a given name as a middle initial far more often than as "the fifth".
_GIVEN_SUFFIXES = {word: s for word, s in SUFFIXES.items() if word != "V"}
_JOINERS = re.compile(r"['`\u2018\u2019\u02bc\u02b9]")  # O'Neil -> ONEIL: apostrophes join
_NOT_ALLOWED = re.compile(r"[^A-Z0-9 -]+")  # any other punctuation separates words
_HYPHENS = re.compile(r"-{2,}")


def _words(text: str) -> list[str]:
    """Transliterate, upper-case and split a name into words of letters and inner hyphens."""
    # Only letters (with their marks) and digits are transliterated: anyascii would spell out
    # a symbol or an emoji as words (":slight_smile:") that were never part of the name.
    kept = "".join(
        c if unicodedata.category(c)[0] in "LMN" or c in "-" else " "
        for c in _JOINERS.sub("", text)
    )
    ascii_text = anyascii(kept).upper()
    ascii_text = _NOT_ALLOWED.sub(" ", _JOINERS.sub("", ascii_text))
    words = []
    for raw in ascii_text.split():
        word = _HYPHENS.sub("-", raw).strip("-")
        if word in SUFFIXES:
            words.append(SUFFIXES[word])  # 3RD -> III: the field has no digits
            continue
        word = re.sub(r"\d+", "", word).strip("-")
        word = _HYPHENS.sub("-", word)
        if word:
            words.append(word)
    return words


def _letter_or_space(char: str) -> str:
    return char if char == "-" or unicodedata.category(char)[0] in "LMN" else " "


@dataclass(frozen=True)
class SwitchName:
    """A respondent's name as the switch and NCIC name fields take it."""

    value: str  # "LAST, FIRST MIDDLE SUFFIX"
    shortened: bool  # the full name did not fit and was shortened by the rule
    has_letters: bool  # False: no letter of the name could be written: UNKNOWN stands for it


def switch_name(last: str, first: str, *, limit: int = NAME_FIELD) -> SwitchName:
    """Return `LAST, GIVEN SUFFIX` in the field's letters, shortened to `limit`; never refuses."""
    surname, given = _words(last), _words(first)
    suffix = ""
    if len(surname) > 1 and surname[-1] in SUFFIXES:
        suffix = SUFFIXES[surname.pop()]
    if len(given) > 1 and given[-1] in _GIVEN_SUFFIXES:
        suffix = suffix or _GIVEN_SUFFIXES[given[-1]]
        given.pop()
    has_letters = bool(surname or given)
    if not surname:
        # A one-word name: the court may have written it in either field.
        surname, given = given[:1] or ["UNKNOWN"], given[1:]
    for candidate in _shorter_forms(" ".join(surname), given, suffix):
        if len(candidate) <= limit:
            return SwitchName(candidate, candidate != _join(surname, given, suffix), has_letters)
    # Even "LAST, F" is too long: the last name is cut to fit (the format's last resort).
    initial = f" {given[0][0]}" if given else ""
    room = limit - 1 - len(initial)
    cut = " ".join(surname)[:room].rstrip(" -")
    return SwitchName(f"{cut},{initial}", True, has_letters)


def _join(surname: list[str], given: list[str], suffix: str) -> str:
    rest = " ".join([*given, suffix] if suffix else given)
    return f"{' '.join(surname)},{' ' + rest if rest else ''}"


def _shorter_forms(last: str, given: list[str], suffix: str) -> list[str]:
    """The name in full, then each step of the shortening rule (NAMES.md), in order."""
    first, middles = (given[0], given[1:]) if given else ("", [])
    initials = [m[0] for m in middles]
    steps = [
        [first, *middles],  # the full name
        [first, *initials],  # middle names to initials
        [first],  # middle initials dropped
        [first[:1]] if first else [],  # the first name to its initial
    ]
    forms = [_join([last], [w for w in step if w], suffix) for step in steps]
    forms.append(_join([last], [first[:1]] if first else [], ""))  # the suffix dropped
    return forms


def switch_officer(name: str, *, limit: int = OFFICER_FIELD) -> str:
    """Return an officer's name in the field's letters, given names shortened first to fit."""
    words = _words(name) or ["UNKNOWN"]
    given, last = words[:-1], words[-1]
    candidates = [
        [*given, last],
        [*(w[0] for w in given), last],
        [given[0][0], last] if given else [last],
        [last],
    ]
    for candidate in candidates:
        text = " ".join(candidate)
        if len(text) <= limit:
            return text
    return last[:limit].rstrip("-")


def problems_for(adapter: Adapter, payload: Mapping[str, Any]) -> list[str]:
    """List what stops this receiver's message for this service update (empty: it can go).

    Each receiver is checked only on the fields its message carries, so a value one receiver
    cannot take never holds back another.
    """
    problems = []
    docket = str(payload.get("docket") or "")
    if not DOCKET.match(docket):
        problems.append(f"docket {docket!r} is not LLL-TT-YY-NNNNNNN-S")
    if payload.get("method") not in ("hand", "abode"):
        problems.append("method must be hand or abode")
    if payload.get("police_assistance") not in (True, False):
        problems.append("police assistance must be yes or no")
    if adapter is Adapter.FAX:
        agency = payload.get("agency") or {}
        if not agency.get("name"):
            problems.append("the fax names no agency")
        number = agency.get("fax")
        if number and fax_digits(number) is None:
            problems.append(f"{agency.get('name')}'s fax number {number!r} is not 10 digits")
        return problems
    ori = str(payload.get("court_ori") or "")
    if not ORI.match(ori):
        problems.append(f"court ORI {ori!r} is not CT + 7 letters or digits")
    nic = str(payload.get("nic") or "")
    if adapter is Adapter.NCIC and nic and not NIC.match(nic):
        problems.append(f"NIC {nic!r} is not a letter and 9 digits")
    return problems  # the name always goes: switch_name never refuses one


def fax_digits(number: object) -> str | None:
    """Return a North American fax number's 10 digits, None when it has not 10."""
    digits = re.sub(r"\D", "", str(number))
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits if len(digits) == 10 else None

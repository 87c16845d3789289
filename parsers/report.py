"""One officer's report about one docket, read from a block of text.

Each field comes from a label when there is one ("PD assist: No"), else from the sentences of the
block, else from the message's context (the preamble of a batch, the subject). Whatever cannot be
read for certain is left empty and named in `problems`; nothing is filled in by guesswork.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo

from parsers import when
from parsers.blocks import (
    VISIT,
    Labelled,
    activity_segments,
    docket_key,
    read_labels,
    said_of_all,
)
from parsers.docket import DocketMatch, find_dockets
from parsers.evidence import FIELDS, INFERRED, MISSING, STATED, Evidence, Source
from parsers.fields import (
    Cue,
    activity_cues,
    method_cues,
    police_cues,
    read_activity_value,
    read_method_value,
    read_yes_no,
)
from parsers.names import full_name, person_name
from parsers.reasons import (
    attempt_reason_cues,
    other_reason_cues,
    other_reasons,
    reason_words,
)

_PRIORITY = ("service", "transferred", "attempt", "received")
_TRANSFER_TO = re.compile(
    r"\b(?:transferr(?:ed|ing)|transfer|reassign(?:ed|ing)|handed|passed|turned|gave|giving|"
    r"handing|passing)\b(?:\s+\S+){0,6}?\s+to\s+(?P<rest>[^\n]{0,80})",
    re.IGNORECASE | re.ASCII,
)
# "respondent Gordon Pike", "resp. Tanya Ruiz", "Resp: Ian Whitlock": officers shorten the word.
_RESPONDENT = re.compile(
    r"\b(?:respondent(?:'s\s+name)?|resp\b\.?)(?:\s+(?:is|was|named|name|being))?[ \t:,-]+",
    re.IGNORECASE,
)
# "Curtis L. Mayweather Jr. was served", "Wesley Dunbar (TTD-FA-...) was served": the
# respondent as the subject of the sentence telling what was done to them.
_SUBJECT_OF = re.compile(
    r"(?:^|(?<=[.!?]\s)|(?<=\n))\s*(?=[A-Z])(?P<line>[^\n]{0,60}?)\s*(?:\([^)\n]{0,40}\)\s*)?"
    r"(?:was|has\s+been|got)\s+(?:personally\s+|just\s+)?(?:served|attempted)\b"
)
_SERVED_NAME = re.compile(
    r"\b(?:[Ss]erved|[Ss]erve|[Ss]erving|[Aa]ttempted|[Tt]ried)\s+(?:on\s+|upon\s+)?(?=[A-Z])"
)
# "hhd fa 26 6053477 - kenji watanabe - 1015": a name standing alone between separators
_DASHED_NAME = re.compile(r"^\s*(?P<name>[^\W\d_]+(?:[ '\-][^\W\d_]+){1,2})\s+[-\u2013\u2014|]\s")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|dear|greetings|registry)\b[^\n]{0,40}\n",
    re.IGNORECASE | re.ASCII,
)
_OTHER_MATTER = re.compile(
    r"\b(?:will|going\s+to|plan\w*|tomorrow|next|again|please|thanks?|call|let\s+me|"
    r"pd|police|neighbou?r)\b|'ll\b",
    re.IGNORECASE | re.ASCII,
)
# "Marshal Edward Ostrowski called in a service": a phone note names the officer who acted.
_CALLER = re.compile(
    r"\b(?i:(?:state\s+)?(?:marshal|constable|officer))\s+(?P<name>[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){1,3})"
    r"\s+(?:called|phoned|telephoned|rang|reported|left\s+a\s+(?:message|voicemail))\b"
)
_AFTER_DOCKET = frozenset(" \t-\u2013\u2014:,|()")


@dataclass(frozen=True)
class Report:
    """What an officer said about one docket; `problems` lists what a person must settle."""

    docket_number: str | None
    activity: str
    method: str | None
    occurred_at: datetime | None
    police_assistance: bool | None
    reason_code: str | None  # the registry's term (parsers/reasons.py), for its statistics
    reason: str | None  # the officer's own words, cut from the email
    transferred_to: str | None
    note: str | None
    officer_name: str | None
    respondent_first_name: str | None
    respondent_last_name: str | None
    problems: tuple[str, ...]
    # What each field was read from, and (once the message's text is known) where it stands.
    sources: tuple[Source, ...] = field(default=(), compare=False, repr=False)
    evidence: tuple[tuple[str, Evidence], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "docket_number": self.docket_number,
            "activity": self.activity,
            "method": self.method,
            "occurred_at": self.occurred_at.isoformat() if self.occurred_at else None,
            "police_assistance": self.police_assistance,
            "reason_code": self.reason_code,
            "reason": self.reason,
            "transferred_to": self.transferred_to,
            "note": self.note,
            "officer_name": self.officer_name,
            "respondent_first_name": self.respondent_first_name,
            "respondent_last_name": self.respondent_last_name,
            "problems": list(self.problems),
            "evidence": {name: found.to_json() for name, found in self.field_evidence().items()},
        }

    def field_evidence(self) -> dict[str, Evidence]:
        """Every field's evidence; a field no reader noted is missing."""
        known = dict(self.evidence)
        return {name: known.get(name, Evidence(MISSING, None)) for name in FIELDS}


@dataclass(frozen=True)
class Context:
    """What a block is read against: the reference day, zones, the signer, the message around it."""

    today: date
    tz: tzinfo
    received_at: datetime
    officer_name: str | None
    context_text: str  # the batch preamble and the subject, for fields a block leaves out
    day_text: str = ""  # the rest of the block, when it holds several reports: for their day


# Fields every report cut from one block shares: who, which docket, who acted.
_SHARED = ("docket_number", "officer_name", "respondent_first_name", "respondent_last_name")
_SHARED_PROBLEMS = ("missing docket", "invalid docket", "missing officer name")


def read_reports(key: str | None, text: str, ctx: Context) -> list[Report]:
    """Read a block about one docket: one report, or one per activity it tells of in turn."""
    segments = activity_segments(text)
    whole = read_report(key, text, ctx)
    if len(segments) == 1:
        return [whole]
    shared = {name: getattr(whole, name) for name in _SHARED}
    # "No police on any of these" under a list of tries is said of each of them.
    ctx = replace(ctx, context_text=f"{said_of_all(text)}\n{ctx.context_text}")
    shared_sources = tuple(s for s in whole.sources if s.field in _SHARED)
    reports = []
    for n, segment in enumerate(segments):
        rest = "\n".join(other for m, other in enumerate(segments) if m != n)
        part = read_report(key, segment, replace(ctx, day_text=rest))
        if "activity not recognized" in part.problems:  # "2:30 PM - no answer" in a list of tries
            part = read_report(
                key, segment, replace(ctx, day_text=rest), activity_hint=whole.activity
            )
        own = tuple(s for s in part.sources if s.field not in _SHARED)
        problems = tuple(
            dict.fromkeys(
                [p for p in whole.problems if p.startswith(_SHARED_PROBLEMS)]
                + [p for p in part.problems if not p.startswith(_SHARED_PROBLEMS)]
            )
        )
        reports.append(replace(part, **shared, problems=problems, sources=own + shared_sources))
    return reports


def read_report(
    key: str | None, text: str, ctx: Context, *, activity_hint: str | None = None
) -> Report:
    """Read the report about one docket (key None: the message names no docket) from its text.

    `activity_hint` is what was done when the text does not say (a correction of a time).
    """
    block = read_labels(text)
    problems: list[str] = []
    seen: list[Source] = []
    docket = _docket(key, text, ctx.context_text, problems, seen)
    activity, anchor = _activity(block, ctx, problems if activity_hint is None else [], seen)
    if activity_hint is not None and not any(s.field == "activity" for s in seen):
        activity = activity_hint
    method = _method(block, problems, seen) if activity == "service" else None
    occurred_at = None
    if activity != "other":
        occurred_at = when.occurred_at(
            block, activity, anchor, today=ctx.today, tz=ctx.tz, received_at=ctx.received_at,
            context=f"{ctx.day_text}\n{ctx.context_text}", problems=problems, seen=seen,
        )  # fmt: skip
    police = None
    if activity in ("service", "attempt"):
        police = _police(block, ctx, problems, seen)
    reason_code, reason, note = _reason_and_note(block, activity, problems, seen)
    transferred_to = _transferred_to(block) if activity == "transferred" else None
    if activity == "transferred" and transferred_to is None:
        problems.append("missing officer transferred to")
    first, last = _respondent(block, key, ctx.context_text)
    officer = _officer(block) or ctx.officer_name
    if officer is None:
        problems.append("missing officer name")
    named = {"transferred_to": transferred_to, "officer_name": officer,
             "respondent_first_name": first, "respondent_last_name": last}  # fmt: skip
    seen += [Source(name, STATED, (value,)) for name, value in named.items() if value]
    return Report(
        docket, activity, method, occurred_at, police, reason_code, reason, transferred_to, note,
        officer, first, last, tuple(dict.fromkeys(problems)), tuple(seen),
    )  # fmt: skip


def has_report_words(text: str) -> bool:
    """True when text reads like a report even without a docket (served, attempted, labels...)."""
    block = read_labels(text)
    reported = {"docket", "respondent", "method", "when", "date", "time", "police", "reason",
                "activity", "transferred_to"}  # fmt: skip
    return bool(
        activity_cues(block.prose)
        or method_cues(block.prose)
        or any(label.field in reported for label in block.labels)
        or other_reasons(block.prose)
    )


def _docket(
    key: str | None, text: str, context: str, problems: list[str], seen: list[Source]
) -> str | None:
    if key is None:
        problems.append("missing docket number")
        return None
    match = _first_match(key, text) or _first_match(key, context)
    if match is not None:
        seen.append(Source("docket_number", STATED, (match.text,)))
    if match is None or match.canonical is None:
        error = match.error if match is not None else "unreadable"
        problems.append(f"invalid docket number: {error}")
        return match.text.strip() if match is not None else key
    return match.canonical


def _first_match(key: str, text: str) -> DocketMatch | None:
    return next((m for m in find_dockets(text) if docket_key(m) == key), None)


def _activity(
    block: Labelled, ctx: Context, problems: list[str], seen: list[Source]
) -> tuple[str, int | None]:
    """Decide what was done; return it and where in the prose it was said (for dates)."""
    kind, anchor, cues = _activity_cues(block, ctx)
    if kind is None:
        problems.append("activity not recognized")
        return "other", None
    words = tuple(cue.text for cue in cues if cue.kind == kind)[:1]
    seen.append(Source("activity", STATED if words else INFERRED, words))
    return kind, anchor


def _activity_cues(block: Labelled, ctx: Context) -> tuple[str | None, int | None, list[Cue]]:
    """A Status label, then the sentences, then what labels and methods imply, then context."""
    labelled = [
        Cue(c.kind, c.start, c.end, label.value)
        for label in block.labels
        if label.field == "activity" and label.value
        for c in read_activity_value(label.value)
    ]
    if labelled:
        return _strongest(labelled), None, labelled
    prose = activity_cues(block.prose)
    if prose:
        kind = _strongest(prose)
        return kind, next(c.start for c in prose if c.kind == kind), prose
    implied = [
        Cue(label.implied_activity, 0, 0, label.source)
        for label in block.labels
        if label.implied_activity
    ]
    implied += [Cue("service", c.start, c.end, c.text) for c in method_cues(block.prose)]
    implied += [Cue("service", 0, 0, value) for value in block.values("method")]
    if implied:
        return _strongest(implied), None, implied
    # "Went to 40 Howard Ave ... he was arrested": an attempt, though the word is never written
    visit = VISIT.search(block.prose)
    if visit is not None and attempt_reason_cues(block.prose):
        return "attempt", visit.start(), [Cue("attempt", visit.start(), visit.end(), visit[0])]
    context = activity_cues(ctx.context_text)
    if context:
        return _strongest(context), None, context
    other = other_reason_cues(block.prose)
    if other:
        start, end, _ = other[0]
        return "other", None, [Cue("other", start, end, block.prose[start:end])]
    return None, None, []


def _strongest(cues: list[Cue]) -> str:
    """Served beats transferred beats attempted beats received: the last step taken wins."""
    kinds = {cue.kind for cue in cues}
    return next((kind for kind in _PRIORITY if kind in kinds), "other")


def _method(block: Labelled, problems: list[str], seen: list[Source]) -> str | None:
    sources = block.values("method") + block.values("activity") + _activity_values(block)
    cues = [(c, value) for value in sources for c in read_method_value(value)]
    cues += [(c, block.prose) for c in method_cues(block.prose)]
    kinds = {cue.kind for cue, _ in cues}
    if len(kinds) == 1:
        seen.append(Source("method", STATED, (cues[0][0].text,)))
        return kinds.pop()
    if not kinds:
        problems.append("missing method of service")
        return None
    problems.append(f"ambiguous method: {_quote_both(cues)!r}")
    return None


def _activity_values(block: Labelled) -> list[str]:
    """Values of labels named for what was done ("Served: in hand 11/3 2pm", "Svc - abode")."""
    return [
        label.value
        for label in block.labels
        if label.field == "when" and label.implied_activity and label.value
    ]


def _quote_both(cues: list[tuple[Cue, str]]) -> str:
    """Quote the words that disagree: the span holding both when it is short."""
    first_hand = next(c for c in cues if c[0].kind == "hand")
    first_abode = next(c for c in cues if c[0].kind == "abode")
    (a, text_a), (b, text_b) = sorted((first_hand, first_abode), key=lambda c: c[0].start)
    if text_a is text_b and b.end - a.start <= 60:
        return " ".join(text_a[a.start : b.end].split())
    return f"{a.text} / {b.text}"


def _police(block: Labelled, ctx: Context, problems: list[str], seen: list[Source]) -> bool | None:
    """A police label's answer, else what the sentences say, else the batch's preamble."""
    said = [(value, read_yes_no(value)) for value in block.values("police")]
    said = [(words, answer) for words, answer in said if answer is not None]
    for text in (block.prose, ctx.context_text):
        if not said:
            said = [(cue.text, cue.kind == "yes") for cue in police_cues(text)]
    answers = {answer for _, answer in said}
    if len(answers) == 1:
        seen.append(Source("police_assistance", STATED, (said[0][0],)))
        return answers.pop()
    problems.append("ambiguous police assistance" if answers else "missing police assistance")
    return None


def _reason_and_note(
    block: Labelled, activity: str, problems: list[str], seen: list[Source]
) -> tuple[str | None, str | None, str | None]:
    code, words, note = _reasons(block, activity, problems)
    source = " ".join(block.values("reason")) or block.prose
    cues = [c for c in attempt_reason_cues(source) + other_reason_cues(source) if c[2] == code]
    if cues:
        seen.append(Source("reason_code", STATED, (source[cues[0][0] : cues[0][1]],)))
    for name, value in (("reason", words), ("note", note)):
        if value:
            seen.append(Source(name, STATED, (value,)))
    return code, words, note


def _reasons(
    block: Labelled, activity: str, problems: list[str]
) -> tuple[str | None, str | None, str | None]:
    """The registry's term, the officer's own words for it, and the rest of the notes."""
    stated = " ".join(block.values("reason")) or _result_words(block)
    notes = " ".join(block.values("note"))
    if activity not in ("attempt", "other"):
        return None, None, " ".join(notes.split()) or None
    find = attempt_reason_cues if activity == "attempt" else other_reason_cues
    cues = find(stated or block.prose)
    code = cues[0][2] if cues else None
    words = " ".join(stated.split()) or None
    if words is None and cues:
        words = _words_around(block.prose, cues[0][0])
    if activity == "attempt":
        if words is None:
            problems.append("missing reason for the attempt")
        return code, words, " ".join(f"{stated} {notes}".split()) or None
    prose = " ".join(f"{stated} {_GREETING.sub('', block.prose.lstrip(), count=1)}".split())
    return code, words or prose[:1000] or None, prose[:1000] or None


def _result_words(block: Labelled) -> str:
    """A Result/Status value that says more than the activity ("Address ... does not exist")."""
    values = [v for v in block.values("activity") if len(v.split()) > 3]
    return " ".join(values)


def _words_around(prose: str, at: int) -> str:
    """The officer's sentence that gave a reason, without the report it opens with."""
    leads = [m.end for m in find_dockets(prose)]
    start, end = reason_words(prose, at, _is_report_part, leads, _is_other_matter)
    return " ".join(prose[start:end].split())


def _is_report_part(text: str) -> bool:
    return bool(activity_cues(text) or find_dockets(text))


def _is_other_matter(sentence: str) -> bool:
    """A sentence after a reason that is about something else: police, a plan, the report."""
    return bool(
        _is_report_part(sentence)
        or police_cues(sentence)
        or _OTHER_MATTER.search(sentence)
        or sentence.rstrip().endswith("?")
    )


def _transferred_to(block: Labelled) -> str | None:
    for value in block.values("transferred_to"):
        name = full_name(value, strict=False, minimum=1)
        if name is not None:
            return name
    for m in _TRANSFER_TO.finditer(block.prose):
        rest = m.group("rest")
        titled = re.match(r"\s*(?:state\s+)?(?:marshal|officer|constable|deputy)\b", rest, re.I)
        name = full_name(rest, strict=True, minimum=1 if titled else 2)
        if name is not None:
            return name
    return None


def _respondent(block: Labelled, key: str | None, context: str) -> tuple[str | None, str | None]:
    """From a "Respondent:" label, "respondent <Name>", "<docket> - <Name>" or "served <Name>"."""
    for value in block.values("respondent"):
        name = person_name(value, strict=False, minimum=1)
        if name is not None:
            return name[0] or None, name[1]
    split = _split_name(block)
    if split is not None:
        return split
    caps = _is_caps(block.prose)
    candidates = [m.end() for m in _RESPONDENT.finditer(block.prose)]
    after_docket = [
        _skip_separators(block.prose, d.end)
        for d in find_dockets(block.prose)
        if docket_key(d) == key
    ]
    candidates += after_docket
    candidates += [m.end() for m in _SERVED_NAME.finditer(block.prose)]
    for at in candidates:
        line = block.prose[at : at + 80].split("\n")[0]
        name = person_name(line, strict=True, caps=caps)
        if name is None and at in after_docket and (dashed := _DASHED_NAME.match(line)):
            name = person_name(dashed["name"], strict=False)
        if name is not None:
            return name
    for m in _SUBJECT_OF.finditer(block.prose):
        name = person_name(m["line"], strict=True, caps=caps)
        if name is not None and len(m["line"].split()) <= 5:
            return name
    for d in find_dockets(context):  # "Subject: Service - KNO-FA-26-6003350-S - Brandon Teague"
        if docket_key(d) == key:
            at = _skip_separators(context, d.end)
            name = person_name(context[at : at + 80].split("\n")[0], strict=True)
            if name is not None:
                return name
    return None, None


def _split_name(block: Labelled) -> tuple[str | None, str | None] | None:
    """A name given in two fields ("Last Name:" and "First Name:", in either order)."""
    first = next(iter(block.values("respondent_first")), None)
    last = next(iter(block.values("respondent_last")), None)
    if first is None and last is None:
        return None
    return _one_name(first), _one_name(last)


def _one_name(value: str | None) -> str | None:
    words = (value or "").split()
    return " ".join(words) if words and len(words) <= 3 else None


def _is_caps(text: str) -> bool:
    """A text written in capitals: its letters nearly all upper case."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 20 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _skip_separators(text: str, at: int) -> int:
    """Skip the dash or colon between a docket and the name after it."""
    while at < len(text) and text[at] in _AFTER_DOCKET:
        at += 1
    return at


def _officer(block: Labelled) -> str | None:
    """An "Officer:" label, or the titled caller a phone note is taken from."""
    for value in block.values("officer"):
        name = full_name(value, strict=False)
        if name is not None:
            return name
    for m in _CALLER.finditer(block.prose):
        name = full_name(m["name"], strict=True)
        if name is not None:
            return name
    return None

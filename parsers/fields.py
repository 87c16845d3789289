"""The words officers use for a report's fields, shared by the email and chat parsers.

Labels ("Docket No.", "PD assist?", "Date/Time served") map to one field each; the cue finders
read plain sentences ("served in hand", "no police assistance needed", "attempted ... not home").
Every finder returns what it saw with its place in the text, so a caller can quote it back in a
problem instead of choosing silently.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

# re.ASCII keeps IGNORECASE from folding U+017F/U+212A into "s"/"k".
_F = re.IGNORECASE | re.ASCII

ACTIVITIES = ("service", "attempt", "received", "transferred", "other")
METHODS = ("hand", "abode")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "docket": (
        "docket", "docket no", "docket number", "docket num", "docket nbr", "dkt", "dkt no",
        "case", "case no", "case number", "case num", "docket/case no", "case/docket no",
        "docket/case number", "case/docket number", "docket or case no", "docket no/case no",
    ),
    "respondent": (
        "respondent", "respondent name", "respondents name", "name of respondent", "resp",
        "resp name", "respondent served", "party served", "person served", "defendant",
        "name of person served", "served party", "respondent full name", "name",
        "full name", "respondent/defendant",
    ),
    # A name split over two fields, in either order ("Respondent Last Name: Kaminski").
    "respondent_first": (
        "respondent first name", "respondent first", "first name", "first", "given name",
        "respondent given name", "name first", "respondent name first",
    ),
    "respondent_last": (
        "respondent last name", "respondent last", "last name", "last", "surname",
        "family name", "respondent surname", "name last", "respondent name last",
    ),
    "method": (
        "type of service", "service type", "method", "method of service", "service method",
        "manner of service", "how served", "served how", "type", "manner", "service",
        "service made", "kind of service", "service manner",
    ),
    "when": (
        "date/time served", "date and time served", "date/time of service",
        "date and time of service", "date/time", "date and time", "served on", "served at",
        "service date/time", "service date and time", "date/time of attempt",
        "date and time of attempt", "last attempt", "date/time of last attempt", "attempted",
        "attempted on", "attempt", "date/time received", "date and time received",
        "received", "received on", "date/time of transfer", "date and time of transfer",
        "transferred on", "when", "datetime", "served date/time", "served", "svc", "svd",
        "service made", "rcvd", "rec d", "recd", "date/time rcvd", "attempted at",
        "date/time attempted", "transferred", "reassigned",
    ),
    "date": (
        "date", "date served", "served date", "date of service", "service date",
        "date of attempt", "attempt date", "date attempted", "date of last attempt",
        "date received", "received date", "date of receipt", "date of transfer",
        "transfer date", "date transferred",
    ),
    "time": (
        "time", "time served", "served time", "time of service", "service time",
        "time of attempt", "attempt time", "time attempted", "time of last attempt",
        "time received", "received time", "time of receipt", "time of transfer",
        "transfer time", "time transferred",
    ),
    "police": (
        "pd", "pd assist", "pd assistance", "pd present", "pd requested", "pd assist requested",
        "police", "police assist", "police assistance", "police assistance requested",
        "police assist requested", "police present", "police presence",
        "police presence requested", "police requested", "police standby",
        "law enforcement assistance", "le assist", "le assistance", "request for police",
        "police involvement", "police needed", "pd needed",
    ),
    "reason": (
        "reason", "reason not served", "reason for non service", "reason for nonservice",
        "non service reason", "nonservice reason", "reason unable to serve", "why not served",
        "reason for attempt", "reason for no service",
    ),
    "activity": (
        "status", "activity", "result", "outcome", "service status", "action", "disposition",
        "action taken", "return",
    ),
    "transferred_to": (
        "transferred to", "transfer to", "reassigned to", "transferred to marshal",
        "receiving marshal", "new marshal", "to marshal", "given to",
    ),
    "note": (
        "notes", "note", "comments", "comment", "remarks", "other", "other information",
        "additional information", "additional info", "details", "info",
    ),
    "officer": (
        "officer", "marshal", "state marshal", "serving officer", "serving marshal",
        "served by", "officer name", "marshal name", "submitted by", "reported by",
    ),
    # Read so that their dates and words are kept out of the report (a DOB is no service date).
    "ignored": (
        "address", "service address", "location", "dob", "date of birth", "phone", "tel",
        "cell", "fax", "town", "court", "hearing", "hearing date", "order type", "email",
        "badge", "officer number", "marshal number", "county", "order date", "issued",
    ),
}  # fmt: skip
# Short forms officers type for the words labels are made of ("Resp. Last Name", "DKT#").
_ABBREVIATIONS = {"resp": "respondent", "respondents": "respondent", "dkt": "docket"}
# Fields whose value may run on over the next lines, as a wrapped reason does.
MULTILINE_FIELDS = frozenset({"reason", "note", "police", "activity", "transferred_to", "method"})

# One reader for every layout of "label <separator> value": a colon, "=", a question mark, a
# spaced dash, dot leaders ("Docket ....... X", "Docket . . . . X"), tabs or a run of spaces
# (aligned columns); a bullet, "1." or "a)" may come first. Case does not matter (label_key).
_LABEL_LINE = re.compile(
    r"^\s*(?:[-*\u2022\u00b7]\s+|\(?\d{1,2}[.)]\s+|\(?[A-Za-z][.)]\s+|#\d{1,2}\s+)?"
    r"(?P<label>[A-Za-z][A-Za-z0-9 /&#.'\u2019()]{0,48}?)\s*"
    r"(?P<sep>(?:\s*\.){2,}\s*[:=]?|\?\s*[:=-]?|:|=|\t|\s[-\u2013\u2014]\s| {2,})\s*"
    r"(?P<value>.*)$"
)
# Form check boxes: "[X] No  [ ] Yes", "\u2612 In Hand \u2610 Abode"; only a checked box answers.
_BOX = re.compile(
    r"\[\s*(?P<on>[xX\u2713\u2714*])?\s*\]|(?P<on2>[\u2612\u2611\u25a0])|[\u2610\u25a1]"
)
_BARE_LABEL = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z0-9 /&#.'\u2019()?]{0,48}?)\s*:?\s*$")


@dataclass(frozen=True)
class Label:
    """A "label: value" line: which field it fills and the activity its wording implies."""

    field: str
    label: str
    value: str
    implied_activity: str | None
    source: str = ""  # the label as written ("Served", "RCVD"), for the evidence of a field


@dataclass(frozen=True)
class Cue:
    """A phrase that says something about a field: `kind` is what it says (e.g. "hand")."""

    kind: str
    start: int
    end: int
    text: str


def label_key(text: str) -> str:
    """Reduce a label to the form LABELS is keyed by ("Resp. No.:" -> "respondent no")."""
    key = text.lower().replace("&", " and ")
    key = re.sub(r"['\u2019]s\b", "s", key)
    key = re.sub(r"\(?\b(?:y/n|yes/no|yes or no)\b\)?", " ", key)
    key = re.sub(r"[^a-z0-9/ ]+", " ", key)
    key = re.sub(r"\s*/\s*", "/", key)
    return " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())


LABELS: Mapping[str, str] = MappingProxyType(
    {label_key(label): field for field, labels in _SYNONYMS.items() for label in labels}
)


def read_label(line: str) -> Label | None:
    """Read a "label: value" line whose label is one officers use; None for anything else."""
    m = _LABEL_LINE.match(line)
    if m is None:
        return None
    key = label_key(m.group("label"))
    field = LABELS.get(key)
    if field is None:
        return None
    value = checked_value(m.group("value")).strip()
    return Label(field, key, value, _implied_activity(key), m.group("label"))


def checked_value(value: str) -> str:
    """Keep only what a checked box marks in a form's value; a value without boxes as it is.

    No box checked means no answer (""), never the first option: unknown is not "no".
    """
    boxes = list(_BOX.finditer(value))
    if not boxes:
        return value
    # "[X] Yes [ ] No" puts each option after its box, "Yes [X] No [ ]" before it.
    after = not value[: boxes[0].start()].strip()
    chosen = []
    for n, box in enumerate(boxes):
        if after:
            option = value[box.end() : boxes[n + 1].start() if n + 1 < len(boxes) else None]
        else:
            option = value[boxes[n - 1].end() if n else 0 : box.start()]
        if box.group("on") or box.group("on2"):
            chosen.append(option.strip())
    return " ".join(chosen)


def read_bare_label(line: str) -> Label | None:
    """Read a line that is only a label (its value is on the next line, as in a pasted form)."""
    m = _BARE_LABEL.match(line)
    if m is None or not line.strip():
        return None
    key = label_key(m.group("label"))
    field = LABELS.get(key)
    if field is None or field in ("note", "ignored") or key in ("type", "service", "return"):
        return None
    return Label(field, key, "", _implied_activity(key), m.group("label"))


def _implied_activity(key: str) -> str | None:
    if "attempt" in key or "not served" in key or "non service" in key:
        return "attempt"
    if "receiv" in key or "receipt" in key or key in ("rcvd", "recd", "rec d"):
        return "received"
    if "transfer" in key:
        return "transferred"
    if "serv" in key or key in ("svc", "svd"):
        return "service"
    return None


# --- activity -------------------------------------------------------------------------------

_ACTIVITY_CUES = (
    ("service", re.compile(r"\bserved\b|\bsvd\b|\bsvc'?d\b", _F)),
    ("service", re.compile(r"\bservice\s+(?:was\s+|has\s+been\s+|is\s+)?(?:made|completed?|"
                           r"executed|effected|accomplished|done|successful)\b", _F)),
    ("attempt", re.compile(r"\battempt(?:ed|s|ing)?\b|\btried\b", _F)),
    ("attempt", re.compile(r"\b(?:unable|could\s*not|couldn'?t|can\s*not|can'?t|did\s*not|"
                           r"didn'?t|failed)\s+(?:to\s+)?(?:serve|locate|find|make\s+service|"
                           r"effect\s+service|complete\s+service)\b", _F)),
    ("attempt", re.compile(r"\bnon[-\s]?(?:service|est)\b|\bunserved\b|\bunsuccessful\b", _F)),
    ("attempt", re.compile(r"\bnot\s+(?:at\s+)?home\b|\bno\s*(?:one|body)\s+(?:was\s+)?home\b",
                           _F)),
    ("transferred", re.compile(r"\btransferr(?:ed|ing)\b|\btransfer\s+of\s+(?:process|service|"
                               r"papers|paperwork)\b|\breassign(?:ed|ing)\b", _F)),
    ("transferred", re.compile(r"\b(?:handed|passed|turned|gave|giving|handing|passing)\s+"
                               r"(?:\w+\s+){0,3}(?:off\s+|over\s+)?to\s+(?:state\s+)?marshal\b",
                               _F)),
    ("received", re.compile(r"\b(?:received|rcvd|rec'?d)\s+(?:(?:the|this|these|your|new|a|"
                            r"above|attached|said|their|both|two|three|four|five|six|several|\d+)\s+){0,2}"
                            r"(?:papers|process|orders?|paperwork|documents|packet|"
                            r"it|them|service)\b", _F)),
    # "Received HHB-FA-26-6015188 @ 0905": received, then a docket
    ("received", re.compile(r"\b(?:received|rcvd|rec'?d)\b(?=:?\s+(?:docket\s+|dkt\s+)?"
                            r"[A-Za-z]{3}[-\s.]?[A-Za-z]{2}[-\s.]?\d)", _F)),
    ("received", re.compile(r"\b(?:papers|process|paperwork|orders?)\s+(?:was\s+|were\s+)?"
                            r"received\b|\bpicked\s+up\s+(?:the\s+)?(?:papers|process|"
                            r"paperwork|orders?)\b|\bin\s+receipt\s+of\b", _F)),
)  # fmt: skip
_NEGATED_BEFORE = re.compile(
    r"(?:\bnot|n't|\bnever|\bno|\bwithout|\byet\s+to|\bunable\s+to)\s+(?:\w+\s+){0,3}$", _F
)
_FUTURE_BEFORE = re.compile(
    r"(?:\bto\s+be|\bwill\s+be|\bbe|\bcan|\bcould|\bshould|\bwould|\bmust|\bwill|\bshall|"
    r"\bto|\bneeds?\s+to\s+be|\bplease|\bif)\s+(?:\w+\s+)?$",
    _F,
)
# "it is not showing as served", "listed as unserved": what a record says, not what was done.
_RECORD_BEFORE = re.compile(
    r"\b(?:show(?:s|ing|n)?|listed|marked|recorded|entered|appears?|appearing|status)\s+"
    r"(?:as\s+|up\s+as\s+)?(?:\w+\s+)?$",
    _F,
)
_NO_AFTER = re.compile(r"\s*[:?]+\s*(?:no|n|not\s+yet)\b", _F)
_ACTIVITY_WORDS = (
    ("attempt", re.compile(r"^(?:attempt(?:ed)?|not\s+served|unserved|non[-\s]?(?:service|est)|"
                           r"unable(?:\s+to\s+serve)?|unsuccessful|no)\b", _F)),
    ("service", re.compile(r"^(?:served|service|executed|completed?|successful|yes)\b", _F)),
    ("received", re.compile(r"^(?:received|receipt)\b", _F)),
    ("transferred", re.compile(r"^(?:transferr?(?:ed)?|reassigned)\b", _F)),
    ("other", re.compile(r"^(?:other|info(?:rmation)?)\b", _F)),
)  # fmt: skip


def activity_cues(text: str) -> list[Cue]:
    """Find what the text says was done; "not served" is an attempt, "will be served" nothing."""
    cues: list[Cue] = []
    for kind, pattern in _ACTIVITY_CUES:
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            before = re.split(r"[.;!?\n]|,\s", before)[-1]
            if _FUTURE_BEFORE.search(before) or _RECORD_BEFORE.search(before):
                continue
            if _in_question(text, m.start()):
                continue
            negated = _NEGATED_BEFORE.search(before) is not None
            if kind == "service" and _NO_AFTER.match(text, m.end()):
                negated = True
            if negated and kind == "service":
                kind_seen = "attempt"
            elif negated:
                continue
            else:
                kind_seen = kind
            cues.append(Cue(kind_seen, m.start(), m.end(), m.group()))
    return sorted(cues, key=lambda c: c.start)


def _in_question(text: str, at: int) -> bool:
    """A question ("has he been served?") asks; it tells of nothing done."""
    start = max(text.rfind(end, 0, at) for end in (".", "!", "?", "\n"))
    ends = [i for i in (text.find(end, at) for end in (".", "!", "?", "\n")) if i >= 0]
    stop = min(ends) if ends else len(text)
    if stop >= len(text) or text[stop] != "?" or "\n" in text[start + 1 : stop]:
        return False
    return _ANSWERED.match(text, stop + 1) is None  # "Served? No" is a form's answer


_ANSWERED = re.compile(r"[ \t:=-]*(?:yes|no|y|n|none|n/a|negative)\b", _F)


def read_activity_value(value: str) -> list[Cue]:
    """Read a "Status:" value: one word ("Served", "Attempted") or a phrase."""
    for kind, pattern in _ACTIVITY_WORDS:
        m = pattern.match(value.strip())
        if m is not None:
            return [Cue(kind, 0, len(m.group()), m.group())]
    return activity_cues(value)


# --- method ---------------------------------------------------------------------------------

_METHOD_CUES = (
    ("hand", re.compile(r"\bin[-\s]?hand\b|\bih\b|\bhand[-\s]?(?:served|delivered|service)\b|"
                        r"\bpersonal(?:ly)?\s+serv\w*|\bhanded\s+(?:it|them|the\s+(?:papers|paperwork|process|"
                        r"orders?|documents))\s+(?:directly\s+to\s+(?:him|her)|to\s+the\s+respondent|"
                        r"to\s+(?:him|her)\s+(?:directly|personally|in\s+person))\b|"
                        r"\bserved\s+(?:him\s+|her\s+|them\s+)?"
                        r"(?:personally|in\s+person)\b|\bpersonal\s+service\b", _F)),
    # a method word alone in a column of an aligned row ("Moreno, Gabriela    hand    11/30")
    ("hand", re.compile(r"(?:^|\t| {2,})(?:in[-\s])?hand(?=\t| {2,}|$)", _F | re.MULTILINE)),
    ("abode", re.compile(r"\babode\b|\busual\s+place\b|\bleft\s+(?:\w+\s+){0,3}(?:at|in|on|"
                         r"under|with)\s+(?:the\s+|his\s+|her\s+|their\s+|respondent'?s\s+)?"
                         r"(?:residence|home|house|door|front\s+door|dwelling|apartment|"
                         r"mailbox|porch)\b|\bleft\s+(?:the\s+|a\s+)?(?:papers|paperwork|process|"
                         r"documents|copy|copies|order)\s+with\s+(?:his|her|their|the|an?)\s+"
                         r"(?:wife|husband|mother|father|son|daughter|sister|brother|"
                         r"roommate|girlfriend|boyfriend|partner|spouse|adult|grand\w+|aunt|uncle|"
                         r"cousin|fianc\w*|niece|nephew|relative|family|resident|occupant)\b", _F)),
)  # fmt: skip
_METHOD_WORDS = (
    ("hand", re.compile(r"^(?:in[-\s]?hand|hand|ih|personal(?:ly)?|in\s+person)\b", _F)),
    ("abode", re.compile(r"^(?:abode|upa|usual\s+place(?:\s+of\s+abode)?|residence)\b", _F)),
)


def method_cues(text: str) -> list[Cue]:
    """Find "in hand" / "abode" wording; both in one report is for a person to settle."""
    cues = [
        Cue(kind, m.start(), m.end(), m.group())
        for kind, pattern in _METHOD_CUES
        for m in pattern.finditer(text)
    ]
    return sorted(cues, key=lambda c: c.start)


def read_method_value(value: str) -> list[Cue]:
    """Read a "Type of service:" value ("In-Hand", "IH", "Abode", "usual place of abode")."""
    cues = method_cues(value)
    if cues:
        return cues
    for kind, pattern in _METHOD_WORDS:
        m = pattern.match(value.strip())
        if m is not None:
            return [Cue(kind, 0, len(m.group()), m.group())]
    return []


# --- police assistance ----------------------------------------------------------------------

_POLICE = re.compile(
    r"\b(?:police|p\.d\.?|pd|troopers?|troop\s+[a-z]\b|csp|law\s+enforcement|cops?|sheriffs?)(?!\w)",
    _F,
)
# An aside in parentheses belongs to its clause: "Waterbury PD (Ofc. Reyes) was with me".
_CLAUSE_BREAK = re.compile(
    r"(?<!\bOfc)(?<!\bSgt)(?<!\bOff)[.;!?](?=\s|$)|,\s|\s[-\u2013\u2014/|]\s|\n\s*\n"
)
_AFFIRMATIVE = re.compile(
    r"\b(?:assist\w*|present|presence|stood\s+by|stand\s*by|standby|escort\w*|accompan\w*|"
    r"request\w*|help\w*|on\s+scene|backup|back\s+up|needed|called|there|involved|"
    r"with\s+(?:me|us)|w/\s*(?:me|us)|came|met\s+me|kept\s+the\s+peace|yes)\b",
    _F,
)
# A department named as a source of information ("confirmed with Putnam PD dispatch", "per
# the trooper") is no assistance: such a clause counts only with an assistance word in it.
_INFORMATION = re.compile(
    r"\bto\s+(?:ask|check|verify|see\s+if|find\s+out|confirm|look\s+up)\b|"
    r"\b(?:dispatch\w*|said|says|told|confirm\w*|per|according|advised|report\w*|record\w*|"
    r"records|called\s+(?:the\s+)?(?:police|pd)\s+(?:to\s+)?(?:check|ask|verify)|"
    r"spoke|talked|contacted|phoned|e-?mailed|checked|warrants?|custody|held|lockup|"
    r"arrested|booked|jail|"
    r"prior|previous(?:ly)?|history|last\s+(?:week|month|year|night|time))\b",
    _F,
)
_ASSISTANCE = re.compile(
    r"\b(?:assist\w*|stood\s+by|stand\s*by|standby|escort\w*|accompan\w*|on\s+scene|"
    r"backup|present)\b",
    _F,
)
# A label and its answer inside a sentence: "... today. Police assistance: N".
# A label and its answer inside a sentence: "... today. Police assistance: N". The answer ends
# there: "PD on scene - no issues" is no "no".
_ANSWER = re.compile(
    r"[\w\s/]{0,30}?(?:[:?=]|\.{2,}|\s[-\u2013]\s)\s*(?P<said>yes|y|no|n|none|negative|n/a|na|nope)\b"
    r"(?!\s+(?:one|body|issues?|problems?|answer|incidents?|contact|response|sign|trouble)\b)",
    _F,
)
# "with Groton PD", "with the troopers": the police came along.
_WITH_POLICE = re.compile(
    r"\bwith\s+(?:the\s+)?(?:[A-Z][\w.]*\s+|of\s+(?=[A-Z])){0,5}"
    r"(?:police|p\.?d\.?|troopers?|troop\s+[A-Z]|csp|officers?)\b"
    r"(?:\s+\w+){0,3}\s*$",
    _F,
)
# "I did not request assistance", "went by myself" say no even without naming the police.
_NO_ASSISTANCE = re.compile(
    r"\b(?:no|not|never|without|neither|n't)\b(?:\s+\w+){0,3}?\s+(?:assistance|backup|assist)\b"
    r"|\b(?:went|was|served|attempted|go|going)\s+(?:there\s+)?(?:by\s+myself|alone|solo)\b"
    r"|\bon\s+my\s+own\b"
    r"|\bn't\b(?:\s+\w+){0,3}?\s+(?:assistance|backup|assist)\b",
    _F,
)
_YES = re.compile(r"^\W*(?:yes|y|true|requested|present|affirmative)\b", _F)
_NO = re.compile(
    r"^\W*(?:no|n|none|not|false|n/a|na|negative|declined|nope)\b",
    _F,
)


def police_cues(text: str) -> list[Cue]:
    """Find what each clause naming the police says: "yes" or "no" assistance.

    A negation counts only where it governs the police or their assistance ("no PD", "did not
    request police", "PD was not needed"); one about something else in the sentence ("without
    incident", "because he would not open the door") says nothing about the police, and two
    that cancel out ("not without the PD") leave the answer unknown.
    """
    cues: list[Cue] = []
    breaks = [(b.start(), b.end()) for b in _CLAUSE_BREAK.finditer(text)]
    starts = [b[0] for b in breaks]
    for m in _POLICE.finditer(text):
        start, end = _clause_around(breaks, starts, m.start(), m.end(), len(text))
        clause = text[start:end]
        answer = _ANSWER.match(text, m.end())  # the answer may follow a " - "
        if answer is not None:  # "Police assistance: N" written inside a sentence
            said = read_yes_no(answer["said"])
            if said is not None:
                cues.append(Cue("yes" if said else "no", start, end, clause.strip()))
                continue
        if _INFORMATION.search(clause) and not _ASSISTANCE.search(clause):
            continue
        negation = _negation(text, start, end, m.start(), m.end())
        if negation == "unsure":
            continue
        if negation == "no":
            cues.append(Cue("no", start, end, clause.strip()))
        elif _WITH_POLICE.search(text, max(start, m.start() - 40), m.end()):
            cues.append(Cue("yes", start, end, clause.strip()))
        elif _AFFIRMATIVE.search(_part(text, start, end, m.start(), m.end())):
            cues.append(Cue("yes", start, end, clause.strip()))
    if not cues:
        cues = [Cue("no", m.start(), m.end(), m.group()) for m in _NO_ASSISTANCE.finditer(text)]
    return _unique_spans(cues)


# Words that open another clause inside a sentence: a negation past them is about that clause.
_SUBORDINATE = re.compile(
    r"\b(?:because|since|as|when|while|until|but|although|though|after|before|so|and|once|"
    r"however|where|who|which|whom|whose|if|unless)\b",
    _F,
)
_NEGATOR = re.compile(
    r"\b(?:no|not|none|without|never|nor|neither|declined|negative|n/a|unnecessary|unneeded)\b"
    r"|n't\b",
    _F,
)
# A determiner ("no PD", "without the Groton police") governs only the words right after it.
_DETERMINER = frozenset({"no", "without", "none", "neither", "nor", "n/a"})
_CANCELLING = frozenset({"not", "n't", "never", "without", "unless"})


def _part_bounds(text: str, start: int, end: int, m_start: int, m_end: int) -> tuple[int, int]:
    """The part of a clause around a police mention, between the subordinate clauses."""
    left = start
    for sub in _SUBORDINATE.finditer(text, start, m_start):
        left = sub.end()
    sub_after = _SUBORDINATE.search(text, m_end, end)
    return left, sub_after.start() if sub_after is not None else end


def _part(text: str, start: int, end: int, m_start: int, m_end: int) -> str:
    left, right = _part_bounds(text, start, end, m_start, m_end)
    return text[left:right]


def _negation(text: str, start: int, end: int, m_start: int, m_end: int) -> str | None:
    """ "no" when a negation governs the police mention, "unsure" when two do, else None."""
    left, right = _part_bounds(text, start, end, m_start, m_end)
    governing: list[str] = []
    negations = [n.group().lower() for n in _NEGATOR.finditer(text, left, right)]
    for neg in _NEGATOR.finditer(text, left, right):
        word = neg.group().lower()
        if neg.start() >= m_end:
            governing.append(word)  # "PD was not needed", "police declined", "police: none"
            continue
        between = text[neg.end() : m_start].split()
        if word in _DETERMINER:
            named = [w for w in between if not w[:1].isupper() and w.lower() not in _DET_FILL]
            if not named and len(between) <= 4:
                governing.append(word)
        elif len(between) <= 4:
            governing.append(word)
    if governing and _cancel_out([w for w in negations if w not in ("nor", "neither")]):
        return "unsure"
    return "no" if governing else None


def _cancel_out(negations: list[str]) -> bool:
    """ "not ... without", "never ... unless": two negations in one clause that undo each other."""
    if len(negations) < 2 or not _CANCELLING.intersection(negations):
        return False
    return len(set(negations)) > 1 or negations.count("not") + negations.count("n't") > 1


_DET_FILL = frozenset({"the", "any", "a", "need", "for", "request", "requested", "local", "town",
                       "city", "state", "of", "assistance", "help", "from"})  # fmt: skip


def read_yes_no(value: str) -> bool | None:
    """Read a "PD assist:" value: yes/no words first, else what its clauses say."""
    if _YES.match(value):
        return True
    if _NO.match(value):
        return False
    # The label names the police, so the value's words are read as a clause about them:
    # "neither requested nor required", "none requested", "Groton PD stood by".
    kinds = {cue.kind for cue in police_cues(f"police {value}")}
    if len(kinds) == 1:
        return kinds == {"yes"}
    return None


def _clause_around(
    breaks: list[tuple[int, int]], starts: list[int], start: int, end: int, length: int
) -> tuple[int, int]:
    """The clause holding [start, end): from the break before it to the break after it."""
    n = bisect_left(starts, start)
    left = breaks[n - 1][1] if n else 0
    if left > start:  # an overlapping break; clauses never start inside a word
        left = start
    m = bisect_left(starts, end)
    right = breaks[m][0] if m < len(breaks) else length
    return left, right


def _unique_spans(cues: list[Cue]) -> list[Cue]:
    seen: set[tuple[int, int]] = set()
    unique = []
    for cue in cues:
        if (cue.start, cue.end) not in seen:
            seen.add((cue.start, cue.end))
            unique.append(cue)
    return unique

"""A message body as the sections that count: the sender's own words and any forwarded messages.

Quoted replies ("> ..." lines, "On ... wrote:", Outlook's "From:/Sent:" history) are old news and
are dropped, so a reply never repeats an earlier report. A forwarded message counts, with its own
sender and date. Signatures, phone footers and legal disclaimers are cut off each section; the
signature's name is kept because it names the officer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.docket import find_dockets
from parsers.names import is_title_line, same_person, signature_name

_F = re.IGNORECASE | re.ASCII

# Mail clients mark a passed-on message and quoted history in their user's language.
_FORWARD = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded\s+message|weitergeleitete\s+nachricht|message\s+transf\S*"
    r"|mensaje\s+reenviado|mensagem\s+encaminhada|doorgestuurd\s+bericht)\s*:?\s*-*"
    r"|begin\s+forwarded\s+message\s*:|d\S+but\s+du\s+message\s+r\S+\s*:"
    r"|anfang\s+der\s+weitergeleiteten\s+nachricht\s*:|inicio\s+del\s+mensaje\s+reenviado\s*:)"
    r"\s*$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(?:original\s+message|urspr\S*\s+nachricht|message\s+d'origine"
    r"|mensaje\s+original|mensagem\s+original|oorspronkelijk\s+bericht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
# Gmail, Apple Mail and Thunderbird: "On <date>, <name> wrote:", in several languages, and a
# bare "<name> <address> wrote:" over a quote.
_WROTE = re.compile(
    r"^\s*(?:on\b.{0,300}\bwrote|le\b.{0,300}\ba\s+\S*crit|am\b.{0,300}\bschrieb"
    r"|el\b.{0,300}\bescribi\S*|em\b.{0,300}\bescreveu|op\b.{0,300}\bschreef)\s*:\s*$",
    re.IGNORECASE | re.DOTALL,
)
_WROTE_START = re.compile(r"^\s*(?:on|le|am|el|em|op)\b", re.IGNORECASE)
_NAME_WROTE = re.compile(r"^\s*[^\s:<>][^:<>]{0,60}(?:<[^<>@\s]+@[^<>\s]+>)?\s+wrote\s*:\s*$", _F)
# Header names as Outlook writes them in English, German, French, Spanish, Portuguese, Dutch.
_HEADER_NAMES = {
    "from": "from", "von": "from", "de": "from", "van": "from",
    "sent": "sent", "gesendet": "sent", "envoy\u00e9": "sent", "envoye": "sent",
    "enviado": "sent", "enviada": "sent", "verzonden": "sent",
    "date": "date", "datum": "date", "fecha": "date", "data": "date",
    "to": "to", "an": "to", "\u00e0": "to", "para": "to", "aan": "to",
    "cc": "cc", "subject": "subject", "betreff": "subject", "objet": "subject",
    "asunto": "subject", "assunto": "subject", "onderwerp": "subject",
    "reply-to": "reply-to", "importance": "importance",
}  # fmt: skip
_HEADER = re.compile(
    r"^\s*\*?(?P<name>[A-Za-z\u00e0\u00e9-]{1,12})\*?\s*:\s*(?P<value>.*)$", re.IGNORECASE
)
_RULE = re.compile(r"^\s*(?:_{10,}|-{10,}|={10,})\s*$")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|wg|tr|rv|enc)\s*:", _F)
_SIG_DELIMITER = re.compile(r"^--\s*$")
_PHONE_FOOTER = re.compile(
    r"^\s*(?:sent\s+from\s+my\b|sent\s+from\s+(?:mail|outlook|yahoo)\b|get\s+outlook\s+for\b"
    r"|sent\s+via\b|sent\s+from\s+the\s+all\s+new)",
    _F,
)
_DISCLAIMER = re.compile(
    r"^\s*(?:\**\s*(?:confidentiality\s+notice|confidential(?:ity)?\s*:|disclaimer|notice\s*:"
    r"|privileged\s+(?:and|&)\s+confidential|important\s*:\s*this)"
    r"|this\s+(?:e-?mail|message|communication|transmission)\b.{0,80}\b(?:confidential|intended|"
    r"privileged|contains?)\b"
    r"|the\s+information\s+(?:contained\s+)?in\s+this\s+(?:e-?mail|message|communication|"
    r"transmission))",
    _F,
)
_CLOSING = re.compile(
    r"^\s*(?:thanks(?:\s+again)?|thank\s+you|thx|ty|regards|best\s+regards|kind\s+regards|"
    r"warm\s+regards|respectfully(?:\s+submitted)?|sincerely|best|cheers|v/r|r/|yours\s+truly|"
    r"take\s+care|stay\s+safe)\s*[,.!\-\u2013\u2014]*\s*(?P<rest>.*)$",
    _F,
)
_SIGNATURE_LINES = 10
_INLINE = re.compile(
    r"\b(?:answers?|responses?|replies|comments?)\s+(?:are\s+)?(?:below\s+)?(?:in[\s-]?line|"
    r"in\s+(?:red|blue|bold|caps))\b|\b(?:answered|replied)\s+(?:below\s+)?in[\s-]?line\b"
    r"|\bsee\s+(?:my\s+)?answers\s+below\b",
    _F,
)


@dataclass(frozen=True)
class Section:
    """One author's words: the message's own text or one forwarded message."""

    text: str
    forwarded: bool
    subject: str | None
    sender_name: str | None
    sender: str | None
    date_text: str | None
    signature_name: str | None
    # The quoted message a reply was written over (not reported; a correction reads it).
    history: Section | None = None


@dataclass
class _Open:
    lines: list[str]
    forwarded: bool
    subject: str | None
    sender_name: str | None
    sender: str | None
    date_text: str | None
    history: _Open | None = None


def split_sections(
    text: str, *, subject: str | None, sender_name: str | None, sender: str | None
) -> list[Section]:
    """Split a body into the sender's section and forwarded sections, dropping quoted history."""
    opened = _split(text.split("\n"), _Open([], False, subject, sender_name, sender, None))
    return [_close(section) for section in opened]


def _split(lines: list[str], first: _Open) -> list[_Open]:
    sections = [first]
    i = 0
    while i < len(lines):
        line = lines[i]
        current = sections[-1]
        if _FORWARD.match(line) or (_ORIGINAL.match(line) and _is_forward(current.subject)):
            headers, i = _read_headers(lines, i + 1)
            sections.append(_forwarded(headers))
            continue
        if _answers_inline(current) and (
            _ORIGINAL.match(line) or _starts_header_block(lines, i) or _attribution_end(lines, i)
        ):
            current.lines += _answered(lines[i:])
            break  # the officer's answers are written into the message below
        if _ORIGINAL.match(line) or (
            _starts_header_block(lines, i) and not _is_forward(current.subject)
        ):
            start = i + 1 if _ORIGINAL.match(line) else i
            headers, i = _read_headers(lines, start)
            _keep_history(current, _forwarded(headers), lines[i:])
            break  # an Outlook reply: the rest is history
        if _starts_header_block(lines, i):
            headers, i = _read_headers(lines, i)
            sections.append(_forwarded(headers))
            continue
        attribution = _attribution_end(lines, i)
        if attribution is not None:
            said = " ".join(line.strip() for line in lines[i:attribution])
            quoted = _next_is_quoted(lines, attribution)
            rest = _quoted_run(lines, attribution) if quoted else lines[attribution:]
            name, address = _attributed(said)
            _keep_history(current, _Open([], True, None, name, address, said), rest)
            if not quoted:
                break  # "On ... wrote:" over unquoted history: the rest is history
            i = attribution
            continue
        if line.lstrip().startswith(">"):
            if current.history is None:  # a quote without an attribution above it
                _keep_quote(current, _quoted_run(lines, i))
        elif not _RULE.match(line):
            current.lines.append(line)
        i += 1
    return sections


def _answers_inline(section: _Open) -> bool:
    """ "Answers below in line.": the reply's report is written into the quoted questions."""
    return any(_INLINE.search(line) for line in section.lines)


def _answered(lines: list[str]) -> list[str]:
    """The questions of a quoted message with the answers written under them, one line each.

    "Date and time of service?" over "> 11/18/2026, 12:25 PM" becomes "Date and time of
    service: 11/18/2026, 12:25 PM"; a choice ("In hand or abode?") gives way to its answer.
    """
    text = [re.sub(r"^(?:\s*>)+\s?", "", line) for line in lines]
    text = [line for line in text if _header(line) is None and not _ORIGINAL.match(line)]
    out: list[str] = []
    pending: str | None = None
    for line in text:
        if pending is not None and line.strip():
            question = pending.strip().rstrip("?").strip()
            out.append(line if " or " in question else f"{question}: {line.strip()}")
            pending = None
        elif line.rstrip().endswith("?") and pending is None:
            pending = line
        elif pending is None:
            out.append(line)
    return out


def _keep_quote(section: _Open, run: list[str]) -> None:
    """Keep a quote the section was written over, its attribution inside it (Apple Mail)."""
    start = next((n for n, line in enumerate(run) if line.strip()), len(run))
    end = _attribution_end(run, start) if start < len(run) else None
    said = " ".join(line.strip() for line in run[start:end]) if end is not None else None
    name, address = _attributed(said) if said else (None, None)
    _keep_history(section, _Open([], True, None, name, address, said), run[end or 0 :])


def _keep_history(section: _Open, quoted: _Open, lines: list[str]) -> None:
    """Keep the first message a section was written over, for a correction to read.

    Only that message's own words: the older history quoted under it is dropped too.
    """
    if section.history is None:
        section.history = _split(lines, quoted)[0]


def _quoted_run(lines: list[str], i: int) -> list[str]:
    """The "> " lines after an attribution, unquoted one level."""
    run: list[str] = []
    for line in lines[i:]:
        stripped = line.lstrip()
        if stripped.startswith(">"):
            run.append(re.sub(r"^>\s?", "", stripped))
        elif line.strip() or run:
            break
    return run


def _is_forward(subject: str | None) -> bool:
    return subject is not None and _FORWARD_SUBJECT.match(subject) is not None


def _header(line: str) -> tuple[str, str] | None:
    """A mail header line ("From: ...", "*Von:* ...", "> Sent: ..."): its English name, value."""
    m = _HEADER.match(line.lstrip("> "))
    if m is None:
        return None
    name = _HEADER_NAMES.get(m.group("name").lower())
    return (name, m.group("value")) if name is not None else None


def _starts_header_block(lines: list[str], i: int) -> bool:
    """An Outlook "From: / Sent: / To: / Subject:" block, as replies and forwards begin.

    An HTML message turned to text may leave a blank line between the header lines.
    """
    first = _header(lines[i])
    if first is None or first[0] != "from":
        return False
    names = set()
    for line in lines[i + 1 : i + 12]:
        if not line.strip():
            continue
        m = _header(line)
        if m is None:
            break
        names.add(m[0])
    return bool(names & {"sent", "date"}) and bool(names & {"to", "subject"})


def _read_headers(lines: list[str], i: int) -> tuple[dict[str, str], int]:
    """Read a forwarded message's header lines (blank lines before and between them allowed)."""
    while i < len(lines) and (not lines[i].strip() or _RULE.match(lines[i])):
        i += 1
    headers: dict[str, str] = {}
    last = ""
    while i < len(lines):
        m = _header(lines[i])
        if m is not None:
            last = m[0]
            headers.setdefault(last, m[1].strip())
        elif last and lines[i][:1] in (" ", "\t") and lines[i].strip():
            headers[last] += " " + lines[i].strip()
        elif not lines[i].strip() and _next_is_header(lines, i):
            pass
        else:
            break
        i += 1
    return headers, i


def _next_is_header(lines: list[str], i: int) -> bool:
    """A blank line inside a header block: the next filled line is a header too."""
    for line in lines[i + 1 : i + 3]:
        if line.strip():
            return _header(line) is not None
    return False


def _forwarded(headers: dict[str, str]) -> _Open:
    name, address = _split_from(headers.get("from", ""))
    date_text = headers.get("date") or headers.get("sent")
    return _Open([], True, headers.get("subject"), name, address, date_text)


def _split_from(value: str) -> tuple[str | None, str | None]:
    """Read "Name <address>", "address" or a bare name from a forwarded From line."""
    m = re.match(r"^(?P<name>.*?)\s*[<\[](?:mailto:)?(?P<addr>[^>\]\s]+@[^>\]\s]+)[>\]]", value)
    if m is not None:
        return m.group("name").strip(" \"'") or None, m.group("addr").lower()
    if "@" in value and " " not in value.strip():
        return None, value.strip().lower()
    return value.strip(" \"'") or None, None


def _attribution_end(lines: list[str], i: int) -> int | None:
    """Return the line after an "On <date>, <name> wrote:" line (wrapped over up to 4 lines).

    A bare "<name> wrote:" counts only over a quote, as clients write it.
    """
    if _NAME_WROTE.match(lines[i]) and _next_is_quoted(lines, i + 1):
        return i + 1
    if not _WROTE_START.match(lines[i]):
        return None
    for span in range(1, 5):
        joined = " ".join(line.strip() for line in lines[i : i + span])
        if _WROTE.match(joined):
            return i + span
    return None


def _attributed(said: str) -> tuple[str | None, str | None]:
    """The writer in "On Fri, Nov 27, 2026 at 6:12 PM Pat Dunleavy <pd@example.com> wrote:"."""
    m = re.search(
        r"(?:,|\b[ap]\.?m\.?)\s+(?P<who>[^\d,<>]*?<[^<>@\s]+@[^<>\s]+>)\s*wrote", said, _F
    )
    return _split_from(m["who"]) if m else (None, None)


def _next_is_quoted(lines: list[str], i: int) -> bool:
    for line in lines[i:]:
        if line.strip():
            return line.lstrip().startswith(">")
    return True


def _close(section: _Open) -> Section:
    lines, name = _cut_signature(section.lines, section.sender_name)
    text = "\n".join(lines).strip("\n")
    history = _close(section.history) if section.history is not None else None
    return Section(
        text, section.forwarded, section.subject, section.sender_name, section.sender,
        section.date_text, name, history,
    )  # fmt: skip


def _cut_signature(lines: list[str], sender_name: str | None) -> tuple[list[str], str | None]:
    """Drop the signature, phone footer and disclaimer; return the lines and the signer's name."""
    end = len(lines)
    region: list[str] = []
    for i, line in enumerate(lines):
        if _SIG_DELIMITER.match(line) or _PHONE_FOOTER.match(line) or _DISCLAIMER.match(line):
            end = i
            if _SIG_DELIMITER.match(line):
                region = lines[i + 1 : i + 1 + _SIGNATURE_LINES]
            break
    body = lines[:end]
    closing = _closing_line(body)
    if closing is not None:
        after = body[closing + 1 :]
        name = _first_name_line(after) or _first_name_line(region)
        return body[:closing], name
    signer = _signer_line(body, sender_name)
    if signer is not None:
        return body[:signer], signature_name(body[signer])
    return body, _first_name_line(region)


def _closing_line(body: list[str]) -> int | None:
    """Find "Thanks," / "Respectfully," near the end, with no docket after it."""
    filled = [i for i, line in enumerate(body) if line.strip()]
    for i in reversed(filled[-_SIGNATURE_LINES:]):
        m = _CLOSING.match(body[i])
        if m is None:
            continue
        rest = m.group("rest").strip()
        if rest and signature_name(rest) is None and not re.fullmatch(r"[A-Z][a-z]+", rest):
            continue
        if any(find_dockets(line) for line in body[i + 1 :]):
            return None
        return i
    return None


def _signer_line(body: list[str], sender_name: str | None) -> int | None:
    """Find a signature without a closing: a name over a title line, or the sender's name."""
    filled = [i for i, line in enumerate(body) if line.strip()]
    tail = filled[-6:]
    for n, i in enumerate(tail):
        name = signature_name(body[i])
        if name is None:
            continue
        below = body[tail[n + 1]] if n + 1 < len(tail) else ""
        says_title = is_title_line(below) or is_title_line(body[i].split(",", 1)[-1])
        is_sender = sender_name is not None and same_person(name, sender_name)
        if says_title or (is_sender and n == len(tail) - 1):
            if not any(find_dockets(line) for line in body[i + 1 :]):
                return i
    return None


def _first_name_line(lines: list[str]) -> str | None:
    for line in lines[:_SIGNATURE_LINES]:
        if line.strip():
            name = signature_name(line)
            if name is not None:
                return name
    return None

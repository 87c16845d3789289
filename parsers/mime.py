"""Reading a raw message: decoded headers, the text a person would read, the attachments.

Mail from the field comes in every shape: HTML-only Outlook, quoted-printable, base64, Windows
code pages labelled ISO-8859-1, charsets nobody has heard of. Nothing here raises on any of it;
a reading that had to guess says so in `problems`.
"""

from __future__ import annotations

import codecs
import email.charset
import re
from collections.abc import Callable
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.header import Header, decode_header
from email.message import Message
from typing import TypeVar

from parsers.docket import find_dockets
from parsers.htmltext import html_to_text

FORWARD_MARKER = "---------- Forwarded message ---------"
MAX_DEPTH = 30
# Codecs that bytes.decode accepts but no mail body is written in; reading with them would only
# turn bytes into noise (or spend time on crafted input).
_REFUSED = frozenset({"punycode", "idna", "raw-unicode-escape", "unicode-escape", "undefined"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200d\u2060\ufeff]")
_T = TypeVar("_T")


@dataclass(frozen=True)
class Attachment:
    """A part kept as it came (a scanned return of service, a photo): not read."""

    filename: str | None
    content_type: str
    size: int

    def to_json(self) -> dict[str, object]:
        return {"filename": self.filename, "content_type": self.content_type, "size": self.size}


@dataclass(frozen=True)
class Body:
    """What was read from a message's parts."""

    text: str
    attachments: tuple[Attachment, ...]
    problems: tuple[str, ...]


def header_text(msg: Message, name: str) -> str | None:
    """Return one header decoded to text (RFC 2047 words, raw 8-bit), or None if absent."""
    try:
        value = msg.get(name)
    except (LookupError, ValueError, TypeError, AttributeError, UnicodeError):
        return None
    if value is None:
        return None
    return decode_header_value(value)


def decode_header_value(value: str | Header) -> str:
    """Decode encoded words and raw 8-bit bytes in a header value; unfold its lines."""
    if isinstance(value, Header):
        # compat32 hands raw 8-bit headers over as a Header holding "unknown-8bit" bytes.
        value = _joined(_encoded_words(value), guess=True)
    text = _joined(_encoded_words(value), guess=False)
    return " ".join(_CONTROL.sub("", text).split())


def _encoded_words(value: str | Header) -> list[tuple[str | bytes, str | None]]:
    """Split a header into RFC 2047 encoded words and plain runs; a broken one stays as is."""
    try:
        return list(decode_header(value))
    except (HeaderParseError, ValueError, LookupError, TypeError):
        return [(str(value), None)]


def _joined(chunks: list[tuple[str | bytes, str | None]], *, guess: bool) -> str:
    return "".join(
        chunk if isinstance(chunk, str) else decode_bytes(chunk, None if guess else charset)[0]
        for chunk, charset in chunks
    )


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, str | None]:
    """Decode text bytes by their declared charset, falling back without raising.

    Returns the text and a problem when the reading is a guess. ISO-8859-1 is read as
    windows-1252, as browsers do, because that is what mail clients really send under that name.
    """
    if data.isascii():
        return data.decode("ascii"), None
    label = (charset or "").strip().lower()
    codec = _codec(label)
    if codec in (None, "ascii"):
        return _guess(data, label)
    if codec in ("iso8859-1", "cp1252"):
        return _first_that_reads(data, ("cp1252", "latin-1")), None
    try:
        return data.decode(codec), None
    except (UnicodeError, LookupError, ValueError):
        text, guess = _guess(data, label)
        return text, guess or f"text is not valid {label}; read as utf-8"


def read_body(msg: Message) -> Body:
    """Read every text part a person would see, in order; list the rest as attachments."""
    reader = _BodyReader()
    reader.walk(msg, 0)
    text = "\n\n".join(piece for piece in reader.texts if piece.strip())
    return Body(text, tuple(reader.attachments), tuple(dict.fromkeys(reader.problems)))


class _BodyReader:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.attachments: list[Attachment] = []
        self.problems: list[str] = []

    def walk(self, part: Message, depth: int) -> None:
        if depth > MAX_DEPTH:
            self.problems.append(f"parts nested deeper than {MAX_DEPTH} levels were not read")
            return
        ctype = _safe(part.get_content_type, "text/plain")
        if ctype == "message/rfc822" and part.is_multipart():
            for inner in _children(part):
                self.texts.append(_forwarded_header(inner))
                self.walk(inner, depth + 1)
            return
        if part.is_multipart():
            children = _children(part)
            if ctype == "multipart/alternative":
                children = _preferred_alternative(children)
            for child in children:
                self.walk(child, depth + 1)
            return
        self._leaf(part, ctype)

    def _leaf(self, part: Message, ctype: str) -> None:
        disposition = _safe(part.get_content_disposition, None)
        filename = _safe(part.get_filename, None)
        data = _payload_bytes(part)
        if ctype not in ("text/plain", "text/html") or disposition == "attachment" or filename:
            name = decode_header_value(filename) if filename else None
            self.attachments.append(Attachment(name, ctype, len(data)))
            return
        text = self._decoded(part, data)
        if ctype == "text/html":
            text = html_to_text(text)
        elif _param(part, "format") == "flowed":
            text = _unflow(text, delsp=_param(part, "delsp") == "yes")
        self.texts.append(text)

    def _decoded(self, part: Message, data: bytes) -> str:
        charset = _safe(part.get_content_charset, None)
        text, problem = decode_bytes(data, charset)
        if problem:
            self.problems.append(problem)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ")
        return _CONTROL.sub("", text)


def _children(part: Message) -> list[Message]:
    try:
        payload = part.get_payload()
    except (LookupError, ValueError, TypeError, AttributeError):
        return []
    if not isinstance(payload, list):
        return []
    return [child for child in payload if isinstance(child, Message)]


def _payload_bytes(part: Message) -> bytes:
    """The part's body with its transfer encoding (base64, quoted-printable) undone."""
    try:
        payload = part.get_payload(decode=True)
    except (LookupError, ValueError, TypeError, AttributeError):
        return b""
    return payload if isinstance(payload, bytes) else b""


def _preferred_alternative(children: list[Message]) -> list[Message]:
    """Pick one alternative: plain text that says something, else HTML, else the richest."""
    by_type: dict[str, Message] = {}
    for child in children:
        ctype = _safe(child.get_content_type, "text/plain")
        by_type.setdefault(ctype, child)
    plain = by_type.get("text/plain")
    html = by_type.get("text/html")
    if plain is not None and _payload_bytes(plain).strip():
        if html is not None and _html_says_more(_payload_bytes(plain), _payload_bytes(html)):
            return [html]
        return [plain]
    if html is not None:
        return [html]
    return children[-1:]


def _html_says_more(plain: bytes, html: bytes) -> bool:
    """The HTML twin holds the report: the plain part is a stub, or it lost a table's cells.

    "Please view this message in HTML" and a table pasted into webmail (its plain twin joins
    the cells with single spaces) are read from the HTML.
    """
    plain_words = plain.split()
    html_text = html_to_text(html.decode("utf-8", "replace"))
    if len(html_text.split()) > 3 * len(plain_words) + 20:
        return True
    if find_dockets(html_text) and not find_dockets(plain.decode("utf-8", "replace")):
        return True
    rows = [line for line in html_text.split("\n") if line.count("\t") >= 2]
    plain_rows = [line for line in plain.split(b"\n") if line.count(b"\t") or line.count(b"|") >= 2]
    return len(rows) >= 2 and not plain_rows


def _forwarded_header(inner: Message) -> str:
    """Write an attached message's headers the way a client writes an inline forward."""
    lines = [FORWARD_MARKER]
    for name in ("From", "Date", "Subject", "To"):
        value = header_text(inner, name)
        if value:
            lines.append(f"{name}: {value}")
    return "\n".join(lines) + "\n"


def _unflow(text: str, *, delsp: bool) -> str:
    """Join RFC 3676 format=flowed lines: a line ending in a space goes on in the next one."""
    out: list[str] = []
    pending = ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing (RFC 3676 §4.4)
        if line.endswith(" ") and line != "-- ":
            pending += line[:-1] if delsp else line
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return "\n".join(out)


def _param(part: Message, name: str) -> str:
    value = _safe(lambda: part.get_param(name), None)
    return value.lower() if isinstance(value, str) else ""


def _codec(label: str) -> str | None:
    """Return Python's name for a charset label, or None when unknown or refused."""
    if not label or label in ("unknown-8bit", "x-unknown"):
        return None
    alias = email.charset.ALIASES.get(label, label)
    try:
        name = codecs.lookup(alias).name
    except (LookupError, ValueError, TypeError):
        return None
    return None if name in _REFUSED else name


def _guess(data: bytes, label: str) -> tuple[str, str | None]:
    """Read bytes of unknown or wrong charset: UTF-8 if it fits, else windows-1252."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = _first_that_reads(data, ("cp1252", "latin-1"))
    named = f"charset {label!r}" if label else "no charset"
    return text, f"text with {named} read as windows-1252"


def _first_that_reads(data: bytes, codecs_to_try: tuple[str, ...]) -> str:
    for name in codecs_to_try:
        try:
            return data.decode(name)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", errors="replace")


def _safe(call: Callable[[], _T], default: _T) -> _T:
    """Call a stdlib accessor that can raise on malformed input; return default if it does."""
    try:
        return call()
    except (LookupError, ValueError, TypeError, AttributeError, UnicodeError, HeaderParseError):
        return default

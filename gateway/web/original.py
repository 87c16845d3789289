"""The original email as staff see it: decoded headers, the text, the attachments to download.

The text is what `parsers.mime.read_body` reads (an HTML body converted to text); the page
shows it escaped, never as HTML.
"""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import Message

from parsers.mime import Attachment, decode_header_value, header_text, read_body

SHOWN_HEADERS = ("From", "To", "Cc", "Date", "Subject", "Message-ID")
_UNSAFE_FILENAME = re.compile(r"[^\w.\- ]+")


@dataclass(frozen=True)
class Original:
    headers: list[tuple[str, str]]
    text: str
    attachments: tuple[Attachment, ...]


@dataclass(frozen=True)
class AttachmentFile:
    filename: str
    content_type: str
    data: bytes


def read_original(raw: bytes) -> Original:
    """Return the headers, text and attachment list of a raw message."""
    msg = email.message_from_bytes(raw)
    headers = [(name, value) for name in SHOWN_HEADERS if (value := header_text(msg, name))]
    body = read_body(msg)
    return Original(headers, body.text, body.attachments)


def attachment_file(raw: bytes, number: int) -> AttachmentFile | None:
    """Return the bytes of the message's `number`th attachment (1-based), as listed."""
    found = [part for part in email.message_from_bytes(raw).walk() if _is_attachment(part)]
    if not 1 <= number <= len(found):
        return None
    part = found[number - 1]
    data = part.get_payload(decode=True)
    filename = part.get_filename()
    name = decode_header_value(filename) if filename else f"attachment-{number}"
    return AttachmentFile(
        filename=_UNSAFE_FILENAME.sub("_", name)[:100] or f"attachment-{number}",
        content_type=part.get_content_type(),
        data=data if isinstance(data, bytes) else b"",
    )


def _is_attachment(part: Message) -> bool:
    """The same test `read_body` uses to list a part as an attachment rather than text."""
    if part.is_multipart():
        return False
    ctype = part.get_content_type()
    return (
        ctype not in ("text/plain", "text/html")
        or part.get_content_disposition() == "attachment"
        or bool(part.get_filename())
    )

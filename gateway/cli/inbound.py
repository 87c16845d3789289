"""`por-gateway parse-email` and `por-gateway inbound list`."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gateway.config import Config
from gateway.runtime import with_registry
from parsers.email import message_identity, parse_email
from registry.models import Channel, InboundMessage, InboundStatus

_STATUS_WORDS = {
    InboundStatus.RECEIVED: "received",
    InboundStatus.PARSED: "parsed",
    InboundStatus.NEEDS_REVIEW: "needs review",
    InboundStatus.IGNORED: "ignored",
    InboundStatus.FAILED: "failed",
}


def register(commands: Any) -> None:
    """Add the intake commands to the command line."""
    parse = commands.add_parser(
        "parse-email", help="read an email file into service reports and print them as JSON"
    )
    parse.add_argument("file", help="the message (RFC 5322, e.g. a .eml file), or - for stdin")
    parse.set_defaults(run=_parse_email)

    inbound = commands.add_parser("inbound", help="messages received by the gateway")
    actions = inbound.add_subparsers(dest="inbound_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list stored inbound messages, newest first")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.add_argument("--channel", choices=[c.value for c in Channel], help="only this channel")
    listing.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    listing.set_defaults(run=_run_inbound_list)


def _run_inbound_list(config: Config, args: argparse.Namespace) -> int:
    return with_registry(config, lambda: _inbound_list(args))


def _parse_email(config: Config, args: argparse.Namespace) -> int:
    if args.file == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            raw = Path(args.file).read_bytes()
        except OSError as exc:
            print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
    raw = _without_envelope(raw)
    if not _looks_like_a_message(raw):
        print(f"{args.file}: not an email message (no header lines)", file=sys.stderr)
        return 2
    result = parse_email(raw, received_at=datetime.now(UTC), tz=config.zone)
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return 0


def _without_envelope(raw: bytes) -> bytes:
    """Drop leading blank lines and an mbox "From " line, as a saved or exported message has.

    The mailbox server takes such a message as it is (Python's parser skips a Unix From_
    line); the file command reads it the same way instead of refusing it.
    """
    raw = raw.lstrip(b"\r\n")
    if raw.startswith(b"From "):
        raw = raw.split(b"\n", 1)[1] if b"\n" in raw else b""
    return raw.lstrip(b"\r\n")


def _looks_like_a_message(raw: bytes) -> bool:
    """Tell whether the bytes start with at least one RFC 5322 header field."""
    first = raw.lstrip(b"\r\n").split(b"\n", 1)[0]
    name, colon, _ = first.partition(b":")
    return bool(colon) and bool(name) and all(33 <= c <= 126 for c in name)


async def _inbound_list(args: argparse.Namespace) -> int:
    query = InboundMessage.all().order_by("-id").limit(max(args.limit, 1))
    if args.channel:
        query = query.filter(channel=Channel(args.channel))
    rows = await query
    for row in rows:
        record = _describe(row)
        if args.json:
            print(json.dumps(record))
        else:
            print(
                f"{record['reference']}  {record['received_at'][:19]}  {record['channel']:<8}  "
                f"{record['status']:<12}  {record['sender'] or '-'}  {record['message_id'] or ''}"
            )
    if not rows and not args.json:
        print("no inbound messages")
    return 0


def _describe(row: InboundMessage) -> dict[str, Any]:
    message_id = message_identity(bytes(row.payload))[0] if row.channel is Channel.EMAIL else None
    return {
        "reference": row.reference,
        "channel": row.channel.value,
        "sender": row.sender,
        "message_id": message_id,
        "received_at": row.received_at.astimezone(UTC).isoformat(),
        "status": _STATUS_WORDS[row.status],
        "note": row.status_note,
    }

"""`por-gateway parse-email` and `por-gateway inbound list`."""

from __future__ import annotations

import asyncio
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from gateway.cli import main
from registry.db import close_registry, open_registry
from registry.inbound import keep_email
from registry.intake import read_email

EMAILS = Path(__file__).parent / "data" / "emails"
REPORT_KEYS = {
    "docket_number",
    "activity",
    "method",
    "occurred_at",
    "police_assistance",
    "reason_code",
    "reason",
    "transferred_to",
    "note",
    "officer_name",
    "respondent_first_name",
    "respondent_last_name",
    "problems",
    "evidence",
}


def test_parse_email_prints_exactly_the_documented_keys(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["parse-email", str(EMAILS / "batch-of-three.eml")]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"message_id", "from", "text", "reports", "problems"}
    assert len(result["reports"]) == 3
    assert all(set(report) == REPORT_KEYS for report in result["reports"])
    assert result["reports"][2]["occurred_at"] == "2026-11-03T14:05:00-05:00"


def test_parse_email_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = (EMAILS / "plain-key-value.eml").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert main(["parse-email", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["from"] == "kbrandt.marshal@example.com"


def test_parse_email_exits_2_on_something_that_is_not_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    garbage = tmp_path / "photo.jpg"
    garbage.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    assert main(["parse-email", str(garbage)]) == 2
    assert "not an email message" in capsys.readouterr().err
    assert main(["parse-email", str(tmp_path / "missing.eml")]) == 2


@pytest.mark.parametrize(
    "envelope",
    [b"From kbrandt.marshal@example.com Mon Oct 19 20:42:00 2026\n", b"\n\n", b"\r\n"],
)
def test_parse_email_reads_a_message_saved_with_an_mbox_line_or_blank_lines(
    envelope: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = tmp_path / "saved.mbox"
    saved.write_bytes(envelope + (EMAILS / "plain-key-value.eml").read_bytes())
    assert main(["parse-email", str(saved)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["from"] == "kbrandt.marshal@example.com"
    assert [r["docket_number"] for r in result["reports"]] == ["HHD-FA-26-6023417-S"]


async def test_inbound_list_shows_reference_sender_message_id_and_status(
    registry_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POR_DATABASE_URL", registry_url)
    await open_registry(registry_url, migrate=False)
    for name in ("plain-key-value.eml", "out-of-office-ignore.eml"):
        stored = await keep_email(
            (EMAILS / name).read_bytes(),
            mail_from="kbrandt.marshal@example.com",
            rcpt_tos=["registry@por.example.gov"],
            peer="127.0.0.1:1",
            received_at=datetime(2026, 10, 19, 20, 43, tzinfo=UTC),
        )
        await read_email(stored.inbound.id, tz=ZoneInfo("America/New_York"))
    await close_registry()
    assert await asyncio.to_thread(main, ["inbound", "list", "--json", "--channel", "email"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["reference"], r["status"]) for r in rows] == [
        ("R-0000002", "ignored"),
        ("R-0000001", "needs review"),
    ]
    assert rows[1]["message_id"] == "<20261019204211.4471@mail.example.com>"
    assert rows[1]["sender"] == "kbrandt.marshal@example.com"
    assert await asyncio.to_thread(main, ["inbound", "list"]) == 0
    assert "R-0000001" in capsys.readouterr().out

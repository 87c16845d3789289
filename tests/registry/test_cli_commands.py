"""The database commands of `por-gateway` against each configured database."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest

from gateway.cli import main
from registry.audit import record_event
from registry.db import close_registry, open_registry
from registry.models import AuditEvent
from tests.factories import T0, make_case

DAYBOOK = Path(__file__).parent.parent / "data" / "daybook"


@pytest.fixture
def env(registry_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("POR_DATABASE_URL", registry_url)
    monkeypatch.setenv("POR_SECURITY_AUDIT_CHECKPOINT_FILE", str(tmp_path / "checkpoints.jsonl"))
    return registry_url


def test_db_upgrade_reports_an_up_to_date_schema(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "database is up to date" in capsys.readouterr().out


def test_daybook_import_prints_counts_and_each_bad_line(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["daybook", "import", str(DAYBOOK / "mixed.csv")]) == 1
    captured = capsys.readouterr()
    assert '"created": 2' in captured.out
    assert f"{DAYBOOK / 'mixed.csv'}:10: firearms: 'maybe' is not yes or no" in captured.err
    assert main(["daybook", "import", str(DAYBOOK / "good.csv")]) == 0
    assert '"unchanged": 1' in capsys.readouterr().out


async def test_audit_verify_exits_1_when_an_event_was_changed(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await open_registry(env, migrate=False)
    for i in range(2):
        await record_event(actor="staff", action="test", object_type="x", object_id=str(i), at=T0)
    await close_registry()
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 0
    assert "2 audit events read, 0 problems" in capsys.readouterr().out
    await open_registry(env, migrate=False)
    await AuditEvent.filter(object_id="0").update(action="edited")
    await close_registry()
    assert await asyncio.to_thread(main, ["audit", "verify"]) == 1
    assert "this event was changed after it was written" in capsys.readouterr().out


async def test_report_hearing_day_prints_each_case_with_its_last_entry_as_csv(
    env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await open_registry(env, migrate=False)
    await make_case("HHD-FA-26-6000020-S", hearing=date(2026, 12, 1))
    await close_registry()
    args = ["report", "hearing-day", "--court", "hhd", "--date", "2026-12-01"]
    assert await asyncio.to_thread(main, args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "docket,respondent,hearing_date,state,last_entry"
    assert lines[1] == "HHD-FA-26-6000020-S,Robert Jones,2026-12-01,no activity,nothing recorded"
    assert await asyncio.to_thread(main, ["report", "annual", "--year", "2026"]) == 0
    annual = capsys.readouterr().out.splitlines()
    assert annual[0].startswith("court,month,orders_entered")
    assert annual[1].startswith("HHD,10,1,")  # the case was created on Oct 30

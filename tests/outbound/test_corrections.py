"""A correction of a service fans out as a correction; one receiver's problem holds only its own."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from outbound.fax.page import CORRECTED_TITLE, render_page
from outbound.outbox import replay_delivery
from outbound.render import Templates
from outbound.update import check_update
from registry.daybook import COLUMNS, import_daybook
from registry.entries import EntryDraft, record_entry
from registry.models import (
    Activity,
    Adapter,
    Agency,
    AuditEvent,
    Channel,
    Court,
    Delivery,
    DeliveryStatus,
    Entry,
    Method,
    Town,
)
from registry.policy import Policy
from tests.factories import T0, make_user
from tests.outbound.conftest import CALLBACK, DATA, make_worker, record_service
from tests.outbound.test_real_names import read

pytestmark = pytest.mark.usefixtures("registry")
KEY = "5d1c0b2a-3e4f-4a6b-8c7d-9e0f1a2b3c4d"


async def correct(entry: Entry, **changes: object) -> Entry:
    officer = await make_user("marshal.roe", full_name="Richard Roe")
    values: dict[str, object] = {
        "docket_number": "HHD-FA-26-6012345-S",
        "activity": Activity.SERVICE,
        "occurred_at": T0 - timedelta(minutes=10),
        "method": Method.ABODE,
        "police_assistance": True,
    } | changes
    return await record_entry(
        EntryDraft(**values),  # type: ignore[arg-type]
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0 + timedelta(minutes=5),
        supersedes_id=entry.id,
    )


async def by_receiver(entry: Entry) -> dict[str, Delivery]:
    rows = await Delivery.filter(entry_id=entry.id).order_by("id")
    return {row.destination: row for row in rows}


@pytest.mark.parametrize("adapter", ["collect", "ncic"])
async def test_a_correction_modifies_the_earlier_record_with_a_key_of_its_own(adapter: str) -> None:
    served = await record_service()
    corrected = await correct(served)
    before, after = await by_receiver(served), await by_receiver(corrected)
    assert set(before) == set(after)
    destination = "NCIC" if adapter == "ncic" else "state protection order file"
    row = after[destination]
    assert row.idempotency_key != before[destination].idempotency_key
    assert row.payload["corrects"]["key"] == str(before[destination].idempotency_key)
    message = Templates().message(adapter, check_update(row.payload, KEY, adapter))
    golden = (DATA / f"{adapter}-correction.txt").read_text(encoding="ascii")
    assert message + "\n" == golden.replace("{earlier}", str(before[destination].idempotency_key))


async def test_a_corrected_fax_is_marked_corrected_and_names_what_changed() -> None:
    served = await record_service()
    corrected = await correct(served)
    row = (await by_receiver(corrected))["Hartford Police Department"]
    text, pdf = render_page(
        Templates(),
        check_update(row.payload, KEY, "fax"),
        agency_name="Hartford Police Department",
        callback=CALLBACK,
    )
    assert text + "\n" == (DATA / "fax-correction.txt").read_text(encoding="utf-8")
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().startswith(CORRECTED_TITLE)


async def test_a_correction_of_an_attempt_into_a_service_is_a_first_service() -> None:
    served = await record_service()
    officer = await make_user("marshal.attempt", full_name="Ann Attempt")
    attempt = await record_entry(
        EntryDraft(
            docket_number="HHD-FA-26-6012345-S",
            activity=Activity.ATTEMPT,
            occurred_at=T0 - timedelta(hours=1),
            reason="respondent not at address",
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0,
    )
    corrected = await correct(attempt)
    assert served.id != corrected.id
    assert all("corrects" not in row.payload for row in (await by_receiver(corrected)).values())


async def test_a_receiver_that_cannot_take_the_case_holds_only_its_own_delivery(
    tmp_path: Path,
) -> None:
    await Court.filter(code="HHD").update(ori="HARTFORD")  # not CT + 7
    entry = await record_service()  # recorded all the same: the officer is told "Recorded"
    rows = await by_receiver(entry)
    held = {name for name, row in rows.items() if row.status is DeliveryStatus.DEAD}
    assert held == {"state protection order file", "NCIC"}
    assert "court ORI 'HARTFORD' is not CT + 7" in str(rows["NCIC"].last_error)
    event = await AuditEvent.get(action="entry.recorded")
    assert set(event.details["held"]) == {"collect:state protection order file", "ncic:NCIC"}

    worker = make_worker(tmp_path)
    assert await worker.drain_once(now=T0) == 2  # the faxes go
    assert {r.status for r in (await by_receiver(entry)).values() if r.adapter is Adapter.FAX} == {
        DeliveryStatus.SENT
    }

    # Staff fix the court's ORI and press Retry: the fixed value is what goes out.
    await Court.filter(code="HHD").update(ori="CTHHDSUPJ")
    for name in held:
        assert await replay_delivery(rows[name].id, actor="staff", now=T0) is not None
    assert await worker.drain_once(now=T0) == 2
    for name in held:
        sent = await Delivery.get(id=rows[name].id)
        assert sent.status is DeliveryStatus.SENT
        assert ".CTHHDSUPJ." in read(Path(str(sent.receipt)))


async def test_a_bad_fax_number_holds_that_agencys_fax_alone() -> None:
    hartford = await Town.get(name="Hartford")
    await Agency.filter(id=hartford.agency_id).update(fax_number="860-555")  # type: ignore[attr-defined]
    rows = await by_receiver(await record_service())
    assert rows["Hartford Police Department"].status is DeliveryStatus.DEAD
    assert "fax number '860-555' is not 10 digits" in str(
        rows["Hartford Police Department"].last_error
    )
    others = [row.status for name, row in rows.items() if name != "Hartford Police Department"]
    assert others == [DeliveryStatus.PENDING] * 3


async def test_the_daybook_imports_a_case_a_receiver_cannot_take_and_warns_by_field() -> None:
    await Court.filter(code="HHD").update(ori="")
    hartford = await Town.get(name="Hartford")
    await Agency.filter(id=hartford.agency_id).update(fax_number="12")  # type: ignore[attr-defined]
    header = ",".join(COLUMNS) + "\n"
    row = "HHD,HHD-FA-26-6012345-S,restraining,Hubert Blaine,Wolfeschlegelsteinhausenbergerdorff,"
    row += "2026-11-10,no,Andover,Hartford,\n"
    report = await import_daybook(header + row, "csv", now=T0, actor="clerk")
    assert (report.created, report.errors) == (1, [])
    warnings = {w.field: w.message for w in report.warnings}
    assert set(warnings) == {"court", "respondent_last_name", "protected_home_town"}
    assert "court ORI ''" in warnings["court"]
    assert "'WOLFESCHLEGELSTEINHAUSENBER, H'" in warnings["respondent_last_name"]
    assert "fax number '12' is not 10 digits" in warnings["protected_home_town"]
    assert report.as_dict()["warnings"][0]["docket"] == "HHD-FA-26-6012345-S"
    event = await AuditEvent.get(action="case.created")
    assert set(event.details["warnings"]) == set(warnings)

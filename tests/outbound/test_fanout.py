"""A service entry owes the right deliveries; each message is exactly what its receiver reads."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from outbound.fax.page import TITLE, render_page
from outbound.render import Templates
from outbound.transport import TransportError
from outbound.update import check_update
from registry.models import Adapter, Delivery, DeliveryStatus
from tests.factories import T0
from tests.outbound.conftest import CALLBACK, DATA, make_worker, record_service

pytestmark = pytest.mark.usefixtures("registry")
KEY = "0b7e6a3c-2f1d-4c55-9a8e-1d2c3b4a5f60"


async def payloads() -> dict[str, dict[str, object]]:
    entry = await record_service()
    rows = await Delivery.filter(entry_id=entry.id).order_by("id")
    return {row.destination: row.payload for row in rows}


async def test_three_towns_covered_by_two_agencies_owe_two_faxes_a_switch_and_an_ncic_update() -> (
    None
):
    entry = await record_service()
    rows = await Delivery.filter(entry_id=entry.id).order_by("id")
    assert sorted((row.adapter, row.destination) for row in rows) == [
        (Adapter.COLLECT, "state protection order file"),
        (Adapter.FAX, "Connecticut State Police Troop K"),
        (Adapter.FAX, "Hartford Police Department"),
        (Adapter.NCIC, "NCIC"),
    ]
    assert len({row.idempotency_key for row in rows}) == 4


@pytest.mark.parametrize("adapter", ["collect", "ncic"])
async def test_switch_messages_match_the_formats_exactly(adapter: str) -> None:
    payload = (await payloads())["NCIC"]
    message = Templates().message(adapter, check_update(payload, KEY, adapter))
    assert message + "\n" == (DATA / f"{adapter}.txt").read_text(encoding="ascii")


async def test_the_ncic_message_names_the_record_by_nic_when_it_is_known() -> None:
    payload = (await payloads())["NCIC"] | {"nic": "P123456789"}
    message = Templates().message("ncic", check_update(payload, KEY, "ncic"))
    assert ".OCA/HHD-FA-26-6012345-S.NIC/P123456789.MIS/SERVED " in message


async def test_the_fax_page_carries_the_case_and_never_the_protected_person(tmp_path: Path) -> None:
    payload = (await payloads())["Connecticut State Police Troop K"]
    # Even if someone adds them to the update, the page prints only the permitted fields.
    payload |= {"protected_name": "Mary Smith", "protected_address": "12 Elm Street, Bolton"}
    text, pdf = render_page(
        Templates(),
        check_update(payload, KEY, "fax"),
        agency_name="Connecticut State Police Troop K",
        callback=CALLBACK,
    )
    assert text + "\n" == (DATA / "fax.txt").read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[0]
    extracted = page.extract_text()
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)  # letter
    assert TITLE in extracted
    expected_text = ("HHD-FA-26-6012345-S", "Jones, Robert", "JONES, ROBERT", "Jane Doe", "HAND")
    for expected in (*expected_text, "Hartford", "11/10/2026", "09:30 EST", "860-555-0199"):
        assert expected in extracted
    for secret in ("Mary", "Smith", "Elm Street", "Bolton", "West Hartford"):
        assert secret not in extracted


async def test_a_field_that_breaks_its_rule_fails_only_the_receivers_that_carry_it() -> None:
    sent = await payloads()
    payload = sent["NCIC"] | {"court_ori": "HARTFORD", "nic": "12345"}
    for adapter in ("collect", "ncic"):
        with pytest.raises(TransportError) as caught:
            check_update(payload, KEY, adapter)
        assert caught.value.permanent
        assert "court ORI 'HARTFORD'" in str(caught.value)
    assert "NIC '12345'" in str(caught.value)  # only NCIC carries the record number
    fax = sent["Hartford Police Department"] | {"court_ori": "HARTFORD"}
    assert check_update(fax, KEY, "fax").court_ori == "HARTFORD"


async def test_the_worker_spools_every_delivery_once_with_a_sidecar(tmp_path: Path) -> None:
    entry = await record_service()
    worker = make_worker(tmp_path)
    assert await worker.drain_once(now=T0) == 4
    assert await worker.drain_once(now=T0) == 0
    rows = await Delivery.filter(entry_id=entry.id)
    assert {row.status for row in rows} == {DeliveryStatus.SENT}
    for row in rows:
        written = Path(str(row.receipt))
        assert written.parent == tmp_path / row.adapter.value / "20261102"
        assert written.name.startswith(str(row.idempotency_key))
        sidecar = json.loads(written.with_suffix(".json").read_text())
        assert sidecar["key"] == str(row.idempotency_key)
    assert sorted(row.adapter.value for row in rows if str(row.receipt).endswith(".pdf")) == [
        "fax",
        "fax",
    ]

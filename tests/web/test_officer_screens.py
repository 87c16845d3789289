"""The officer's path: find a case, fill a form, double-check, submit, see the receipt."""

from __future__ import annotations

import html

from registry.models import AuditEvent, Entry, Role
from tests.factories import make_case
from tests.web.conftest import Site, make_account

DOCKET = "HHD-FA-26-6012345-S"
# The site's clock stands at Nov 2, 2026 10:00 AM EST.
HAND_SERVICE = {"method": "hand", "date": "2026-11-02", "time": "09:15", "police": "no"}


async def officer_on_a_case(site: Site, **case_fields: str) -> None:
    await make_case(DOCKET, **case_fields)
    await make_account()
    await site.log_in("marshal.doe")


async def test_a_docket_in_lower_case_without_dashes_finds_the_case(site: Site) -> None:
    await officer_on_a_case(site)
    response = await site.get("/?docket=hhdfa266012345s")
    assert str(response.url).endswith(f"/cases/{DOCKET}")
    page = await response.text()
    assert "Hartford" in page and "Robert Jones" in page and "Nov 10, 2026" in page


async def test_an_unknown_docket_gets_the_registry_message(site: Site) -> None:
    await officer_on_a_case(site)
    response = await site.get("/?docket=HHD-FA-23-6012345-S")
    assert response.status == 404
    assert (
        html.escape(
            "No case HHD-FA-23-6012345-S in the registry — check the number, "
            "or the clerk may not have entered it yet"
        )
        in await response.text()
    )


async def test_a_hand_service_is_double_checked_then_recorded_with_its_deliveries(
    site: Site,
) -> None:
    await officer_on_a_case(site)
    form = f"/cases/{DOCKET}/service"
    check = await site.post(form, HAND_SERVICE)
    page = await check.text()
    assert "Check before recording" in page and "Nov 2, 2026 9:15 AM EST" in page
    assert await Entry.all().count() == 0
    edit = await site.post(form, {**HAND_SERVICE, "edit": "1"}, form_page=form)
    assert 'value="09:15"' in await edit.text()
    receipt = await site.post(f"{form}/submit", HAND_SERVICE, form_page=form)
    assert receipt.status == 200 and "/entries/" in str(receipt.url)
    page = await receipt.text()
    entry = await Entry.get()
    assert entry.reference in page and "Nov 2, 2026 10:00 AM EST" in page
    for destination in ("Hartford Police Department", "state protection order file", "NCIC"):
        assert destination in page
    assert "pending" in page and "Marked late" not in page
    assert await AuditEvent.filter(action="entry.recorded", actor="marshal.doe").exists()


async def test_a_future_service_time_is_refused_next_to_the_field(site: Site) -> None:
    await officer_on_a_case(site)
    tomorrow = {**HAND_SERVICE, "date": "2026-11-03", "time": "14:40"}
    response = await site.post(
        f"/cases/{DOCKET}/service/submit", tomorrow, form_page=f"/cases/{DOCKET}/service"
    )
    assert response.status == 400
    page = await response.text()
    assert 'id="time-error"' in page
    refusal = (
        "Service was entered as Nov 3, 2026 2:40 PM EST — a service time cannot be in the future"
    )
    assert html.escape(refusal) in page
    assert await Entry.all().count() == 0


async def test_a_late_service_is_accepted_and_flagged_with_the_policy_reason(site: Site) -> None:
    await officer_on_a_case(site)
    early = {**HAND_SERVICE, "time": "07:30"}  # 2.5 hours before it is recorded
    form = f"/cases/{DOCKET}/service"
    receipt = await site.post(f"{form}/submit", early, form_page=form)
    page = await receipt.text()
    assert "Marked late: service must be recorded within 2 hours of being made." in page
    assert (await Entry.get()).late
    assert "late — service must be recorded within 2 hours" in await site.page(f"/cases/{DOCKET}")


async def test_every_page_escapes_html_in_respondent_names_and_notes(site: Site) -> None:
    evil = "<script>alert(1)</script>"
    await officer_on_a_case(site, respondent_last_name=evil)
    other = f"/cases/{DOCKET}/other"
    receipt = await site.post(f"{other}/submit", {"note": f"<b>{evil}</b>"}, form_page=other)
    entry = await Entry.get()
    pages = [
        await receipt.text(),
        await site.page(f"/cases/{DOCKET}"),
        await site.page(other),
        await (await site.post(other, {"note": evil})).text(),
        await site.page("/my-entries"),
        await site.page(f"/entries/{entry.id}"),
    ]
    for page in pages:
        assert "<script>" not in page and "&lt;script&gt;" in page


async def test_an_officer_must_accept_the_agreement_before_recording(site: Site) -> None:
    await make_case(DOCKET)
    await make_account(agreement_signed_at=None)
    response = await site.log_in("marshal.doe")
    assert str(response.url).endswith("/agreement")
    assert (await site.get(f"/cases/{DOCKET}/service", follow=False)).headers[
        "Location"
    ] == "/agreement"
    refused = await site.post("/agreement", {})
    assert refused.status == 400
    accepted = await site.post("/agreement", {"accept": "yes"})
    assert str(accepted.url).endswith("/")
    assert (await site.get(f"/cases/{DOCKET}/service", follow=False)).status == 200


async def test_my_entries_lists_only_the_officers_own_entries(site: Site) -> None:
    await officer_on_a_case(site)
    other = await make_account("marshal.roe", full_name="Rick Roe")
    form = f"/cases/{DOCKET}/transferred"
    transfer = {"date": "2026-11-02", "time": "08:00", "transferred_to": str(other.id)}
    await site.post(f"{form}/submit", transfer, form_page=form)
    page = await site.page("/my-entries")
    assert "E-0000001" in page and "transferred" in page
    await site.post("/logout", {}, form_page="/")
    await site.log_in("marshal.roe")
    assert "E-0000001" not in await site.page("/my-entries")
    assert (await site.get("/entries/1")).status == 404


async def test_an_attempt_needs_a_reason_from_the_list_or_in_words(site: Site) -> None:
    await officer_on_a_case(site)
    form = f"/cases/{DOCKET}/attempt"
    missing = await site.post(form, {"date": "2026-11-02", "time": "08:00", "police": "yes"})
    assert "say why service could not be made" in await missing.text()
    attempt = {"date": "2026-11-02", "time": "08:00", "police": "yes", "reason_code": "not home"}
    receipt = await site.post(f"{form}/submit", attempt, form_page=form)
    assert "not home" in await receipt.text()


async def test_staff_see_a_case_but_cannot_record_on_it(site: Site) -> None:
    await make_case(DOCKET)
    await make_account("registry.clerk", role=Role.STAFF)
    from tests.web.conftest import MFA_SECRET

    await site.log_in("registry.clerk", secret=MFA_SECRET)
    assert (await site.get(f"/cases/{DOCKET}")).status == 200
    assert (await site.get(f"/cases/{DOCKET}/service")).status == 403

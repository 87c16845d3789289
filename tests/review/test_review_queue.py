"""Staff turn emailed reports into entries: the queue, the item page, each decision (issue 5)."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime

from aiohttp import ClientResponse

from gateway.web.forms import read_review_form
from registry.entries import EntryDraft, record_entry
from registry.enums import FANOUT, Adapter
from registry.models import (
    Activity,
    Channel,
    DecisionKind,
    Delivery,
    DeliveryStatus,
    Entry,
    Method,
    ReviewDecision,
    ReviewItem,
    ReviewStatus,
    Role,
    User,
)
from registry.policy import REGISTRY_ZONE, Policy
from registry.review_decisions import DecisionRefused, confirm_report, edit_report
from tests.factories import T0, make_case, make_user
from tests.review.conftest import SENDER, Site, emailed_item, make_account, sample
from tests.web.conftest import MFA_SECRET

MISSING_TIME = "missing-time-misspelt-method.eml"
FIXED = {"method": "hand", "date": "2026-11-02", "time": "09:15", "police": "no"}


async def staff_signed_in(site: Site, username: str = "registry.clerk") -> User:
    staff = await make_account(username, role=Role.STAFF, full_name="Registry Clerk")
    await site.log_in(username, secret=MFA_SECRET)
    return staff


async def officer_of_the_sender() -> User:
    return await make_account(full_name="Jane Doe", emails=[SENDER])


async def decide(
    site: Site, item: ReviewItem, fields: dict[str, str], index: int = 0
) -> ClientResponse:
    return await site.post(
        f"/staff/review/{item.id}/reports/{index}",
        fields,
        form_page=f"/staff/review/{item.id}",
        follow=False,
    )


async def test_an_officer_gets_403_on_the_queue_the_item_and_a_decision(site: Site) -> None:
    await make_case()
    item = await emailed_item(sample(MISSING_TIME))
    await make_account("marshal.doe")
    await site.log_in("marshal.doe")
    for path in ("/staff/review", f"/staff/review/{item.id}"):
        response = await site.get(path)
        assert response.status == 403, path
    response = await site.post(
        f"/staff/review/{item.id}/reports/0", {**FIXED, "action": "confirm"}, form_page="/"
    )
    assert response.status == 403
    assert await Entry.all().count() == 0


async def test_the_queue_lists_pending_items_with_sender_officer_reports_and_problems(
    site: Site,
) -> None:
    await make_case()
    await officer_of_the_sender()
    item = await emailed_item(sample(MISSING_TIME))
    await emailed_item(sample("served-in-hand.eml"), sender="stranger@example.org")
    site.clock.advance(hours=3)  # the items were received at T0
    await staff_signed_in(site)

    page = await site.page("/staff/review")

    assert '<strong class="pending-count">2</strong>' in page
    assert f"/staff/review/{item.id}" in page
    assert "Jane Doe" in page and "unknown sender" in page
    assert "missing method of service" in page
    assert "past the prompt-entry window" in page


async def test_a_confirm_with_a_still_invalid_field_is_refused_with_the_rule_shown(
    site: Site,
) -> None:
    await make_case()
    await officer_of_the_sender()
    item = await emailed_item(sample(MISSING_TIME))
    await staff_signed_in(site)

    response = await decide(
        site, item, {"date": "2026-11-02", "time": "09:15", "police": "no", "action": "confirm"}
    )

    assert response.status == 400
    page = await response.text()
    assert "say how service was made: in hand or at the respondent&#39;s abode" in page
    assert await Entry.all().count() == 0
    assert (await ReviewItem.get(id=item.id)).status is ReviewStatus.PENDING
    # The time staff fixed is kept (and audited) even though the confirm was refused.
    page = await site.page(f"/staff/review/{item.id}")
    assert re.search(r'<input[^>]* name="time"[^>]* value="09:15"', page)
    # Nothing was claimed either: once the method is given, the same report confirms.
    response = await decide(site, item, {"method": "hand", "action": "confirm"})
    assert response.status == 303
    assert await Entry.all().count() == 1


async def test_confirming_the_fixed_report_records_an_email_entry_and_audits_each_edit(
    site: Site,
) -> None:
    await make_case()
    officer = await officer_of_the_sender()
    item = await emailed_item(sample(MISSING_TIME))
    staff = await staff_signed_in(site)

    response = await decide(site, item, {**FIXED, "action": "confirm"})

    assert response.status == 303
    entry = await Entry.get().prefetch_related("deliveries")
    assert entry.channel is Channel.EMAIL
    assert entry.officer_id == officer.id  # type: ignore[attr-defined]
    assert entry.recorded_by_id == staff.id  # type: ignore[attr-defined]
    assert entry.source_id == item.inbound_id  # type: ignore[attr-defined]
    assert entry.method is Method.HAND
    assert entry.occurred_at == datetime(2026, 11, 2, 9, 15, tzinfo=REGISTRY_ZONE)
    assert len(entry.deliveries) == 4  # two police departments, the state file, NCIC
    assert (await ReviewItem.get(id=item.id)).status is ReviewStatus.CONFIRMED
    page = await site.page(f"/staff/review/{item.id}")
    assert "E-0000001" in page
    for field, before, after in (("method", "", "hand"), ("time", "", "09:15")):
        assert f"<td>{field}</td><td>{before}</td><td>{after}</td>" in page


async def test_a_duplicate_is_detected_and_linking_does_not_create_a_second_entry(
    site: Site,
) -> None:
    await make_case()
    officer = await officer_of_the_sender()
    earlier = await record_entry(
        EntryDraft(
            docket_number="HHD-FA-26-6012345-S",
            activity=Activity.SERVICE,
            occurred_at=datetime(2026, 11, 2, 9, 40, tzinfo=REGISTRY_ZONE),
            method=Method.HAND,
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.TELEGRAM,
        policy=Policy(),
        now=T0,
    )
    item = await emailed_item(sample("served-in-hand.eml"))  # 9:15: within the hour
    await staff_signed_in(site)

    page = await site.page(f"/staff/review/{item.id}")
    assert "Already recorded — link and close" in page
    assert earlier.reference in page

    response = await decide(site, item, {"action": "link", "entry": str(earlier.id)})

    assert response.status == 303
    assert await Entry.all().count() == 1
    decision = await ReviewDecision.get(item_id=item.id)
    assert decision.kind is DecisionKind.LINKED
    assert decision.entry_id == earlier.id  # type: ignore[attr-defined]
    assert (await ReviewItem.get(id=item.id)).status is ReviewStatus.CONFIRMED


async def test_two_staff_confirming_the_same_report_at_once_create_exactly_one_entry(
    registry: str,
) -> None:
    await make_case()
    officer = await make_user("marshal.doe", emails=[SENDER])
    first = await make_user("clerk.one", role=Role.STAFF, full_name="Clerk One")
    second = await make_user("clerk.two", role=Role.STAFF, full_name="Clerk Two")
    item = await emailed_item(sample(MISSING_TIME))
    values = await edit_report(
        item.id, 0, {**FIXED, "officer": str(officer.id)}, staff=first, policy=Policy(),
        sender_officer=officer, now=T0,
    )  # fmt: skip
    draft, _ = read_review_form(values, Policy())
    assert draft is not None

    outcomes = await asyncio.gather(
        *(
            confirm_report(
                item.id, 0, draft, officer_id=str(officer.id), staff=staff, policy=Policy(), now=T0
            )
            for staff in (first, second)
        ),
        return_exceptions=True,
    )

    refused = [o for o in outcomes if isinstance(o, DecisionRefused)]
    assert len(refused) == 1, outcomes
    assert "already been decided" in refused[0].message
    assert await Entry.all().count() == 1
    assert await Delivery.filter(adapter__in=FANOUT).count() == 4
    told = [d.payload["template"] for d in await Delivery.filter(adapter=Adapter.EMAIL)]
    assert told.count("review-confirmed") == 1  # the sender is told once
    assert await ReviewDecision.all().count() == 1


async def test_the_raw_message_is_shown_escaped_so_a_script_in_the_body_stays_text(
    site: Site,
) -> None:
    await make_case()
    item = await emailed_item(sample("script-in-body.eml"))
    await staff_signed_in(site)

    response = await site.get(f"/staff/review/{item.id}")

    page = await response.text()
    assert "&lt;script&gt;alert(&#34;stolen&#34;)&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "served &lt;b&gt;now&lt;/b&gt;" in page
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    download = await site.get(f"/staff/review/{item.id}/attachments/1")
    assert download.headers["Content-Disposition"] == 'attachment; filename="return.pdf"'
    assert (await download.read()).startswith(b"%PDF-1.4")


async def test_a_rejection_needs_a_reason_and_closes_the_item(site: Site) -> None:
    await make_case()
    item = await emailed_item(sample(MISSING_TIME))
    await staff_signed_in(site)

    refused = await decide(site, item, {"action": "reject", "reject_reason": " "})
    assert refused.status == 409
    assert "give the reason for rejecting" in await refused.text()

    response = await decide(site, item, {"action": "reject", "reject_reason": "wrong docket"})

    assert response.status == 303
    assert (await ReviewItem.get(id=item.id)).status is ReviewStatus.REJECTED
    assert "wrong docket" in await site.page(f"/staff/review/{item.id}")


async def test_a_deferred_item_leaves_the_pending_list_and_shows_under_deferred(
    site: Site,
) -> None:
    await make_case()
    item = await emailed_item(sample(MISSING_TIME))
    await staff_signed_in(site)

    response = await site.post(
        f"/staff/review/{item.id}/defer",
        {"note": "calling the marshal"},
        form_page=f"/staff/review/{item.id}",
        follow=False,
    )

    assert response.status == 303
    assert f"/staff/review/{item.id}" not in await site.page("/staff/review")
    assert f"/staff/review/{item.id}" in await site.page("/staff/review?status=deferred")


async def test_a_dead_delivery_is_listed_and_retry_sends_it_again(site: Site) -> None:
    await make_case()
    officer = await make_user("marshal.doe")
    entry = await record_entry(
        EntryDraft(
            docket_number="HHD-FA-26-6012345-S",
            activity=Activity.SERVICE,
            occurred_at=T0,
            method=Method.ABODE,
            police_assistance=False,
        ),
        officer=officer,
        channel=Channel.WEB,
        policy=Policy(),
        now=T0,
    )
    dead = await Delivery.filter(entry_id=entry.id, destination="NCIC").get()
    dead.status, dead.last_error, dead.attempts = DeliveryStatus.DEAD, "NCIC refused: bad NIC", 8
    await dead.save()
    await staff_signed_in(site)

    assert "NCIC refused: bad NIC" in await site.page("/staff/review")
    response = await site.post(
        f"/staff/review/deliveries/{dead.id}/retry", {}, form_page="/staff/review", follow=False
    )

    assert response.status == 303
    retried = await Delivery.get(id=dead.id)
    assert retried.status is DeliveryStatus.PENDING and retried.attempts == 0


async def test_the_item_page_warns_when_the_emailed_respondent_is_not_the_cases(
    site: Site,
) -> None:
    await make_case(respondent_first_name="Michael", respondent_last_name="Brennan")
    item = await emailed_item(sample("served-in-hand.eml"))  # names Robert Jones
    await staff_signed_in(site)

    page = await site.page(f"/staff/review/{item.id}")

    assert "the case&#39;s respondent is Michael Brennan" in page
    assert '<dd class="respondent">Michael Brennan</dd>' in page


async def test_saving_a_corrected_docket_shows_that_case_and_audits_the_change(
    site: Site,
) -> None:
    await make_case()
    await make_case("HHD-FA-26-6099999-S", respondent_first_name="Ann", respondent_last_name="Lee")
    item = await emailed_item(sample(MISSING_TIME))
    await staff_signed_in(site)

    response = await decide(site, item, {"docket_number": "HHD-FA-26-6099999-S", "action": "save"})

    assert response.status == 303
    page = await site.page(f"/staff/review/{item.id}")
    assert '<dd class="respondent">Ann Lee</dd>' in page
    assert "<td>docket_number</td><td>HHD-FA-26-6012345-S</td><td>HHD-FA-26-6099999-S</td>" in page
    assert await Entry.all().count() == 0


async def test_an_email_that_shares_its_message_id_with_another_says_so_to_staff(
    site: Site,
) -> None:
    await make_case()
    raw = sample("served-in-hand.eml")
    first = await emailed_item(raw)
    second = await emailed_item(raw.replace(b"in hand", b"at his abode", 1))
    assert first.inbound_id != second.inbound_id  # type: ignore[attr-defined]
    await staff_signed_in(site)

    page = await site.page(f"/staff/review/{second.id}")

    assert "Shares its Message-ID with R-0000001" in page


async def test_an_emailed_reason_keeps_the_officers_words_beside_the_registry_term(
    site: Site,
) -> None:
    await make_case()
    await officer_of_the_sender()
    item = await emailed_item(sample("attempt-not-home.eml"))
    await staff_signed_in(site)
    reason = "not home: nobody answered, car in the driveway"

    page = await site.page(f"/staff/review/{item.id}")
    assert f'value="{reason}"' in page

    response = await decide(site, item, {"action": "confirm"})

    assert response.status == 303
    entry = await Entry.get()
    assert entry.activity is Activity.ATTEMPT
    assert entry.reason == reason

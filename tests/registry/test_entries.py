"""record_entry enforces the registry's rules and writes entry, deliveries and audit together."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest

from registry import entries
from registry.entries import EntryDraft, EntryRejected, record_entry
from registry.models import (
    Activity,
    Adapter,
    AuditEvent,
    Channel,
    Delivery,
    Entry,
    Method,
    Role,
)
from registry.policy import Policy
from tests.factories import T0, make_case, make_user

POLICY = Policy()
pytestmark = pytest.mark.usefixtures("registry")


def service(**overrides: object) -> EntryDraft:
    fields: dict[str, object] = {
        "docket_number": "HHD-FA-26-6012345-S",
        "activity": Activity.SERVICE,
        "occurred_at": T0 - timedelta(minutes=30),
        "method": Method.HAND,
        "police_assistance": False,
    }
    fields.update(overrides)
    return EntryDraft(**fields)  # type: ignore[arg-type]


async def record(draft: EntryDraft, **kwargs: object) -> Entry:
    officer = kwargs.pop("officer", None) or await make_user()
    return await record_entry(
        draft,
        officer=officer,  # type: ignore[arg-type]
        channel=Channel.WEB,
        policy=POLICY,
        now=T0,
        **kwargs,  # type: ignore[arg-type]
    )


async def rejection(draft: EntryDraft, **kwargs: object) -> dict[str, str]:
    with pytest.raises(EntryRejected) as caught:
        await record(draft, **kwargs)
    return {p.field: p.message for p in caught.value.problems}


async def test_a_hand_service_is_recorded_with_its_reference_and_times() -> None:
    await make_case()
    entry = await record(service())
    stored = await Entry.get(id=entry.id)
    assert entry.reference == f"E-{entry.id:07d}"
    assert stored.activity is Activity.SERVICE and stored.method is Method.HAND
    assert stored.occurred_at == T0 - timedelta(minutes=30)
    assert stored.recorded_at == T0
    assert stored.late is False


async def test_any_spelling_of_the_docket_finds_the_case() -> None:
    case = await make_case()
    entry = await record(service(docket_number="hhdfa266012345s"))
    assert (await Entry.get(id=entry.id)).case_id == case.id  # type: ignore[attr-defined]


async def test_an_unknown_docket_is_refused_with_the_canonical_number() -> None:
    problems = await rejection(service(docket_number="hhd fa 26 6099999 s"))
    assert problems["docket_number"].startswith("No case HHD-FA-26-6099999-S in the registry")


async def test_a_malformed_docket_is_refused_with_the_reason() -> None:
    problems = await rejection(service(docket_number="HHD-FA-26-601234-S"))
    assert "7 digits" in problems["docket_number"]


async def test_a_service_needs_its_method() -> None:
    await make_case()
    problems = await rejection(service(method=None))
    assert "in hand or at the respondent's abode" in problems["method"]


async def test_a_service_needs_its_date_and_time() -> None:
    await make_case()
    problems = await rejection(service(occurred_at=None))
    assert problems["occurred_at"] == "give the date and time of the service"


async def test_a_service_must_say_whether_police_assistance_was_requested() -> None:
    await make_case()
    problems = await rejection(service(police_assistance=None))
    assert "police assistance" in problems["police_assistance"]


async def test_an_attempt_needs_a_reason_and_police_assistance() -> None:
    await make_case()
    draft = service(activity=Activity.ATTEMPT, method=None, police_assistance=None, reason=" ")
    problems = await rejection(draft)
    assert set(problems) == {"reason", "police_assistance"}


async def test_an_attempt_with_a_reason_is_recorded_without_deliveries() -> None:
    await make_case()
    draft = service(activity=Activity.ATTEMPT, method=None, reason="respondent not at address")
    entry = await record(draft)
    assert (await Entry.get(id=entry.id)).reason == "respondent not at address"
    assert await Delivery.filter(entry_id=entry.id).count() == 0


async def test_a_field_that_does_not_belong_to_the_activity_is_refused_not_dropped() -> None:
    await make_case()
    problems = await rejection(service(reason="respondent moved"))
    assert problems["reason"] == "reason does not apply to service"


async def test_a_future_service_time_is_refused_in_the_registry_zone() -> None:
    await make_case()
    problems = await rejection(service(occurred_at=T0 + timedelta(days=1, hours=4, minutes=40)))
    assert problems["occurred_at"] == (
        "Service was entered as Nov 3, 2026 2:40 PM EST — a service time cannot be in the future"
    )


async def test_a_time_a_few_minutes_ahead_is_clock_drift_not_future() -> None:
    await make_case()
    entry = await record(service(occurred_at=T0 + timedelta(minutes=3)))
    assert entry.id is not None


async def test_a_service_recorded_within_two_hours_is_not_late() -> None:
    await make_case()
    entry = await record(service(occurred_at=T0 - timedelta(hours=1, minutes=59)))
    assert (await Entry.get(id=entry.id)).late is False


async def test_a_service_recorded_after_two_hours_is_accepted_and_flagged_late() -> None:
    await make_case()
    entry = await record(service(occurred_at=T0 - timedelta(hours=2, minutes=1)))
    assert (await Entry.get(id=entry.id)).late is True
    assert entries.late_reason(entry, POLICY) == (
        "service must be recorded within 2 hours of being made"
    )


async def test_an_attempt_recorded_on_the_hearing_day_is_flagged_late() -> None:
    await make_case(hearing=date(2026, 11, 2))
    draft = service(activity=Activity.ATTEMPT, method=None, reason="respondent moved")
    entry = await record(draft)
    assert (await Entry.get(id=entry.id)).late is True


async def test_an_attempt_recorded_before_the_hearing_is_not_late() -> None:
    await make_case(hearing=date(2026, 11, 3))
    draft = service(activity=Activity.ATTEMPT, method=None, reason="respondent moved")
    assert (await Entry.get(id=(await record(draft)).id)).late is False


async def test_an_activity_before_the_case_existed_is_flagged() -> None:
    await make_case(created_at=T0 - timedelta(minutes=10))
    entry = await record(service(occurred_at=T0 - timedelta(minutes=30)))
    assert (await Entry.get(id=entry.id)).occurred_before_case is True


async def test_a_transfer_goes_only_to_a_known_active_officer() -> None:
    await make_case()
    officer = await make_user()
    clerk = await make_user("clerk", role=Role.STAFF)
    retired = await make_user("retired", active=False)
    draft = service(activity=Activity.TRANSFERRED, method=None, police_assistance=None)
    for target in (None, 9999, clerk.id, retired.id):
        problems = await rejection(
            EntryDraft(**{**draft.__dict__, "transferred_to_id": target}), officer=officer
        )
        assert "transferred_to_id" in problems, target
    problems = await rejection(
        EntryDraft(**{**draft.__dict__, "transferred_to_id": officer.id}), officer=officer
    )
    assert problems["transferred_to_id"] == "process cannot be transferred to yourself"


async def test_a_transfer_to_another_officer_is_recorded() -> None:
    await make_case()
    colleague = await make_user("marshal.roe", full_name="Sam Roe")
    draft = EntryDraft(
        "HHD-FA-26-6012345-S",
        Activity.TRANSFERRED,
        occurred_at=T0 - timedelta(hours=1),
        transferred_to_id=colleague.id,
    )
    entry = await record(draft)
    assert (await Entry.get(id=entry.id)).transferred_to_id == colleague.id  # type: ignore[attr-defined]


async def test_other_information_needs_text_and_defaults_to_now() -> None:
    await make_case()
    officer = await make_user()
    problems = await rejection(EntryDraft("HHD-FA-26-6012345-S", Activity.OTHER), officer=officer)
    assert "note" in problems
    entry = await record(
        EntryDraft("HHD-FA-26-6012345-S", Activity.OTHER, note="DOB on the papers looks wrong"),
        officer=officer,
    )
    assert (await Entry.get(id=entry.id)).occurred_at == T0


async def test_an_inactive_officer_cannot_record() -> None:
    await make_case()
    problems = await rejection(service(), officer=await make_user(active=False))
    assert "not an active officer" in problems["officer"]


async def test_three_towns_covered_by_two_agencies_get_two_faxes_a_switch_and_an_ncic_update() -> (
    None
):
    await make_case(
        respondent_town="Hartford",
        protected_home_town="Andover",  # Troop K
        protected_work_town="Bolton",  # Troop K as well
    )
    entry = await record(service())
    deliveries = await Delivery.filter(entry_id=entry.id).order_by("id")
    faxes = [d.destination for d in deliveries if d.adapter is Adapter.FAX]
    assert sorted(faxes) == ["Connecticut State Police Troop K", "Hartford Police Department"]
    assert [d.adapter for d in deliveries].count(Adapter.COLLECT) == 1
    assert [d.adapter for d in deliveries].count(Adapter.NCIC) == 1
    assert len({d.idempotency_key for d in deliveries}) == 4
    assert all(d.status.value == "pending" and d.next_attempt_at == T0 for d in deliveries)


async def test_the_service_update_carries_the_case_basics_and_never_the_protected_towns() -> None:
    await make_case(protected_home_town="Andover", protected_work_town="Bolton")
    entry = await record(service())
    delivery = await Delivery.get(entry_id=entry.id, adapter=Adapter.COLLECT)
    payload = delivery.payload
    assert payload["docket"] == "HHD-FA-26-6012345-S"
    assert payload["court_ori"] == "CTHHDSUPJ"
    assert payload["method"] == "hand" and payload["police_assistance"] is False
    assert payload["officer"] == "Jane Doe"
    assert payload["occurred_local"] == "2026-11-02T09:30:00-05:00"
    text = str(payload)
    assert "Andover" not in text and "Bolton" not in text and "agency" not in payload


async def test_entry_deliveries_and_audit_commit_together_or_not_at_all() -> None:
    await make_case()
    officer = await make_user()
    with (
        mock.patch.object(entries, "record_event", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        await record(service(), officer=officer)
    assert await Entry.all().count() == 0
    assert await Delivery.all().count() == 0


async def test_every_entry_is_audited() -> None:
    await make_case()
    entry = await record(service())
    event = await AuditEvent.get(action="entry.recorded", object_id=entry.reference)
    assert event.actor == "marshal.doe"
    assert event.details["docket"] == "HHD-FA-26-6012345-S"
    assert len(event.details["deliveries"]) == 4


async def test_a_correction_supersedes_and_leaves_the_original_unchanged() -> None:
    await make_case()
    officer = await make_user()
    first = await record(service(), officer=officer)
    fixed = await record(service(method=Method.ABODE), officer=officer, supersedes_id=first.id)
    original = await Entry.get(id=first.id)
    assert original.method is Method.HAND
    assert (await Entry.get(id=fixed.id)).supersedes_id == first.id  # type: ignore[attr-defined]
    correction_update = await Delivery.get(entry_id=fixed.id, adapter=Adapter.NCIC)
    assert correction_update.payload["supersedes"] == first.reference


async def test_an_entry_is_corrected_only_once() -> None:
    await make_case()
    officer = await make_user()
    first = await record(service(), officer=officer)
    await record(service(method=Method.ABODE), officer=officer, supersedes_id=first.id)
    problems = await rejection(service(), officer=officer, supersedes_id=first.id)
    assert problems["supersedes"] == f"{first.reference} has already been corrected"


async def test_a_correction_must_belong_to_the_same_case() -> None:
    await make_case()
    await make_case("NNH-CV-26-5067890-S")
    officer = await make_user()
    first = await record(service(), officer=officer)
    other = service(docket_number="NNH-CV-26-5067890-S")
    problems = await rejection(other, officer=officer, supersedes_id=first.id)
    assert "not an entry of this case" in problems["supersedes"]

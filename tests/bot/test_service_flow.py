"""An officer records service from a phone: the guided flow, buttons, summary, confirm (issue 6)."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.enums import FANOUT
from registry.models import (
    Activity,
    BotConversation,
    BotSummary,
    Case,
    Channel,
    Delivery,
    Entry,
    InboundMessage,
    Method,
    SummaryStatus,
    User,
)
from tests.bot.conftest import Chat, Gateway
from tests.factories import make_user


async def test_an_officer_records_service_with_buttons(
    gateway: Gateway, chat: Chat, case: Case, officer: User
) -> None:
    card = await chat.say("hhd fa 26 6012345 s")
    assert "HHD-FA-26-6012345-S" in card.text
    assert "Robert Jones" in card.text
    assert "Jan 10, 2027" in card.text
    assert list(card.buttons) == ["Service", "Attempt", "Received", "Transferred", "Other"]

    assert list((await chat.press("Service")).buttons) == ["Hand", "Abode"]
    assert list((await chat.press("Hand")).buttons) == ["Now", "30 min ago", "1 h ago"]
    assert list((await chat.press("30 min ago")).buttons) == ["Yes", "No"]
    summary = await chat.press("No")
    assert list(summary.buttons) == ["Confirm", "Edit", "Cancel"]
    assert "in hand" in summary.text and "Police assistance: no" in summary.text
    assert all(len(data.encode()) <= 64 for data in summary.buttons.values())
    assert await Entry.all().count() == 0  # nothing is recorded before Confirm

    confirmed = await chat.press("Confirm")
    assert confirmed.method == "editMessageText" and not confirmed.buttons
    entry = await Entry.get().prefetch_related("source")
    await gateway.deliver()  # the outcome is a delivery: an outage delays it, never loses it
    recorded = await chat.reply()
    assert recorded.method == "sendMessage"
    assert recorded.text.startswith(f"Recorded {entry.reference} (service, HHD-FA-26-6012345-S)")
    assert (entry.activity, entry.method, entry.police_assistance, entry.channel) == (
        Activity.SERVICE,
        Method.HAND,
        False,
        Channel.TELEGRAM,
    )
    assert entry.officer_id == officer.id  # type: ignore[attr-defined]
    assert entry.source is not None and b'"c:' in entry.source.payload
    assert (await BotSummary.get()).status is SummaryStatus.CONFIRMED
    assert not await BotConversation.exists()
    assert gateway.api.count("answerCallbackQuery") == 5


async def test_the_officer_hears_where_the_service_went_once_deliveries_finish(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    await chat.say("served HHD-FA-26-6012345-S hand now no police")
    await chat.press("Confirm")
    entry = await Entry.get()
    # The faxes, the state file and NCIC still pending: nothing to follow up yet.
    assert await gateway.follow_ups_owed(datetime.now(UTC)) == 0
    await gateway.deliver()  # they go to the spool, and "Recorded" to the chat
    assert entry.reference in (await chat.reply()).text
    assert await gateway.follow_ups_owed(datetime.now(UTC)) == 1
    await gateway.deliver()
    follow_up = await chat.reply()
    assert follow_up.text == (
        f"{entry.reference}: sent to Hartford Police Department by fax, West Hartford Police "
        "Department by fax, the state file and NCIC."
    )
    assert await gateway.follow_ups_owed(datetime.now(UTC)) == 1  # once only
    assert await gateway.deliver() == 0


async def test_the_one_line_shortcut_goes_straight_to_the_summary(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    summary = await chat.say("served HHD-FA-26-6012345-S abode 30 min ago with police")
    assert list(summary.buttons) == ["Confirm", "Edit", "Cancel"]
    assert "at abode" in summary.text and "Police assistance: yes" in summary.text
    await chat.press("Confirm")
    entry = await Entry.get()
    assert (entry.method, entry.police_assistance) == (Method.ABODE, True)


async def test_a_shortcut_missing_a_field_asks_for_it(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    asked = await chat.say("served hhdfa266012345s hand")
    assert list(asked.buttons) == ["Now", "30 min ago", "1 h ago"]
    asked = await chat.say("7:10")
    assert "am or pm" in asked.text  # a precise re-ask, same buttons
    assert list(asked.buttons) == ["Now", "30 min ago", "1 h ago"]
    asked = await chat.say("1 h ago")
    assert list(asked.buttons) == ["Yes", "No"]


async def test_an_attempt_is_recorded_with_its_reason(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    await chat.say("HHD-FA-26-6012345-S")
    assert "Why" in (await chat.press("Attempt")).text
    when = await chat.say("nobody home, neighbour says he moved")
    assert list(when.buttons) == ["Now", "30 min ago", "1 h ago"]
    await chat.press("1 h ago")
    summary = await chat.press("Yes")
    assert "Reason: nobody home, neighbour says he moved" in summary.text
    await chat.press("Confirm")
    entry = await Entry.get()
    assert entry.activity is Activity.ATTEMPT
    assert entry.reason == "nobody home, neighbour says he moved"
    assert not await Delivery.filter(adapter__in=FANOUT).exists()  # only service is sent on


async def test_a_wrong_docket_gets_a_precise_re_ask(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    unknown = await chat.say("HHD-FA-26-6099999-S")
    assert "No case HHD-FA-26-6099999-S in the registry" in unknown.text
    assert not unknown.buttons
    garbled = await chat.say("hello")
    assert 'No docket number found in "hello"' in garbled.text
    card = await chat.say("HHD-FA-26-6012345-S")
    assert "Robert Jones" in card.text


async def test_cancel_and_edit_record_nothing(gateway: Gateway, chat: Chat, case: Case) -> None:
    summary = await chat.say("served HHD-FA-26-6012345-S hand now no police")
    card = await chat.press("Edit")
    assert "What are you recording?" in card.text
    await chat.press("Received")
    await chat.press("Now")
    cancelled = await chat.press("Cancel")
    assert "nothing was recorded" in cancelled.text
    stale = await chat.press("Confirm", under=summary)
    assert "earlier question" in stale.text
    assert await Entry.all().count() == 0


async def test_status_and_mine_list_the_officers_entries(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    await chat.say("served HHD-FA-26-6012345-S hand now no police")
    await chat.press("Confirm")
    entry = await Entry.get()
    status = await chat.say("/status hhdfa266012345s")
    assert entry.reference in status.text
    assert "NCIC (ncic): pending" in status.text
    mine = await chat.say("/mine")
    assert f"{entry.reference} HHD-FA-26-6012345-S service" in mine.text
    assert "/status" in (await chat.say("/help")).text


async def test_a_restart_mid_conversation_still_completes_it(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    await chat.say("HHD-FA-26-6012345-S")
    await chat.press("Service")
    method_question = chat.last
    await gateway.restart()  # a new process: nothing of the conversation is in memory
    await chat.press("Abode", under=method_question)
    await chat.press("Now")
    await chat.press("No")
    await gateway.restart()
    await chat.press("Confirm")
    await gateway.deliver()
    entry = await Entry.get()
    assert entry.reference in (await chat.reply()).text and entry.method is Method.ABODE


async def test_every_update_is_kept_as_received(gateway: Gateway, chat: Chat, case: Case) -> None:
    await chat.say("HHD-FA-26-6012345-S")
    kept = await InboundMessage.filter(channel=Channel.TELEGRAM).order_by("id")
    assert [m.dedupe_key is not None for m in kept] == [True, True]
    assert b"HHD-FA-26-6012345-S" in kept[-1].payload


async def test_received_transferred_and_other_are_recorded_with_buttons(
    gateway: Gateway, chat: Chat, case: Case, officer: User
) -> None:
    colleague = await make_user("marshal.roe", full_name="Sam Roe", officer_number="M-102")
    await chat.say("HHD-FA-26-6012345-S")
    await chat.press("Received")
    await chat.press("Now")
    await chat.press("Confirm")
    await chat.say("HHD-FA-26-6012345-S")
    assert "Sam Roe" in (await chat.press("Transferred")).buttons
    await chat.press("Sam Roe")
    summary = await chat.press("30 min ago")
    assert "To: Sam Roe" in summary.text
    await chat.press("Confirm")
    await chat.say("HHD-FA-26-6012345-S")
    await chat.press("Other")
    summary = await chat.say("Respondent called, will come to the station")
    assert "Note: Respondent called" in summary.text
    await chat.press("Confirm")
    entries = await Entry.all().order_by("id")
    assert [e.activity for e in entries] == [
        Activity.RECEIVED,
        Activity.TRANSFERRED,
        Activity.OTHER,
    ]
    assert entries[1].transferred_to_id == colleague.id  # type: ignore[attr-defined]


async def test_typing_where_a_button_is_expected_re_asks_with_the_buttons(
    gateway: Gateway, chat: Chat, case: Case
) -> None:
    await chat.say("HHD-FA-26-6012345-S")
    await chat.press("Service")
    asked = await chat.say("by hand")
    assert "buttons" in asked.text
    assert list(asked.buttons) == ["Hand", "Abode"]
    assert list((await chat.press("Abode")).buttons) == ["Now", "30 min ago", "1 h ago"]

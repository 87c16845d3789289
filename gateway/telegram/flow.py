"""The guided conversation: one typed function from what a chat sent to what the bot answers.

No Telegram library here: the adapter turns updates into `Incoming` and `Reply` into API calls,
so tests and other processes can drive the same conversation, whose state lives in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from gateway.telegram import replies
from gateway.telegram.buttons import Press, decode
from gateway.telegram.replies import Reply
from parsers.chat import ChatReport, read_shortcut, read_when
from parsers.docket import find_dockets
from registry import bot
from registry.casefile import CaseNotFound, active_officers, find_case, officer_entries
from registry.entries import EntryRejected
from registry.enums import BotState
from registry.models import Activity, InboundMessage, User
from registry.policy import Policy


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a chat."""

    chat_id: int
    text: str = ""
    button: str | None = None


@dataclass
class Turn:
    """What one incoming needs: the officer, the clock, the policy and the stored update."""

    officer: User
    conversation: bot.Conversation
    policy: Policy
    now: datetime
    source: InboundMessage | None = None
    out: list[Reply] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.data

    def go(self, state: BotState, reply: Reply) -> None:
        self.conversation.state = state
        self.out.append(reply)


async def respond(
    incoming: Incoming, *, policy: Policy, now: datetime, source: InboundMessage | None = None
) -> list[Reply]:
    """Answer one incoming message or button press of a chat."""
    text = incoming.text.strip()
    command, _, argument = text.partition(" ")
    command = command.split("@")[0].lower() if command.startswith("/") else ""
    if command == "/start" and argument.strip():
        user = await bot.redeem_link(argument.strip(), chat_id=incoming.chat_id, now=now)
        return [replies.linked(user) if user else replies.say("link_failed")]
    officer = await bot.linked_officer(incoming.chat_id)
    if officer is None:
        return [replies.say("not_linked")]
    conversation = await bot.load_conversation(incoming.chat_id)
    turn = Turn(officer, conversation, policy, now, source)
    if command:
        await _command(turn, command, argument.strip())
    elif incoming.button is not None:
        await _button(turn, incoming.button)
    else:
        await _text(turn, text)
    await bot.save_conversation(turn.conversation, now=now)
    return turn.out


async def _command(turn: Turn, command: str, argument: str) -> None:
    if command == "/unlink":
        await bot.unlink(turn.conversation.chat_id, now=turn.now)
        turn.conversation.state = BotState.IDLE
        turn.out.append(replies.say("unlinked"))
    elif command == "/cancel":
        turn.go(BotState.IDLE, replies.say("cancelled"))
    elif command == "/status":
        turn.out.append(await _status(turn.officer, argument, turn.policy))
    elif command == "/mine":
        entries = await officer_entries(turn.officer, limit=10)
        turn.out.append(replies.say("mine", entries=entries, policy=turn.policy))
    elif command == "/new" and argument:
        await _docket(turn, argument)
    else:  # /start, /help, /new and anything unknown
        turn.go(BotState.IDLE, replies.say("help", officer=turn.officer))


async def _status(officer: User, docket: str, policy: Policy) -> Reply:
    if not docket:
        return replies.say("status_usage")
    try:
        canonical, entries = await bot.officer_case_entries(docket, officer)
    except CaseNotFound as exc:
        return replies.say("case_not_found", reason=exc.reason)
    return replies.say("status", docket=canonical, entries=entries, policy=policy)


async def _text(turn: Turn, text: str) -> None:
    state = turn.conversation.state
    if state is BotState.WHEN:
        await _when(turn, text)
    elif state in (BotState.REASON, BotState.NOTE):
        if not text:
            turn.out.append(replies.say(f"ask_{state}"))
            return
        turn.data[state.value] = text
        if state is BotState.REASON:
            turn.go(BotState.WHEN, replies.ask_when(turn.data))
        else:
            await _summary(turn)
    elif state in replies.BUTTON_STATES and not find_dockets(text):
        turn.out.append(replies.use_buttons(state, turn.data, await _officers(turn)))
    else:
        report = read_shortcut(text, turn.now, turn.policy.zone)
        if report is not None and report.docket and not report.docket_problem:
            await _shortcut(turn, report)
        else:
            await _docket(turn, text)


async def _docket(turn: Turn, text: str) -> None:
    found = find_dockets(text)
    if not found:
        turn.go(BotState.DOCKET, replies.say("ask_docket", text=text))
        return
    try:
        case = await find_case(found[0].canonical or found[0].text)
    except CaseNotFound as exc:
        turn.go(BotState.DOCKET, replies.say("case_not_found", reason=exc.reason))
        return
    turn.conversation.data = {"docket": case.docket_number}
    turn.go(BotState.ACTIVITY, replies.case_card(case))


async def _shortcut(turn: Turn, report: ChatReport) -> None:
    assert report.docket is not None
    try:
        case = await find_case(report.docket)
    except CaseNotFound as exc:
        turn.go(BotState.DOCKET, replies.say("case_not_found", reason=exc.reason))
        return
    turn.conversation.data = {"docket": case.docket_number, "activity": report.activity}
    if report.method:
        turn.data["method"] = report.method
    if report.police_assistance is not None:
        turn.data["police_assistance"] = report.police_assistance
    if report.when is not None and report.when.moment is not None:
        turn.data["occurred_at"] = report.when.moment.isoformat()
    await _next(turn)


async def _button(turn: Turn, data: str) -> None:
    pressed = decode(data)
    if pressed is None:
        turn.out.append(replies.say("stale_button"))
        return
    press, value = pressed
    if press in (Press.CONFIRM, Press.EDIT, Press.CANCEL):
        await _summary_button(turn, press, value)
        return
    if press.answers is not turn.conversation.state:
        turn.out.append(replies.say("stale_button"))
        return
    if press is Press.ACTIVITY and value in Activity.__members__.values():
        turn.conversation.data = {"docket": turn.data["docket"], "activity": value}
    elif press is Press.METHOD and value in ("hand", "abode"):
        turn.data["method"] = value
    elif press is Press.WHEN and value.isdigit():
        turn.data["occurred_at"] = (turn.now - timedelta(minutes=int(value))).isoformat()
    elif press is Press.POLICE and value in ("y", "n"):
        turn.data["police_assistance"] = value == "y"
    elif press is Press.TRANSFER and value.isdigit():
        turn.data["transferred_to_id"] = int(value)
    else:
        turn.out.append(replies.say("stale_button"))
        return
    await _next(turn, edit=True)


async def _when(turn: Turn, text: str) -> None:
    when = read_when(text, turn.now, turn.policy.zone)
    if when.moment is None:
        turn.out.append(replies.ask_when(turn.data, problem=when.problem))
        return
    turn.data["occurred_at"] = when.moment.isoformat()
    await _next(turn)


async def _next(turn: Turn, *, edit: bool = False) -> None:
    """Ask for the first thing the activity still needs, or show the summary."""
    data = turn.data
    activity = Activity(data["activity"])
    if activity is Activity.SERVICE and "method" not in data:
        turn.go(BotState.METHOD, replies.say("ask_method", edit=edit))
    elif activity is Activity.ATTEMPT and "reason" not in data:
        turn.go(BotState.REASON, replies.say("ask_reason", edit=edit))
    elif activity is Activity.TRANSFERRED and "transferred_to_id" not in data:
        turn.go(BotState.TRANSFER, replies.ask_transfer(await _officers(turn), edit=edit))
    elif activity is Activity.OTHER and "note" not in data:
        turn.go(BotState.NOTE, replies.say("ask_note", edit=edit))
    elif activity is not Activity.OTHER and "occurred_at" not in data:
        turn.go(BotState.WHEN, replies.ask_when(data, edit=edit))
    elif activity in (Activity.SERVICE, Activity.ATTEMPT) and "police_assistance" not in data:
        turn.go(BotState.POLICE, replies.say("ask_police", edit=edit))
    else:
        await _summary(turn, edit=edit)


async def _officers(turn: Turn) -> list[User]:
    return await active_officers(excluding=turn.officer)


async def _summary(turn: Turn, *, edit: bool = False) -> None:
    case = await find_case(turn.data["docket"])
    key = await bot.open_summary(
        turn.conversation.chat_id, turn.officer, dict(turn.data), now=turn.now
    )
    target = None
    if "transferred_to_id" in turn.data:
        target = await User.get_or_none(id=turn.data["transferred_to_id"])
    turn.go(BotState.SUMMARY, replies.summary(key, case, turn.data, turn.policy, target, edit=edit))


async def _summary_button(turn: Turn, press: Press, key: str) -> None:
    chat_id = turn.conversation.chat_id
    if press is Press.CANCEL:
        cancelled = await bot.cancel_summary(key, chat_id=chat_id)
        turn.go(BotState.IDLE, replies.say("cancelled" if cancelled else "stale_button", edit=True))
        return
    if press is Press.EDIT:
        draft = await bot.pending_summary(key, chat_id=chat_id)
        if draft is None or not await bot.cancel_summary(key, chat_id=chat_id):
            turn.out.append(replies.say("stale_button"))
            return
        await _docket(turn, draft["docket"])
        return
    try:
        await bot.confirm_summary(
            key, chat_id=chat_id, policy=turn.policy, now=turn.now, source=turn.source
        )
    except bot.SummaryGone:
        turn.out.append(replies.say("stale_button"))
        return
    except EntryRejected as exc:
        turn.out.append(replies.say("rejected", problems=exc.problems))
        return
    # The summary's buttons go at once; "Recorded E-…" is a delivery, sent by the outbox.
    turn.go(BotState.IDLE, replies.say("confirmed", edit=True))

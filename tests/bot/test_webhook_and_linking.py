"""The webhook only takes Telegram's updates, once each; only linked chats record (issue 6)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from gateway.app import create_app
from gateway.config import load_config
from registry.accounts import set_active
from registry.bot import issue_link_token
from registry.db import close_registry, open_registry
from registry.inbound import keep_telegram_update
from registry.models import Case, Entry, InboundMessage, InboundStatus, TelegramLink, User
from tests.bot.conftest import Chat, Gateway, linked_chat, message_update
from tests.factories import make_user


async def test_a_forged_secret_header_is_refused_and_nothing_is_stored(
    gateway: Gateway, case: Case
) -> None:
    update = message_update(5550009, "HHD-FA-26-6012345-S")
    assert await gateway.post(update, secret="not-the-secret") == 403
    assert await gateway.post(update, secret=None) == 403
    assert await InboundMessage.all().count() == 0
    assert gateway.api.sent_to(5550009) == []


async def test_a_body_that_is_no_update_is_refused(gateway: Gateway) -> None:
    assert await gateway.post(b"{not json") == 400
    assert await gateway.post(b'{"message": {}}') == 400
    assert await InboundMessage.all().count() == 0


async def test_an_update_nested_100000_levels_deep_is_refused_not_a_500(gateway: Gateway) -> None:
    # Issue: security under attack, 5.
    deep = b'{"update_id": 1, "message": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert await gateway.post(deep) == 400
    assert await InboundMessage.all().count() == 0


async def test_a_resent_update_is_processed_once(gateway: Gateway, chat: Chat, case: Case) -> None:
    update = message_update(chat.chat_id, "served HHD-FA-26-6012345-S hand now no police")
    assert await gateway.post(update) == 200
    summary = await chat.reply()
    assert await gateway.post(update) == 200  # Telegram resends when our 200 got lost
    await chat.press("Confirm", under=summary)  # the next update's answer comes after
    assert len(gateway.api.sent_to(chat.chat_id)) == 3  # linked, summary, recorded: no second
    kept = await InboundMessage.filter(dedupe_key=f"telegram:update:{update['update_id']}")
    assert len(kept) == 1 and kept[0].status is InboundStatus.PARSED
    assert await Entry.all().count() == 1


async def test_an_unlinked_chat_gets_only_instructions(gateway: Gateway, case: Case) -> None:
    stranger = Chat(gateway, 5550099)
    for text in ("served HHD-FA-26-6012345-S hand now no police", "/status HHD-FA-26-6012345-S"):
        answer = await stranger.say(text)
        assert "not linked" in answer.text and "Profile" in answer.text
        assert not answer.buttons
    assert await Entry.all().count() == 0


async def test_a_link_binds_the_chat_once_and_unlink_undoes_it(
    gateway: Gateway, officer: User, case: Case
) -> None:
    token = await issue_link_token(officer, now=datetime.now(UTC))
    chat = Chat(gateway, 5550002)
    assert "Jane Doe" in (await chat.say(f"/start {token}")).text
    assert (await User.get(id=officer.id)).telegram_chat_id == 5550002
    link = await TelegramLink.get()
    assert link.used_at is not None and link.chat_id == 5550002
    assert len(link.token_hash) == 64 and token not in link.token_hash

    other = Chat(gateway, 5550003)
    assert "not valid" in (await other.say(f"/start {token}")).text  # one time only
    assert "no longer linked" in (await chat.say("/unlink")).text
    assert (await User.get(id=officer.id)).telegram_chat_id is None
    assert "not linked" in (await chat.say("HHD-FA-26-6012345-S")).text


async def test_an_expired_link_does_not_bind(gateway: Gateway, officer: User) -> None:
    token = await issue_link_token(officer, now=datetime.now(UTC) - timedelta(minutes=16))
    answer = await Chat(gateway, 5550004).say(f"/start {token}")
    assert "not valid" in answer.text
    assert (await User.get(id=officer.id)).telegram_chat_id is None


async def test_deactivating_an_account_unlinks_its_chat(
    gateway: Gateway, officer: User, case: Case
) -> None:
    chat = await linked_chat(gateway, officer)
    await set_active(officer, active=False, reason="left", actor="admin", now=datetime.now(UTC))
    assert (await User.get(id=officer.id)).telegram_chat_id is None
    assert "not linked" in (await chat.say("HHD-FA-26-6012345-S")).text


async def test_a_chat_links_to_one_officer_at_a_time(gateway: Gateway, officer: User) -> None:
    chat = await linked_chat(gateway, officer)
    colleague = await make_user("marshal.roe", full_name="Sam Roe", officer_number="M-102")
    await linked_chat(gateway, colleague, chat_id=chat.chat_id)
    assert (await User.get(id=officer.id)).telegram_chat_id is None
    assert (await User.get(id=colleague.id)).telegram_chat_id == chat.chat_id


async def test_without_a_token_the_bot_is_off_with_one_log_line(
    registry_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(
        None,
        env={
            "POR_DATABASE_URL": registry_url,
            "POR_DATABASE_LOAD_DEMO_DATA": "false",
            "POR_SECURITY_AUDIT_CHECKPOINT_MINUTES": "0",
        },
    )
    with caplog.at_level(logging.INFO, logger="gateway.telegram"):
        app = create_app(config, serve_smtp=False, run_worker=False)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("gateway.telegram")] == [
        "telegram bot disabled: telegram.bot_token is not set"
    ]
    async with TestClient(TestServer(app)) as client:
        response = await client.post("/telegram/webhook", data=b"{}")
        assert response.status in (404, 405)


async def test_an_unreadable_update_is_kept_failed_and_not_resent(gateway: Gateway) -> None:
    assert await gateway.post({"update_id": 700_999_001, "message": "not a message"}) == 200
    kept = await InboundMessage.get(dedupe_key="telegram:update:700999001")
    assert kept.status is InboundStatus.FAILED


async def test_an_update_kept_but_not_handled_before_a_stop_is_handled_at_the_next_start(
    gateway: Gateway, chat: Chat, case: Case, registry_url: str
) -> None:
    await gateway.stop()
    update = message_update(chat.chat_id, "HHD-FA-26-6012345-S")
    await open_registry(registry_url, migrate=False)
    await keep_telegram_update(
        json.dumps(update).encode(), update_id=update["update_id"], now=datetime.now(UTC)
    )
    await close_registry()
    await gateway.start()
    card = await chat.reply()
    assert "Robert Jones" in card.text
    kept = await InboundMessage.get(dedupe_key=f"telegram:update:{update['update_id']}")
    assert kept.status is InboundStatus.PARSED

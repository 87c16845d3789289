"""`por-gateway telegram set-webhook` registers our URL and secret with the Bot API (issue 6)."""

from __future__ import annotations

import asyncio

import pytest

from gateway.cli import build_parser, main
from tests.bot.conftest import SECRET
from tests.bot.fake_bot_api import FakeBotAPI


async def test_set_webhook_sends_the_public_url_and_the_secret(
    fake_api: FakeBotAPI, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POR_TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    monkeypatch.setenv("POR_TELEGRAM_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("POR_TELEGRAM_API_BASE_URL", fake_api.url)
    monkeypatch.setenv("POR_SERVER_PUBLIC_URL", "https://por.example.gov/")
    status = await asyncio.to_thread(main, ["telegram", "set-webhook"])
    assert status == 0
    (call,) = [c for c in fake_api.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://por.example.gov/telegram/webhook"
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]
    assert "webhook set" in capsys.readouterr().out


def test_set_webhook_needs_a_token_and_a_secret(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("POR_TELEGRAM_BOT_TOKEN", "")
    assert main(["telegram", "set-webhook"]) == 2
    assert "telegram.bot_token" in capsys.readouterr().out


def test_set_webhook_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["telegram", "set-webhook", "--help"])
    assert capsys.readouterr().out.startswith("usage: por-gateway")

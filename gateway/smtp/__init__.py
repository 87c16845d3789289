"""The Registry Section mailbox: SMTP on the application's loop, store first, then read."""

from __future__ import annotations

from gateway.smtp.mailbox import READER, RateLimit, serve_mailbox

__all__ = ["READER", "RateLimit", "serve_mailbox"]

"""The Registry Section mailbox: SMTP on the application's loop, store first, then read."""

from __future__ import annotations

from gateway.smtp.limits import ClientPlaces, RateLimit, client_address
from gateway.smtp.mailbox import READER, serve_mailbox

__all__ = ["READER", "ClientPlaces", "RateLimit", "client_address", "serve_mailbox"]

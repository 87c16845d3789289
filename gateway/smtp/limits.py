"""What one client may take of the mailbox: open connections and messages per minute.

Plain counters with no SMTP in them, so the rules can be tested without a socket. A client is
counted by the address it connects from (`client_address`), which it cannot choose freely the
way it chooses a MAIL FROM address.
"""

from __future__ import annotations

import ipaddress
import time
from collections import Counter, deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0
# An IPv6 end site is given a /64 at the very least (RFC 6177), so one sender holds every
# address in it: counting single addresses would give it 2**64 budgets.
IPV6_CLIENT_PREFIX = 64


def client_address(peer: object) -> str:
    """Return what a client's limits are counted by: its IPv4 address or its IPv6 /64."""
    host = peer[0] if isinstance(peer, tuple) and peer else peer
    text = str(host).split("%", 1)[0]  # an IPv6 zone ("fe80::1%eth0") names no other client
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return text  # not an IP peer (a Unix socket): one client
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # an IPv4 client of a dual-stack listener
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/{IPV6_CLIENT_PREFIX}", strict=False))
    return str(ip)


class RateLimit:
    """At most `per_minute` messages per key (a sender or a client address) in any sliding minute.

    0 means no limit. Keys are compared without regard to case.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.seen: dict[str, deque[float]] = {}
        self.swept = clock()

    def has_room(self, key: str) -> bool:
        """Say whether one more message from `key` is allowed now, without counting it."""
        if self.per_minute <= 0:
            return True
        times = self.seen.get(key.lower())
        if not times:
            return True
        now = self.clock()
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        return len(times) < self.per_minute

    def count(self, key: str) -> None:
        """Count one message from `key` now."""
        if self.per_minute <= 0:
            return
        now = self.clock()
        self.seen.setdefault(key.lower(), deque()).append(now)
        if now - self.swept >= WINDOW_SECONDS:
            self._forget_idle(now)

    def allow(self, key: str) -> bool:
        """Count one message from `key` if it is allowed; say whether it was."""
        if not self.has_room(key):
            return False
        self.count(key)
        return True

    def _forget_idle(self, now: float) -> None:
        # Once a minute: a sender choosing a new MAIL FROM address each time must not grow
        # this table for as long as the process runs.
        self.seen = {key: t for key, t in self.seen.items() if now - t[-1] < WINDOW_SECONDS}
        self.swept = now


class ClientPlaces:
    """At most `per_client` connections open at once per client address; 0 means no limit."""

    def __init__(self, per_client: int) -> None:
        self.per_client = per_client
        self.open: Counter[str] = Counter()

    def take(self, client: str) -> bool:
        """Take a place for a new connection from `client`; False when it has none left."""
        if self.per_client > 0 and self.open[client] >= self.per_client:
            return False
        self.open[client] += 1
        return True

    def give_back(self, client: str) -> None:
        """Free the place of a connection that ended (call once per successful `take`)."""
        self.open[client] -= 1
        if self.open[client] <= 0:
            del self.open[client]

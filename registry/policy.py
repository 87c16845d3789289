"""The registry's policy numbers, as plain values handed down from the configuration."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

REGISTRY_ZONE = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Policy:
    zone: ZoneInfo = REGISTRY_ZONE
    # Service must be recorded no later than two hours after it was executed.
    prompt_entry: timedelta = timedelta(hours=2)
    # Service is due 3 days before the hearing (Public Act 16-34 cut it from 5).
    service_due_days: int = 3
    # Phones and laptops drift: a time this close ahead of the server's clock is not "future".
    future_tolerance: timedelta = timedelta(minutes=5)

    def read_local(self, day: str, clock: str) -> datetime | None:
        """Read a form's date (2026-11-03) and time (14:40) as a moment in the registry's zone.

        The one reader of typed dates and times: every form (officer, staff) goes through it.
        """
        try:
            return datetime.combine(
                date.fromisoformat(day.strip()), time.fromisoformat(clock.strip()), self.zone
            )
        except ValueError:
            return None

    def local(self, moment: datetime) -> datetime:
        """Return a UTC moment in the registry's zone."""
        return moment.astimezone(self.zone)

    def describe(self, moment: datetime) -> str:
        """Return a moment as staff and officers read it, e.g. 'Nov 3, 2026 2:40 PM EST'."""
        local = self.local(moment)
        return f"{local:%b} {local.day}, {local.year} {local:%I:%M %p %Z}".replace(" 0", " ")

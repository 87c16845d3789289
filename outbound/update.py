"""Check a service update for one receiver and format its fields as that receiver expects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from outbound.transport import TransportError
from registry.enums import Adapter
from registry.switch_fields import problems_for, switch_name, switch_officer

METHODS = {"hand": "HAND", "abode": "ABODE"}
ORDER_TYPES = {
    "restraining": "Restraining order (C.G.S. 46b-15)",
    "civil_protection": "Civil protection order (C.G.S. 46b-16a)",
}


@dataclass(frozen=True)
class Served:
    """When, how and by whom service was made, as a message carries it."""

    local: datetime  # in the registry's zone
    date: str  # CCYYMMDD, local
    time: str  # HHMM, local
    method: str  # HAND or ABODE
    police_assistance: str  # Y or N
    officer: str  # upper case, in the switch's letters
    officer_as_written: str
    recorded_local: datetime

    @property
    def recorded(self) -> str:
        return f"{self.recorded_local:%Y%m%d%H%M}"


@dataclass(frozen=True)
class Correction:
    """The earlier service a correction replaces, and what changed."""

    entry: str  # the earlier entry's reference
    key: str  # the idempotency key of the earlier message to this receiver ("" when none)
    before: Served
    changes: tuple[tuple[str, str, str], ...]  # (what, before, after), as the fax names them


@dataclass(frozen=True)
class ServiceUpdate:
    """The fields of one service update, formatted as every receiver expects."""

    key: str
    entry: str
    docket: str
    court_ori: str
    court_name: str
    order_type: str
    nic: str
    name: str  # LAST, GIVEN SUFFIX in the switch's letters (registry/switch_fields.py)
    name_as_written: str  # Last, First exactly as the court wrote it, for the fax
    hearing_date: date | None
    firearms: bool
    served: Served
    corrects: Correction | None

    # The served fields at the top level, as the shipped and deployed templates name them.
    @property
    def served_date(self) -> str:
        return self.served.date

    @property
    def served_time(self) -> str:
        return self.served.time

    @property
    def method(self) -> str:
        return self.served.method

    @property
    def police_assistance(self) -> str:
        return self.served.police_assistance

    @property
    def officer(self) -> str:
        return self.served.officer

    @property
    def recorded(self) -> str:
        return self.served.recorded

    @property
    def served_local(self) -> datetime:
        return self.served.local

    @property
    def recorded_local(self) -> datetime:
        return self.served.recorded_local


def check_update(payload: dict[str, Any], key: str, receiver: str) -> ServiceUpdate:
    """Return the update as `receiver` takes it, or raise a permanent `TransportError`.

    Only the fields that receiver's message carries are checked: a value that one receiver
    cannot take fails that delivery alone.
    """
    problems = problems_for(Adapter(receiver), payload)
    if problems:
        raise TransportError("; ".join(problems), permanent=True)
    try:
        return _update(payload, key)
    except (KeyError, ValueError, TypeError) as exc:
        raise TransportError(f"service update is incomplete: {exc}", permanent=True) from None


def _update(payload: dict[str, Any], key: str) -> ServiceUpdate:
    first = str(payload["respondent_first_name"]).strip()
    last = str(payload["respondent_last_name"]).strip()
    zone = ZoneInfo(str(payload.get("zone") or "America/New_York"))
    served = _served(payload, zone)
    corrects = payload.get("corrects")
    hearing = payload.get("hearing_date")
    return ServiceUpdate(
        key=key,
        entry=str(payload.get("entry") or ""),
        docket=str(payload["docket"]),
        court_ori=str(payload["court_ori"] or ""),
        court_name=str(payload.get("court_name") or ""),
        order_type=ORDER_TYPES.get(str(payload["order_type"]), ""),
        nic=str(payload.get("nic") or ""),
        name=switch_name(last, first).value,
        name_as_written=f"{last}, {first}" if first and last else last or first,
        hearing_date=date.fromisoformat(hearing) if hearing else None,
        firearms=bool(payload.get("firearms")),
        served=served,
        corrects=_correction(corrects, served, zone) if isinstance(corrects, dict) else None,
    )


def _served(values: dict[str, Any], zone: ZoneInfo) -> Served:
    # In the zone itself, not only its offset: every time the fax prints carries its name.
    local = datetime.fromisoformat(str(values["occurred_local"])).astimezone(zone)
    officer = str(values["officer"]).strip()
    return Served(
        local=local,
        date=f"{local:%Y%m%d}",
        time=f"{local:%H%M}",
        method=METHODS[str(values["method"])],
        police_assistance="Y" if values["police_assistance"] else "N",
        officer=switch_officer(officer),
        officer_as_written=officer,
        recorded_local=datetime.fromisoformat(str(values["recorded_local"])).astimezone(zone),
    )


def _correction(earlier: dict[str, Any], now: Served, zone: ZoneInfo) -> Correction:
    before = _served(earlier, zone)
    yes_no = {"Y": "yes", "N": "no"}
    compared = (
        ("Served", when(before.local), when(now.local)),
        ("Method", before.method, now.method),
        ("Police assistance requested", yes_no[before.police_assistance],
         yes_no[now.police_assistance]),
        ("Serving officer", before.officer_as_written, now.officer_as_written),
    )  # fmt: skip
    return Correction(
        entry=str(earlier.get("entry") or ""),
        key=str(earlier.get("key") or ""),
        before=before,
        changes=tuple(change for change in compared if change[1] != change[2]),
    )


def when(moment: datetime) -> str:
    """A local time as the fax prints it, always with its zone: 11/02/2026 09:30 EST."""
    return f"{moment:%m/%d/%Y %H:%M %Z}"

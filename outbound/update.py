"""Check a service update against the field rules and format it for the receivers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from outbound.transport import TransportError

# Field rules: ../shared/domain/outbound-formats.md, "Service update".
DOCKET = re.compile(r"^[A-Z]{3}-(FA|CV)-\d{2}-\d{7}-S$")
ORI = re.compile(r"^CT[A-Z0-9]{7}$")
NIC = re.compile(r"^[A-Z]\d{9}$")
NAME = re.compile(r"^[A-Z][A-Z '\-]*, [A-Z][A-Z '\-]*$")
OFFICER = re.compile(r"^[A-Z][A-Z .'\-]*$")
METHODS = {"hand": "HAND", "abode": "ABODE"}
ORDER_TYPES = {
    "restraining": "Restraining order (C.G.S. 46b-15)",
    "civil_protection": "Civil protection order (C.G.S. 46b-16a)",
}


@dataclass(frozen=True)
class ServiceUpdate:
    """The validated fields of one service update, formatted as every receiver expects."""

    key: str
    entry: str
    docket: str
    court_ori: str
    court_name: str
    order_type: str
    nic: str
    name: str
    served_date: str  # CCYYMMDD, local
    served_time: str  # HHMM, local
    method: str
    police_assistance: str  # Y or N
    officer: str
    recorded: str  # CCYYMMDDHHMM, local
    served_local: datetime
    recorded_local: datetime


def check_update(payload: dict[str, Any], key: str) -> ServiceUpdate:
    """Return the formatted update, or raise a permanent `TransportError` naming the bad field."""
    try:
        served = datetime.fromisoformat(str(payload["occurred_local"]))
        recorded = datetime.fromisoformat(str(payload["recorded_local"]))
        first = str(payload["respondent_first_name"]).strip().upper()
        last = str(payload["respondent_last_name"]).strip().upper()
        update = ServiceUpdate(
            key=key,
            entry=str(payload.get("entry") or ""),
            docket=str(payload["docket"]),
            court_ori=str(payload["court_ori"] or ""),
            court_name=str(payload.get("court_name") or ""),
            order_type=ORDER_TYPES.get(str(payload["order_type"]), ""),
            nic=str(payload.get("nic") or ""),
            name=f"{last}, {first}",
            served_date=f"{served:%Y%m%d}",
            served_time=f"{served:%H%M}",
            method=METHODS.get(str(payload["method"]), ""),
            police_assistance={True: "Y", False: "N"}.get(payload["police_assistance"], ""),
            officer=str(payload["officer"]).strip().upper(),
            recorded=f"{recorded:%Y%m%d%H%M}",
            served_local=served,
            recorded_local=recorded,
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise TransportError(f"service update is incomplete: {exc}", permanent=True) from None
    _check_fields(update)
    return update


def _check_fields(u: ServiceUpdate) -> None:
    problems = []
    if not DOCKET.match(u.docket):
        problems.append(f"docket {u.docket!r} is not LLL-TT-YY-NNNNNNN-S")
    if not ORI.match(u.court_ori):
        problems.append(f"court ORI {u.court_ori!r} is not CT + 7 letters or digits")
    if u.nic and not NIC.match(u.nic):
        problems.append(f"NIC {u.nic!r} is not a letter and 9 digits")
    if not (3 <= len(u.name) <= 30 and NAME.match(u.name)):
        problems.append(f"name {u.name!r} must be LAST, FIRST in 3-30 letters")
    if not u.order_type:
        problems.append("order type is unknown")
    if not u.method:
        problems.append("method must be HAND or ABODE")
    if not u.police_assistance:
        problems.append("police assistance must be Y or N")
    if not (1 <= len(u.officer) <= 30 and OFFICER.match(u.officer)):
        problems.append(f"officer {u.officer!r} must be at most 30 letters")
    if problems:
        # A field that breaks its rule is never truncated or guessed: the delivery goes dead.
        raise TransportError("; ".join(problems), permanent=True)

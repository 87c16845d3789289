"""The officer's entry forms: read what was typed into an EntryDraft, or say what is wrong."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from parsers.reasons import ATTEMPT_REASONS
from registry.entries import EntryDraft, Problem
from registry.models import Activity, Method
from registry.policy import Policy

# URL slug of each action on the case screen, its activity and its title.
ACTIONS: dict[str, tuple[Activity, str]] = {
    "service": (Activity.SERVICE, "Service"),
    "attempt": (Activity.ATTEMPT, "Attempt"),
    "received": (Activity.RECEIVED, "Process received"),
    "transferred": (Activity.TRANSFERRED, "Transferred"),
    "other": (Activity.OTHER, "Other information"),
}
FIELDS = (
    "method",
    "date",
    "time",
    "police",
    "reason_code",
    "reason_text",
    "transferred_to",
    "note",
)
ATTEMPT_REASON_CHOICES = tuple(term for term, _ in ATTEMPT_REASONS)
# Problems from record_entry name draft fields; the form shows them next to its own fields.
FIELD_OF_PROBLEM = {
    "occurred_at": "time",
    "method": "method",
    "police_assistance": "police",
    "reason": "reason_code",
    "transferred_to_id": "transferred_to",
    "note": "note",
}


@dataclass(frozen=True)
class ReadForm:
    values: dict[str, str]
    draft: EntryDraft | None
    errors: dict[str, str]


def read_entry_form(
    docket: str, activity: Activity, form: Mapping[str, object], policy: Policy
) -> ReadForm:
    """Turn the posted fields into a draft, or into plain-words errors next to each field."""
    values = {name: str(form.get(name, "") or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    method = police = occurred = transferred_to = None
    if activity is Activity.SERVICE:
        if values["method"] not in ("hand", "abode"):
            errors["method"] = "choose Hand or Abode"
        else:
            method = Method(values["method"])
    if activity in (Activity.SERVICE, Activity.ATTEMPT):
        if values["police"] not in ("yes", "no"):
            errors["police"] = "say whether police assistance was requested"
        police = values["police"] == "yes"
    if activity is not Activity.OTHER:
        occurred = _read_time(values, policy, errors)
    if activity is Activity.TRANSFERRED:
        if not values["transferred_to"].isdigit():
            errors["transferred_to"] = "choose the officer the process went to"
        else:
            transferred_to = int(values["transferred_to"])
    reason = None
    if activity is Activity.ATTEMPT:
        if values["reason_code"] and values["reason_code"] not in ATTEMPT_REASON_CHOICES:
            errors["reason_code"] = "choose a reason from the list"
        parts = [values["reason_code"], values["reason_text"]]
        reason = ": ".join(p for p in parts if p) or None
        if reason is None:
            errors["reason_code"] = "say why service could not be made"
    if activity is Activity.OTHER and not values["note"]:
        errors["note"] = "write the information to record"
    if errors:
        return ReadForm(values, None, errors)
    draft = EntryDraft(
        docket_number=docket,
        activity=activity,
        occurred_at=occurred,
        method=method,
        police_assistance=police if activity in (Activity.SERVICE, Activity.ATTEMPT) else None,
        reason=reason,
        transferred_to_id=transferred_to,
        note=values["note"] or None,
    )
    return ReadForm(values, draft, {})


def _read_time(values: dict[str, str], policy: Policy, errors: dict[str, str]) -> datetime | None:
    """Read the date and time fields as the registry's local time (the officer's watch)."""
    try:
        day = date.fromisoformat(values["date"])
    except ValueError:
        errors["date"] = "give the date, like 2026-11-03"
        return None
    try:
        clock = time.fromisoformat(values["time"])
    except ValueError:
        errors["time"] = "give the time, like 14:40"
        return None
    return datetime.combine(day, clock, tzinfo=policy.zone)


def problems_by_field(problems: tuple[Problem, ...]) -> dict[str, str]:
    """Place record_entry's problems next to the form's fields (the rest go at the top)."""
    errors: dict[str, str] = {}
    for problem in problems:
        field = FIELD_OF_PROBLEM.get(problem.field, "form")
        errors[field] = (
            f"{errors[field]}; {problem.message}" if field in errors else problem.message
        )
    return errors

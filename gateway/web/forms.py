"""The entry forms (officer's and staff's review): read what was typed into an EntryDraft.

The only place a form becomes a draft; the registry checks the draft's rules after.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

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
    occurred = policy.read_local(values["date"], values["time"])
    if occurred is None:
        if policy.read_local(values["date"], "00:00") is None:
            errors["date"] = "give the date, like 2026-11-03"
        else:
            errors["time"] = "give the time, like 14:40"
    return occurred


def read_review_form(
    values: Mapping[str, str], policy: Policy
) -> tuple[EntryDraft | None, list[Problem]]:
    """Turn an emailed report's review form (as staff saved it) into a draft, or say which
    fields cannot be read; the registry's rules are checked by `record_entry` after."""
    try:
        activity = Activity(values["activity"])
    except ValueError:
        return None, [Problem("activity", "choose the activity")]
    problems: list[Problem] = []
    method = None
    if values["method"]:
        try:
            method = Method(values["method"])
        except ValueError:
            problems.append(Problem("method", "choose Hand or Abode"))
    occurred = policy.read_local(values["date"], values["time"])
    if values["date"] and values["time"] and occurred is None:
        problems.append(
            Problem("occurred_at", "give the date like 2026-11-03, the time like 14:40")
        )
    transferred_to = values["transferred_to"]
    draft = EntryDraft(
        docket_number=values["docket_number"],
        activity=activity,
        occurred_at=occurred,
        method=method,
        police_assistance={"yes": True, "no": False}.get(values["police"]),
        reason=values["reason"] or None,
        transferred_to_id=int(transferred_to) if transferred_to.isdigit() else None,
        note=values["note"] or None,
    )
    return (None if problems else draft), problems


def problems_by_field(problems: tuple[Problem, ...]) -> dict[str, str]:
    """Place record_entry's problems next to the form's fields (the rest go at the top)."""
    errors: dict[str, str] = {}
    for problem in problems:
        field = FIELD_OF_PROBLEM.get(problem.field, "form")
        errors[field] = (
            f"{errors[field]}; {problem.message}" if field in errors else problem.message
        )
    return errors

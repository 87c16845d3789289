"""Finding a case, and what the screens show of it: its entries, a receipt, an officer's own."""

from __future__ import annotations

from parsers.docket import DocketError, normalize_docket
from registry.models import Case, Entry, Role, User

NOT_IN_REGISTRY = (
    "No case {docket} in the registry — check the number, or the clerk may not have entered it yet"
)


class CaseNotFound(LookupError):
    """No case answers to the docket given; `reason` says so in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def find_case(docket_text: str, *related: str) -> Case:
    """Return the case for a docket number written any usual way, or raise CaseNotFound.

    The one case look-up of every channel: the court comes with it, and any `related` fields.
    """
    try:
        docket = normalize_docket(docket_text)
    except DocketError as exc:
        raise CaseNotFound(exc.reason) from None
    case = await Case.get_or_none(docket_number=docket).prefetch_related("court", *related)
    if case is None:
        raise CaseNotFound(NOT_IN_REGISTRY.format(docket=docket))
    return case


async def case_entries(case: Case) -> list[Entry]:
    """Return a case's entries, newest first, with who recorded them and their deliveries."""
    return (
        await Entry.filter(case_id=case.id)
        .order_by("-recorded_at", "-id")
        .prefetch_related("officer", "transferred_to", "deliveries")
    )


async def entry_receipt(entry_id: int, *, viewer: User) -> Entry | None:
    """Return an entry with its case and deliveries, if the viewer may see it."""
    entry = await Entry.get_or_none(id=entry_id).prefetch_related(
        "case", "case__court", "officer", "transferred_to", "deliveries"
    )
    if entry is None:
        return None
    if viewer.role is Role.OFFICER and entry.officer_id != viewer.id:  # type: ignore[attr-defined]
        return None
    return entry


async def officer_entries(officer: User, *, limit: int = 50) -> list[Entry]:
    """Return an officer's own most recent entries with their cases and deliveries."""
    return (
        await Entry.filter(officer_id=officer.id)
        .order_by("-recorded_at", "-id")
        .limit(limit)
        .prefetch_related("case", "deliveries")
    )


async def active_officers(*, excluding: User | None = None) -> list[User]:
    """Return the active officers process may be transferred to, by name."""
    query = User.filter(active=True, role=Role.OFFICER)
    if excluding is not None:
        query = query.exclude(id=excluding.id)
    return await query.order_by("full_name")


async def all_accounts() -> list[User]:
    """Return every account for the staff list, active first, then by name."""
    return await User.all().order_by("-active", "full_name")

"""Build registry rows for tests, with the fewest fields each test has to name."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from registry.models import Case, Court, OrderType, Role, Town, User

T0 = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # Nov 2, 2026 10:00 EST


async def make_case(
    docket: str = "HHD-FA-26-6012345-S",
    *,
    hearing: date = date(2026, 11, 10),
    respondent_town: str | None = "Hartford",
    protected_home_town: str | None = "West Hartford",
    protected_work_town: str | None = "Hartford",
    created_at: datetime = datetime(2026, 10, 30, 12, 0, tzinfo=UTC),
    **fields: Any,
) -> Case:
    """Create a case as the daybook would, in the towns named."""
    towns = {}
    for key, name in (
        ("respondent_town", respondent_town),
        ("protected_home_town", protected_home_town),
        ("protected_work_town", protected_work_town),
    ):
        towns[key] = await Town.get(name=name) if name else None
    values: dict[str, Any] = {
        "court": await Court.get(code=docket[:3]),
        "order_type": OrderType.RESTRAINING if "-FA-" in docket else OrderType.CIVIL_PROTECTION,
        "respondent_first_name": "Robert",
        "respondent_last_name": "Jones",
        "hearing_date": hearing,
        "created_at": created_at,
        "updated_at": created_at,
    }
    values.update(towns)
    values.update(fields)
    return await Case.create(docket_number=docket, **values)


async def make_user(
    username: str = "marshal.doe",
    *,
    role: Role = Role.OFFICER,
    full_name: str = "Jane Doe",
    active: bool = True,
    **fields: Any,
) -> User:
    """Create an account without paying for a real password hash."""
    return await User.create(
        username=username,
        full_name=full_name,
        role=role,
        active=active,
        password_hash="not-a-usable-hash",
        created_at=T0,
        **fields,
    )

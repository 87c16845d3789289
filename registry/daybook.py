"""Import cases from the clerk's daybook: an idempotent upsert that reports each bad row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from parsers.docket import DocketError, normalize_docket
from registry.audit import record_event
from registry.models import Case, Court, OrderType, Town

COLUMNS = (
    "court",
    "docket",
    "order_type",
    "respondent_first_name",
    "respondent_last_name",
    "hearing_date",
    "firearms",
    "respondent_town",
    "protected_home_town",
    "protected_work_town",
)
OPTIONAL = frozenset({"firearms", "respondent_town", "protected_home_town", "protected_work_town"})
_ORDER_TYPES = {
    "restraining": OrderType.RESTRAINING,
    "46b-15": OrderType.RESTRAINING,
    "civil_protection": OrderType.CIVIL_PROTECTION,
    "civil protection": OrderType.CIVIL_PROTECTION,
    "46b-16a": OrderType.CIVIL_PROTECTION,
}
# The docket's case type says which statute the order was issued under.
_CASE_TYPE = {OrderType.RESTRAINING: "FA", OrderType.CIVIL_PROTECTION: "CV"}
_TRUE = {"y", "yes", "true", "1"}
_FALSE = {"n", "no", "false", "0", ""}


class DaybookFormatError(ValueError):
    """The file as a whole cannot be read (no header, unknown format)."""


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"line": e.line, "reason": e.reason} for e in self.errors],
        }


def read_rows(text: str, fmt: str) -> Iterator[tuple[int, Mapping[str, Any] | RowError]]:
    """Yield (line number, row) from CSV or JSON lines; an unreadable line yields a RowError."""
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DaybookFormatError(f"the CSV header lacks: {', '.join(missing)}")
        for row in reader:
            yield reader.line_num, row
    elif fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, RowError(number, f"not valid JSON: {exc.msg}")
                continue
            if not isinstance(row, dict):
                yield number, RowError(number, "each line must be a JSON object")
                continue
            yield number, row
    else:
        raise DaybookFormatError(f"unknown daybook format {fmt!r} (csv or jsonl)")


async def import_daybook(text: str, fmt: str, *, now: datetime, actor: str) -> ImportReport:
    """Upsert every good row; bad rows are reported with their line and do not stop the rest."""
    report = ImportReport()
    courts = {c.code: c for c in await Court.all()}
    towns = {t.name.lower(): t for t in await Town.all()}
    for line, row in read_rows(text, fmt):
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        try:
            values = _case_values(row, courts, towns)
        except ValueError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        outcome = await _upsert(values, now=now, actor=actor)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _case_values(
    row: Mapping[str, Any], courts: Mapping[str, Court], towns: Mapping[str, Town]
) -> dict[str, Any]:
    """Check one row and return the Case fields it sets; ValueError names what is wrong."""
    text = {c: str(row.get(c) if row.get(c) is not None else "").strip() for c in COLUMNS}
    for column in COLUMNS:
        if column not in OPTIONAL and not text[column]:
            raise ValueError(f"{column} is empty")
    try:
        docket = normalize_docket(text["docket"])
    except DocketError as exc:
        raise ValueError(f"docket: {exc.reason}") from None
    court = courts.get(text["court"].upper())
    if court is None:
        raise ValueError(f"court: unknown location code {text['court']!r}")
    if not docket.startswith(court.code + "-"):
        raise ValueError(f"docket {docket} does not belong to court {court.code}")
    order_type = _ORDER_TYPES.get(text["order_type"].lower())
    if order_type is None:
        raise ValueError(
            f"order_type: {text['order_type']!r} is not restraining (46b-15) "
            "or civil_protection (46b-16a)"
        )
    if docket.split("-")[1] != _CASE_TYPE[order_type]:
        raise ValueError(f"docket {docket} is not a {_CASE_TYPE[order_type]} docket")
    try:
        hearing = date.fromisoformat(text["hearing_date"])
    except ValueError:
        raise ValueError(f"hearing_date: {text['hearing_date']!r} is not YYYY-MM-DD") from None
    firearms = text["firearms"].lower()
    if firearms not in _TRUE | _FALSE:
        raise ValueError(f"firearms: {text['firearms']!r} is not yes or no")
    values: dict[str, Any] = {
        "docket_number": docket,
        "court_id": court.id,
        "order_type": order_type,
        "respondent_first_name": text["respondent_first_name"],
        "respondent_last_name": text["respondent_last_name"],
        "hearing_date": hearing,
        "firearms": firearms in _TRUE,
    }
    for column in ("respondent_town", "protected_home_town", "protected_work_town"):
        name = text[column]
        town = towns.get(name.lower()) if name else None
        if name and town is None:
            raise ValueError(f"{column}: {name!r} is not a Connecticut town")
        values[f"{column}_id"] = town.id if town else None
    return values


async def _upsert(values: dict[str, Any], *, now: datetime, actor: str) -> str:
    """Create or update one case; return which of created/updated/unchanged happened."""
    async with in_transaction() as conn:
        case = (
            await Case.filter(docket_number=values["docket_number"])
            .using_db(conn)
            .select_for_update()
            .first()
        )
        if case is None:
            case = await Case.create(**values, created_at=now, updated_at=now, using_db=conn)
            changes = {k: [None, _plain(v)] for k, v in values.items()}
            outcome = "created"
        else:
            changes = {
                k: [_plain(getattr(case, k)), _plain(v)]
                for k, v in values.items()
                if getattr(case, k) != v
            }
            if not changes:
                return "unchanged"
            await Case.filter(id=case.id).using_db(conn).update(**values, updated_at=now)
            outcome = "updated"
        await record_event(
            actor=actor,
            action=f"case.{outcome}",
            object_type="case",
            object_id=values["docket_number"],
            at=now,
            details={"changes": changes},
            connection=conn,
        )
    return outcome


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, OrderType):
        return value.value
    return value

"""Import cases from the clerk's daybook: an idempotent upsert that reports each bad row."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.transactions import in_transaction

from parsers.docket import DocketError, normalize_docket
from registry.audit import record_event
from registry.enums import Adapter
from registry.models import Case, Court, OrderType, Town
from registry.switch_fields import NAME_FIELD, problems_for, switch_name

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
# A one-word name is written in either name column; `_names` wants at least one of them.
OPTIONAL = frozenset(
    {
        "firearms",
        "respondent_town",
        "protected_home_town",
        "protected_work_town",
        "respondent_first_name",
        "respondent_last_name",
    }
)
NAME_LENGTH = 64  # Case.respondent_first_name / _last_name
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


@dataclass(frozen=True)
class RowWarning:
    """An imported case whose data one receiver cannot take as it is: staff should look."""

    line: int
    docket: str
    field: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowWarning] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"line": e.line, "reason": e.reason} for e in self.errors],
            "warnings": [
                {"line": w.line, "docket": w.docket, "field": w.field, "message": w.message}
                for w in self.warnings
            ],
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
            except RecursionError:  # a row is flat: arrays in arrays are never a case
                yield number, RowError(number, "not valid JSON: nested too deep")
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
    towns = {t.name.lower(): t for t in await Town.all().prefetch_related("agency")}
    for line, row in read_rows(text, fmt):
        if isinstance(row, RowError):
            report.errors.append(row)
            continue
        try:
            values = _case_values(row, courts, towns)
        except ValueError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        warnings = [
            RowWarning(line, values["docket_number"], column, message)
            for column, message in message_warnings(values, courts, towns)
        ]
        outcome = await _upsert(values, warnings, now=now, actor=actor)
        setattr(report, outcome, getattr(report, outcome) + 1)
        report.warnings += warnings
    return report


def message_warnings(
    values: Mapping[str, Any], courts: Mapping[str, Court], towns: Mapping[str, Town]
) -> list[tuple[str, str]]:
    """Say, by column, what of a case a receiver's message will shorten or cannot carry.

    The case is imported all the same; a delivery its receiver cannot take is held for staff
    when a service is recorded, and the others go.
    """
    court = next(c for c in courts.values() if c.id == values["court_id"])
    sample = {
        "docket": values["docket_number"],
        "court_ori": court.ori,
        "method": "hand",
        "police_assistance": False,
        "respondent_first_name": values["respondent_first_name"],
        "respondent_last_name": values["respondent_last_name"],
    }
    found: dict[str, str] = {}
    for problem in problems_for(Adapter.COLLECT, sample):  # NCIC carries the same fields
        found.setdefault("court", f"{problem}: the state switch and NCIC messages will be held")
    name = switch_name(values["respondent_last_name"], values["respondent_first_name"])
    if not name.has_letters:
        found.setdefault(
            "respondent_last_name",
            "no letter of the name can be written in the state switch and NCIC name field: "
            f"they will get {name.value!r}",
        )
    if name.shortened:
        found.setdefault(
            "respondent_last_name",
            f"the name is longer than the {NAME_FIELD}-character name field: "
            f"the state switch and NCIC will get {name.value!r}",
        )
    by_id = {t.id: t for t in towns.values()}
    for column in ("respondent_town", "protected_home_town", "protected_work_town"):
        town = by_id.get(values[f"{column}_id"])
        if town is None:
            continue
        agency = town.agency
        fax = {"name": agency.name, "fax": agency.fax_number}
        for problem in problems_for(Adapter.FAX, sample | {"agency": fax}):
            found.setdefault(column, f"{problem}: its fax will be held")
    return list(found.items())


def _case_values(
    row: Mapping[str, Any], courts: Mapping[str, Court], towns: Mapping[str, Town]
) -> dict[str, Any]:
    """Check one row and return the Case fields it sets; ValueError names what is wrong."""
    text = {c: str(row.get(c) if row.get(c) is not None else "").strip() for c in COLUMNS}
    for column in COLUMNS:
        if column not in OPTIONAL and not text[column]:
            raise ValueError(f"{column} is empty")
    names = _names(text)
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
        **names,
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


def _names(text: Mapping[str, str]) -> dict[str, str]:
    """The respondent's names exactly as the court wrote them, refused only when unusable."""
    names = {c: text[c] for c in ("respondent_first_name", "respondent_last_name")}
    if not any(names.values()):
        raise ValueError("respondent_last_name and respondent_first_name are both empty")
    for column, name in names.items():
        if len(name) > NAME_LENGTH:
            raise ValueError(f"{column} is longer than {NAME_LENGTH} characters")
        if name and not any(c.isalpha() for c in name):
            raise ValueError(f"{column}: {name!r} has no letters")
        if any(unicodedata.category(c)[0] == "C" for c in name):
            raise ValueError(f"{column}: {name!r} holds a control character")
    return names


async def _upsert(
    values: dict[str, Any], warnings: list[RowWarning], *, now: datetime, actor: str
) -> str:
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
            details={"changes": changes}
            | ({"warnings": {w.field: w.message for w in warnings}} if warnings else {}),
            connection=conn,
        )
    return outcome


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, OrderType):
        return value.value
    return value

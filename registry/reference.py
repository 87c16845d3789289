"""Load the code tables shipped as data: courts, and towns with their covering agencies."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from importlib import resources

from tortoise.transactions import in_transaction

from registry.models import Agency, AgencyKind, Court, Town


@dataclass(frozen=True)
class ReferenceCounts:
    courts: int
    agencies: int
    towns: int
    towns_version: str


def _data_text(name: str) -> str:
    return resources.files("registry").joinpath("data", name).read_text(encoding="utf-8")


async def load_reference_data(towns_csv: str | None = None) -> ReferenceCounts:
    """Upsert courts, agencies and towns; unchanged data is left untouched."""
    courts_text = _data_text("courts.csv")
    towns_text = towns_csv if towns_csv is not None else _data_text("towns.csv")
    version = hashlib.sha256(towns_text.encode()).hexdigest()[:16]
    town_rows = list(csv.DictReader(io.StringIO(towns_text)))
    async with in_transaction() as conn:
        for row in csv.DictReader(io.StringIO(courts_text)):
            await Court.update_or_create(
                code=row["code"],
                defaults={"name": row["name"], "town": row["town"], "ori": row["ori"]},
                using_db=conn,
            )
        if not await Town.filter(table_version=version).using_db(conn).exists():
            agencies: dict[str, Agency] = {}
            for row in town_rows:
                name = row["agency_name"].strip()
                if name not in agencies:
                    agency, _ = await Agency.update_or_create(
                        name=name,
                        defaults={
                            "kind": AgencyKind(row["agency_kind"].strip()),
                            "troop": row["troop"].strip() or None,
                            "ori": row["ori"].strip() or None,
                        },
                        using_db=conn,
                    )
                    agencies[name] = agency
                await Town.update_or_create(
                    name=row["town"].strip(),
                    defaults={
                        "county": row["county"].strip(),
                        "agency": agencies[name],
                        "table_version": version,
                        "source": row["source"].strip(),
                    },
                    using_db=conn,
                )
    return ReferenceCounts(
        courts=await Court.all().count(),
        agencies=await Agency.all().count(),
        towns=await Town.all().count(),
        towns_version=version,
    )

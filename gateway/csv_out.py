"""Every CSV the gateway writes: cells that a spreadsheet would run as a formula are defused.

OWASP's rule for CSV injection: a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe, so a respondent named `=1+2` in the daybook is shown, not run.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """The value as a CSV cell: text that could start a formula is quoted with an apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Write a header and rows, every cell through `cell`."""
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in header])
    writer.writerows([cell(value) for value in row] for row in rows)

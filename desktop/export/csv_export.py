"""CSV that opens right in Excel and LibreOffice: RFC 4180, CRLF, UTF-8 with BOM, no formula ever run.

Cells that start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are prefixed with ``'``
(OWASP's advice against CSV injection); a cell longer than Excel's 32,767 characters is reported by row.
The file is written beside its target and moved into place only when complete.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

ARTICLE_COLUMNS = (
    "id", "title", "title_kind", "agency", "place", "date", "date_precision", "source", "sha256",
    "tags", "notes", "annotation_count", "reference", "text",
)  # fmt: skip
DEFAULT_ARTICLE_COLUMNS = ARTICLE_COLUMNS[:-1]  # the text is asked for, not given by default
ANNOTATION_COLUMNS = (
    "article_id", "article_title", "agency", "date", "exact", "prefix", "suffix", "start", "end",
    "note", "tags", "status", "created", "modified",
)  # fmt: skip
EXCEL_CELL_LIMIT = 32_767
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A cell a spreadsheet would read as a formula, made plain text."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


@dataclass(slots=True)
class CsvReport:
    path: Path
    rows: int = 0
    long_cells: list[tuple[int, str]] = field(default_factory=list)  # (row number, counting the header as 1; column)

    def warnings(self) -> list[str]:
        return [
            f"row {row}: the {column} cell passes Excel's {EXCEL_CELL_LIMIT:,} characters and will be cut there"
            for row, column in self.long_cells
        ]


def write_csv(
    path: Path,
    records: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    bom: bool = True,
    delimiter: str = ",",
) -> CsvReport:
    """Write ``records`` (dicts) as CSV with ``columns`` in this order; return what was written and warned."""
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise ValueError(f"{delimiter!r} cannot separate CSV fields")
    report = CsvReport(path)
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            write_rows(handle, records, columns, delimiter=delimiter, report=report)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)  # a full disk, say: leave neither a half file nor the space it took
        raise
    return report


def write_rows(
    handle: TextIO,
    records: Iterable[Mapping[str, object]],
    columns: Sequence[str],
    *,
    delimiter: str = ",",
    report: CsvReport | None = None,
) -> None:
    """The CSV text of ``records`` into an open text ``handle`` (opened with ``newline=""``)."""
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for number, record in enumerate(records, start=2):
        row = [neutralise(cell(record.get(column))) for column in columns]
        if report is not None:
            report.rows += 1
            report.long_cells.extend((number, column) for column, value in zip(columns, row, strict=True) if len(value) > EXCEL_CELL_LIMIT)
        writer.writerow(row)

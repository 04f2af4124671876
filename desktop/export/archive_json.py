"""The archive as one JSON document and back: every table of the record, versioned and documented.

Format ``archive-browser-json`` version 1 (``docs/export.md``): ``{"format", "version", "tables": {name:
[row, ...]}}`` with rows as column → value; bytes as base64, times as ISO 8601. Rows are sorted by
their keys, so exporting the same archive twice gives the same file.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

FORMAT = "archive-browser-json"
VERSION = 1
#: the tables of the record, parents before children (the index and its queue are derived, and left out)
TABLES = (
    "originals",
    "articles",
    "similarity_buckets",
    "tags",
    "article_tags",
    "notes",
    "annotations",
    "annotation_tags",
    "name_variants",
    "saved_searches",
    "settings",
)


def _encode(value: object) -> object:
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict) and set(value) == {"base64"}:
        return base64.b64decode(value["base64"])
    if isinstance(value, dict) and set(value) == {"datetime"}:
        return dt.datetime.fromisoformat(value["datetime"])
    return value


def dumps(tables: Mapping[str, list[dict[str, Any]]]) -> str:
    """The JSON text of ``tables`` (rows as read from the store)."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "tables": {
            name: sorted(({key: _encode(value) for key, value in row.items()} for row in tables.get(name, [])), key=_row_key)
            for name in TABLES
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _row_key(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False)


def loads(text: str) -> dict[str, list[dict[str, Any]]]:
    """The tables of a JSON export; raises ``ValueError`` with a plain reason when it is not one."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("this is not an Archive Browser JSON export")
    if document.get("version") != VERSION:
        raise ValueError(f"this export is version {document.get('version')}; this Archive Browser reads version {VERSION}")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise ValueError("the export has no tables")
    loaded: dict[str, list[dict[str, Any]]] = {}
    for name in TABLES:
        rows = tables.get(name, [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise ValueError(f"the export's table {name} is not a list of rows")
        loaded[name] = [{key: _decode(value) for key, value in row.items()} for row in rows]
    return loaded

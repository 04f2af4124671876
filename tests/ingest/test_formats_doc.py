"""docs/import.md lists every format of the registry, with every extension: the table cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from desktop.ingest.formats import FORMATS

DOC = (Path(__file__).parent.parent.parent / "docs" / "import.md").read_text(encoding="utf-8")


def test_every_registered_format_and_extension_is_in_the_import_doc() -> None:
    rows = {line.split("|")[1].strip(): line for line in DOC.splitlines() if line.startswith("| ") and line.count("|") >= 4}
    for fmt in FORMATS:
        assert fmt.label in rows, f"docs/import.md has no row for {fmt.label!r}"
        for extension in fmt.extensions:
            assert f"`{extension}`" in rows[fmt.label], f"docs/import.md's {fmt.label!r} row does not name {extension}"

"""The CSV opened by LibreOffice Calc (headless): the same cells, diacritics intact, no formula run."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.library import Library

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice is not installed (.ci/system-deps.sh installs libreoffice-calc-nogui as root)"
)


def test_calc_reads_the_same_cells_and_runs_no_formula(seeded: Library, tmp_path: Path) -> None:
    seeded.notes.add(4, '=1+1 and "Việt Nam", a comma,\nand a new line')
    seeded.annotations.add_quote(4, "Nguyễn Phú Trọng", note="+the leader", tags=["Người/Lãnh đạo"])
    ours = tmp_path / "annotations.csv"
    seeded.exports.csv(ours, per="annotation")
    articles = tmp_path / "articles.csv"
    seeded.exports.csv(articles, columns=["id", "title", "notes", "tags"])
    assert SOFFICE is not None
    for source in (ours, articles):
        out = tmp_path / "calc" / source.stem
        out.mkdir(parents=True)
        # Calc imports the CSV as UTF-8 (76) with commas and quotes, then writes it back as CSV
        subprocess.run(
            [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
             "--infilter=CSV:44,34,76,1,,0,false,true",
             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false",
             "--outdir", str(out), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        with source.open(encoding="utf-8-sig", newline="") as handle:
            expected = list(csv.reader(handle))
        with (out / source.name).open(encoding="utf-8-sig", newline="") as handle:
            seen = list(csv.reader(handle))
        assert seen == expected
    with articles.open(encoding="utf-8-sig", newline="") as handle:
        notes = {row["id"]: row["notes"] for row in csv.DictReader(handle)}
    assert notes["4"].startswith('\'=1+1 and "Việt Nam"')

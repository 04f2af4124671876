"""Write the sample news stories as flat OpenDocument and convert them with LibreOffice (run by hand, outputs committed).

Usage: ``python tests/data/formats/make_samples.py`` (needs ``soffice``: apt-get install libreoffice-writer-nogui).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent

RICE_TITLE = "Việt Nam đẩy mạnh xuất khẩu gạo sang châu Phi"
RICE_PARAGRAPHS = [
    "HANOI, March 14 (VNA) – Vietnamese rice exporters shipped more than 450,000 tonnes to African markets in the first "
    "two months of the year, the Ministry of Industry and Trade said on Friday, as buyers in Côte d'Ivoire, Ghana and "
    "Senegal turned to Vietnamese fragrant varieties.",
    "Deputy Minister Phan Thị Thắng told a conference in Hà Nội that exporters should sign longer contracts with "
    "importers in West Africa and invest in warehouses at the ports of Abidjan and Dakar to cut delivery times.",
    "“African consumers now know the ST25 name,” said Trần Văn Đức, director of a rice company in Sóc Trăng province. "
    "“Two years ago we sold only broken rice there; today half of our shipments are fragrant rice.”",
]
RICE_FILLER = [
    f"Paragraph {n} of the ministry's report lists the provinces of the Mekong Delta – Cần Thơ, An Giang, Kiên Giang, "
    f"Đồng Tháp and Long An – with the tonnage each sent abroad, the prices paid per tonne and the share of each variety, "
    f"and says that farmers in the delta earned on average more than last year."
    for n in range(1, 19)
]
RICE_LAST = "The ministry expects rice exports to Africa to reach two million tonnes this year."
RICE_FOOTNOTE = "Figures from the General Department of Vietnam Customs."

STORM_TITLE = "Bão số 3 đổ bộ vào Quảng Ninh, hàng nghìn người sơ tán"
STORM_PARAGRAPHS = [
    "HẠ LONG, September 7 (VNA) – Typhoon Yagi made landfall in Quảng Ninh province on Saturday afternoon with winds "
    "of up to 150 km an hour, and more than 50,000 people were moved from coastal villages to schools and offices.",
    "Chairman of the provincial People's Committee Cao Tường Huy said fishing boats had been called back to port two days "
    "earlier and that rescue teams were ready in every district.",
    "Flights to Vân Đồn airport were cancelled until Sunday evening.",
]


def _paragraph(text: str, style: str = "Text_20_body") -> str:
    return f'<text:p text:style-name="{style}">{escape(text)}</text:p>'


def _flat_odt(title: str, author: str, created: str, body: str, header: str | None, footer: bool) -> str:
    header_xml = f"<style:header>{_paragraph(header, 'Header')}</style:header>" if header else ""
    footer_xml = (
        '<style:footer><text:p text:style-name="Footer">Page <text:page-number text:select-page="current"/> of '
        "<text:page-count/></text:p></style:footer>"
        if footer
        else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{escape(title)}</dc:title><meta:initial-creator>{escape(author)}</meta:initial-creator>
  <dc:creator>{escape(author)}</dc:creator><meta:creation-date>{created}</meta:creation-date></office:meta>
 <office:styles>
  <style:style style:name="Text_20_body" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.25cm"/></style:style>
  <style:style style:name="Title" style:family="paragraph"><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
  <style:style style:name="Header" style:family="paragraph"/><style:style style:name="Footer" style:family="paragraph"/>
 </office:styles>
 <office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
  fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
  <style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">{header_xml}{footer_xml}
 </style:master-page></office:master-styles>
 <office:body><office:text>{body}</office:text></office:body>
</office:document>
"""


def _rice_body() -> str:
    first, *rest = RICE_PARAGRAPHS
    note = (
        '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        f"<text:note-body>{_paragraph(RICE_FOOTNOTE, 'Footnote')}</text:note-body></text:note>"
    )
    lead = f'<text:p text:style-name="Text_20_body">{escape(first)}{note}</text:p>'
    return "".join([_paragraph(RICE_TITLE, "Title"), lead, *map(_paragraph, rest + RICE_FILLER + [RICE_LAST])])


def _storm_body() -> str:
    heading = f'<text:h text:outline-level="1">{escape(STORM_TITLE)}</text:h>'
    return heading + "".join(map(_paragraph, STORM_PARAGRAPHS))


def _convert(source: Path, target: str, out: Path) -> None:
    subprocess.run(["soffice", "--headless", "--convert-to", target, "--outdir", str(out), str(source)], check=True, capture_output=True)


def main() -> None:
    work = Path(tempfile.mkdtemp())
    rice = work / "rice.fodt"
    rice.write_text(_flat_odt(RICE_TITLE, "Nguyễn Thị Lan", "2026-03-14T09:30:00", _rice_body(), "VNA Economic Bulletin", True), "utf-8")
    storm = work / "storm.fodt"
    storm.write_text(_flat_odt(STORM_TITLE, "Lê Minh Hoàng", "2024-09-07T16:00:00", _storm_body(), None, False), "utf-8")
    for target in ("odt", "docx", "pdf", "rtf", "doc"):
        _convert(rice, target, work)
        _convert(storm, target, work)
    encrypt = {"EncryptFile": {"type": "boolean", "value": "true"}, "DocumentOpenPassword": {"type": "string", "value": "secret"}}
    locked = work / "locked"
    locked.mkdir()
    _convert(storm, "pdf:writer_pdf_Export:" + json.dumps(encrypt), locked)
    owner_only = {"RestrictPermissions": {"type": "boolean", "value": "true"}, "PermissionPassword": {"type": "string", "value": "owner"}}
    restricted = work / "restricted"
    restricted.mkdir()
    _convert(storm, "pdf:writer_pdf_Export:" + json.dumps(owner_only), restricted)
    for name in ("rice", "storm"):
        for ext in ("odt", "docx", "pdf", "rtf"):
            shutil.copy(work / f"{name}.{ext}", HERE / f"{name}.{ext}")
    shutil.copy(work / "storm.doc", HERE / "storm-word97.doc")
    shutil.copy(work / "storm.rtf", HERE / "storm-rtf-named.doc")
    shutil.copy(locked / "storm.pdf", HERE / "storm-password.pdf")
    shutil.copy(restricted / "storm.pdf", HERE / "storm-owner-password.pdf")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()

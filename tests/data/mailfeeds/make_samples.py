"""Writes the e-mail, feed and web archive samples beside it (run once; the files are committed).

.venv/bin/python tests/data/mailfeeds/make_samples.py
"""

# ruff: noqa: E501  (the sample feeds are written as a feed writer lays them out, one element a line)

from __future__ import annotations

import base64
import io
import re
import unicodedata
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent

_VOWEL_MARKS = "\u0302\u0306\u031b"  # circumflex, breve, horn: part of the letter in cp1258; tones stay combining


def to_cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258 as Vietnamese Windows wrote it: the letter precomposed, its tone a combining mark."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _VOWEL_MARKS))
        out += (letter + "".join(m for m in marks if m not in _VOWEL_MARKS)).encode("cp1258")
    return bytes(out)


CP1258_BODY = (
    "CẦN THƠ, 2/3 (TTXVN) – Nông dân các tỉnh Đồng bằng sông Cửu Long đang thu hoạch vụ lúa đông xuân "
    "với năng suất cao nhất trong năm năm qua.\n\n"
    "Ông Nguyễn Văn Hưởng, một nông dân ở huyện Phong Điền, cho biết giá lúa tươi tại ruộng đã tăng "
    "thêm 300 đồng mỗi ki-lô-gam so với tháng trước.\n\n"
    "Theo Sở Nông nghiệp, toàn vùng đã thu hoạch được hơn 60% diện tích.\n"
)


def write_mail() -> None:
    header = (
        "From: =?utf-8?b?{}?= <mai.tran@vnanet.example>\r\n"
        "To: desk@archive.example\r\n"
        "Subject: =?utf-8?q?L=C3=BAa_g=E1=BA=A1o_mi=E1=BB=81n_T=C3=A2y_=C4=91=C6=B0=E1=BB=A3c_m=C3=B9a?=\r\n"
        "Date: Mon, 02 Mar 2026 08:15:00 +0700\r\n"
        "Message-ID: <rice-2026-03-02@vnanet.example>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=windows-1258\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    ).format(base64.b64encode("Trần Thị Mai".encode()).decode())
    (HERE / "vna-rice-cp1258.eml").write_bytes(header.encode("ascii") + to_cp1258(CP1258_BODY).replace(b"\n", b"\r\n"))

    qp = EmailMessage()
    qp["From"] = "World Desk <desk@wire.example>"
    qp["Subject"] = "Café owners in Hanoi’s Old Quarter face rent rise"
    qp["Date"] = "Wed, 04 Mar 2026 17:40:00 +0000"
    qp.set_content(
        "HANOI, March 4 (Wire) – Café owners in the Old Quarter say rents have risen by a “painful” 20 percent this year.\n\n"
        "“We cannot pass it all on to customers,” said Pham Thi Lan, who has run a café on Hang Bac street since 2009.\n",
        charset="windows-1252",
        cte="quoted-printable",
    )
    (HERE / "cafe-qp-cp1252.eml").write_bytes(qp.as_bytes(policy=SMTP))

    b64 = EmailMessage()
    b64["From"] = "Lê Minh Khôi <khoi@baomau.example>"
    b64["Subject"] = "Hội An đón khách quốc tế trở lại"
    b64["Date"] = "Thu, 05 Mar 2026 09:00:00 +0700"
    b64.set_content(
        "HỘI AN, 5/3 – Phố cổ Hội An đón hơn 12.000 lượt khách quốc tế trong tuần đầu tháng Ba.\n\n"
        "Bà Võ Thị Thu Hà, chủ một cửa hàng đèn lồng, nói lượng khách đã gần bằng năm 2019.\n",
        charset="utf-8",
        cte="base64",
    )
    (HERE / "hoian-base64.eml").write_bytes(b64.as_bytes(policy=SMTP))

    mixed = EmailMessage()
    mixed["From"] = '"Đặng Quốc Bảo" <bao@newsroom.example>'
    mixed["Subject"] = "Metro line 1 carries its millionth passenger"
    mixed["Date"] = "Fri, 06 Mar 2026 11:05:00 +0700"
    mixed.set_content(
        "HO CHI MINH CITY, March 6 – The city's first metro line carried its millionth passenger on Friday, "
        "operators said.\n\nThe line runs 19.7 km from Ben Thanh to Suoi Tien.\n"
    )
    mixed.add_alternative(
        "<html><body><h1>Metro line 1 carries its millionth passenger</h1><p>HTML version of the story.</p></body></html>",
        subtype="html",
    )
    mixed.add_attachment(b"%PDF-1.4 timetable", maintype="application", subtype="pdf", filename="timetable.pdf")
    (HERE / "metro-alternative-attachment.eml").write_bytes(mixed.as_bytes(policy=SMTP))

    html = EmailMessage()
    html["From"] = "Newsletter <news@daily.example>"
    html["Subject"] = "Morning briefing: floods in the central provinces"
    html["Date"] = "Sat, 07 Mar 2026 06:00:00 +0700"
    html.set_content(
        "<html><head><style>p{color:red}</style><script>track()</script></head><body>"
        "<h1>Floods in the central provinces</h1>"
        "<p>HUE, March 7 – Heavy rain flooded low-lying streets in Hue overnight.</p>"
        "<p>Authorities in Quang Tri moved 2,000 residents to higher ground.</p></body></html>",
        subtype="html",
    )
    (HERE / "briefing-html-only.eml").write_bytes(html.as_bytes(policy=SMTP))

    messages = [
        (
            "Tue, 10 Mar 2026 08:00:00 +0700",
            "Hà Nội mở thêm ba tuyến buýt điện",
            "Phạm Thu Trang <trang@desk.example>",
            "HÀ NỘI, 10/3 – Thành phố mở thêm ba tuyến xe buýt điện nối trung tâm với các huyện ngoại thành.\n",
        ),
        (
            "Wed, 11 Mar 2026 14:30:00 +0000",
            "Port of Hai Phong reports record container volume",
            "Wire Desk <wire@desk.example>",
            "HAI PHONG, March 11 – The port handled a record volume of containers in February.\n\n"
            ">From the harbour master's report: volumes rose 14 percent.\n",
        ),
        (
            "Thu, 12 Mar 2026 09:45:00 +0700",
            "Đà Lạt hoa nở sớm",
            "Ngô Bảo Châu <chau@desk.example>",
            "ĐÀ LẠT, 12/3 – Hoa mai anh đào nở sớm hai tuần do thời tiết ấm.\n",
        ),
    ]
    mbox = io.BytesIO()
    for date, subject, sender, body in messages:
        message = EmailMessage()
        message["From"], message["Subject"], message["Date"] = sender, subject, date
        message.set_content(body, cte="8bit")
        mbox.write(b"From desk@desk.example " + date.encode() + b"\n")
        mbox.write(re.sub(rb"(?m)^(>*From )", rb">\1", message.as_bytes()) + b"\n")  # mboxrd quoting
    (HERE / "newsroom.mbox").write_bytes(mbox.getvalue())


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Báo Mẫu – Thời sự</title>
  <link>https://baomau.example/</link>
  <description>Tin tức mẫu cho kiểm thử</description>
  <item>
    <title>Đà Nẵng khánh thành cầu mới qua sông Hàn</title>
    <link>https://baomau.example/da-nang-cau-moi.html</link>
    <dc:creator>Nguyễn Thị Ánh Tuyết</dc:creator>
    <category>Thời sự</category>
    <category>Giao thông</category>
    <pubDate>Tue, 03 Mar 2026 06:30:00 +0700</pubDate>
    <description>&lt;p&gt;Cầu mới dài 800 mét.&lt;/p&gt;</description>
    <content:encoded><![CDATA[<p>ĐÀ NẴNG, 3/3 – Thành phố Đà Nẵng hôm nay khánh thành cây cầu thứ bảy bắc qua sông Hàn.</p>
<p>Cầu dài 800 mét, rộng 30 mét, với tổng vốn đầu tư 1.200 tỉ đồng.</p><script>track()</script>]]></content:encoded>
  </item>
  <item>
    <title>Rice exports rise in February</title>
    <link>https://baomau.example/rice-exports.html</link>
    <author>desk@baomau.example (Trần Quốc Vượng)</author>
    <category>Kinh tế</category>
    <pubDate>Mon, 02 Mar 2026 22:15:00 +0000</pubDate>
    <description>&lt;p&gt;HANOI, March 2 – Vietnam exported 700,000 tonnes of rice in February, up 12 percent from a year earlier.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Lễ hội hoa ban Điện Biên</title>
    <link>https://baomau.example/hoa-ban.html</link>
    <pubDate>Sun, 01 Mar 2026 10:00:00 +0700</pubDate>
    <description>ĐIỆN BIÊN, 1/3 – Lễ hội hoa ban năm nay thu hút hàng vạn du khách.</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>World Desk</title>
  <id>urn:example:world-desk</id>
  <updated>2026-03-08T12:00:00Z</updated>
  <entry>
    <title>Mekong delta farmers switch to salt-tolerant rice</title>
    <link rel="alternate" href="https://world.example/mekong-rice"/>
    <id>urn:example:1</id>
    <published>2026-03-08T07:00:00+07:00</published>
    <updated>2026-03-08T09:00:00+07:00</updated>
    <author><name>Hoàng Anh Tuấn</name></author>
    <category term="Agriculture"/>
    <content type="html">&lt;p&gt;SOC TRANG, March 8 – Farmers in the Mekong delta are planting salt-tolerant rice as seawater pushes further inland.&lt;/p&gt;&lt;p&gt;Some 40,000 hectares were switched this season.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title type="html">Tet travel: &lt;em&gt;record&lt;/em&gt; rail bookings</title>
    <link href="https://world.example/tet-rail"/>
    <id>urn:example:2</id>
    <published>2026-02-01T08:00:00Z</published>
    <author><name>Bùi Thanh Hà</name></author>
    <author><name>Lý Văn Sơn</name></author>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>HANOI, Feb 1 – Vietnam Railways sold a record number of Tet tickets.</p></div></content>
  </entry>
  <entry>
    <title>Typhoon season forecast</title>
    <link href="https://world.example/typhoons"/>
    <id>urn:example:3</id>
    <updated>2026-01-15T03:00:00Z</updated>
    <summary type="text">HANOI, Jan 15 – Forecasters expect up to 13 storms in the East Sea this year.</summary>
  </entry>
</feed>
"""


def write_feeds() -> None:
    (HERE / "baomau.rss").write_text(RSS, encoding="utf-8")
    (HERE / "world-desk.atom").write_text(ATOM, encoding="utf-8")
    (HERE / "baomau-saved-as.xml").write_text(RSS, encoding="utf-8")
    (HERE / "not-a-feed.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://baomau.example/</loc></url></urlset>\n',
        encoding="utf-8",
    )


PAGE_UTF8 = """<!doctype html><html><head><meta charset="utf-8"><title>Báo Mẫu | Huế mở cửa Đại Nội về đêm</title>
<meta property="article:published_time" content="2026-02-20T19:00:00+07:00"><meta property="og:site_name" content="Báo Mẫu">
<script>analytics()</script></head><body><nav>Trang chủ | Thời sự</nav>
<h1>Huế mở cửa Đại Nội về đêm</h1>
<p>HUẾ, 20/2 – Trung tâm Bảo tồn Di tích Cố đô Huế bắt đầu mở cửa Đại Nội vào buổi tối từ hôm nay.</p>
<p>Ông Hoàng Việt Trung cho biết du khách có thể tham quan đến 22 giờ.</p></body></html>"""

PAGE_CP1252 = """<html><head><title>Coffee exports</title></head><body>
<h1>Coffee exports climb as prices hold</h1>
<p>BUON MA THUOT, Feb 21 – Vietnam’s coffee exports climbed in February, traders said, with robusta prices near record highs.</p>
</body></html>"""


def write_warc() -> None:
    with (HERE / "capture.warc.gz").open("wb") as output:
        writer = WARCWriter(output, gzip=True)
        writer.write_record(writer.create_warcinfo_record("capture.warc.gz", {"software": "make_samples.py (warcio)"}))

        def response(url: str, date: str, status: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(record)

        request = writer.create_warc_record(
            "https://baomau.example/hue-dai-noi.html",
            "request",
            payload=io.BytesIO(b"GET /hue-dai-noi.html HTTP/1.1\r\nHost: baomau.example\r\n\r\n"),
            warc_headers_dict={"WARC-Date": "2026-03-09T10:00:00Z"},
        )
        writer.write_record(request)
        response(
            "https://baomau.example/hue-dai-noi.html", "2026-03-09T10:00:01Z", "200 OK", "text/html; charset=utf-8", PAGE_UTF8.encode()
        )
        response("https://baomau.example/logo.png", "2026-03-09T10:00:02Z", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64))
        response("https://wire.example/coffee", "2026-03-09T10:00:03Z", "200 OK", "text/html", PAGE_CP1252.encode("cp1252"))
        response(
            "https://baomau.example/missing", "2026-03-09T10:00:04Z", "404 Not Found", "text/html", b"<html><body>Not found</body></html>"
        )


if __name__ == "__main__":
    write_mail()
    write_feeds()
    write_warc()

# ruff: noqa: E501
"""Writes the news-database export samples in this folder (our own stories, in each database's published layout).

Run from the repository root: python tests/data/exports/make_samples.py. The outputs are committed; the tests read them.
The PDF and DOCX copies are LibreOffice's conversions of the text files, as a database's own PDF or DOCX would hold
the same stories: ``soffice --headless --convert-to pdf lexisnexis-4-stories.txt`` and
``soffice --headless --convert-to docx nexis-uni-4-stories.txt`` in this folder.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent

STORIES: list[dict[str, Any]] = [
    {
        "publication": "Viet Nam News (Hanoi)",
        "date": "March 14, 2024 Thursday",
        "iso": "2024-03-14",
        "edition": "Final Edition",
        "section": "POLITICS; Pg. A01",
        "headline": "Party chief Nguyễn Phú Trọng receives US Secretary of State Antony Blinken in Hà Nội for talks on the comprehensive strategic partnership",
        "byline": "Lê Hoài Trung; Hoang Binh Quan",
        "dateline": "HÀ NỘI",
        "body": [
            "HÀ NỘI — General Secretary Nguyễn Phú Trọng on Thursday received US Secretary of State Antony Blinken, who is on an official visit to Việt Nam, and the two sides reviewed the implementation of the comprehensive strategic partnership agreed last September.",
            "Trọng said Việt Nam attaches importance to its relations with the United States and wishes to work with Washington to bring the partnership into deeper, more practical and more effective forms across trade, investment, education and climate change.",
            "Blinken conveyed President Joe Biden's greetings and said the United States supports a strong, independent, self-reliant and prosperous Việt Nam.",
        ],
        "language": "ENGLISH",
        "load": "March 15, 2024",
    },
    {
        "publication": "Saigon Times Daily",
        "date": "April 2, 2024 Tuesday",
        "iso": "2024-04-02",
        "section": "BUSINESS; Pg. 7",
        "headline": "Mekong Delta rice exports climb as drought eases",
        "byline": "Nguyen Van An",
        "body": [
            "CẦN THƠ — Rice exports from the Mekong Delta rose 12 per cent in the first quarter as saltwater intrusion receded and farmers in An Giang and Đồng Tháp brought in a larger winter-spring crop, provincial officials said on Tuesday.",
            "Traders said prices for fragrant rice held near record highs as buyers in the Philippines and Indonesia sought to rebuild stocks.",
        ],
        "language": "ENGLISH",
        "load": "April 3, 2024",
    },
    {
        "publication": "Vietnam Investment Review",
        "date": "May 20, 2024 Monday",
        "iso": "2024-05-20",
        "section": "ECONOMY",
        "headline": None,  # some stories have no headline
        "byline": None,
        "body": [
            "Foreign direct investment disbursed in Việt Nam reached US$8.2 billion in the first five months, the Ministry of Planning and Investment said, with manufacturing taking the largest share and Bắc Ninh, Hải Phòng and Bình Dương drawing the most new projects.",
        ],
        "language": "ENGLISH",
        "load": "May 21, 2024",
    },
    {
        "publication": "Tuổi Trẻ",
        "date": "June 1, 2024 Saturday",
        "iso": "2024-06-01",
        "edition": "Morning Edition",
        "section": "XÃ HỘI; Pg. 3",
        "headline": "Thành phố Hồ Chí Minh khởi công tuyến metro số 2 Bến Thành – Tham Lương",
        "byline": "Trần Thị Mai; Phạm Quốc Bảo;\nNguyễn Thanh Hà",  # a byline over two lines
        "body": [
            "TP.HCM — Sáng 1/6, Ủy ban nhân dân Thành phố Hồ Chí Minh tổ chức lễ khởi công tuyến đường sắt đô thị số 2 Bến Thành – Tham Lương, dài 11,3 km với 10 nhà ga ngầm và một nhà ga trên cao.",
            "Dự án có tổng vốn đầu tư hơn 47.800 tỉ đồng, dự kiến hoàn thành vào năm 2030.",
        ],
        "language": "VIETNAMESE",
        "load": "June 2, 2024",
    },
]


def center(text: str, width: int = 80) -> str:
    return text.center(width).rstrip()


def lexisnexis_txt() -> str:
    out = [
        "",
        "Download Request: Selected Items: 1-4",
        "Time Of Request: Monday, June 3, 2024  09:12:44",
        "",
        "Terms: (Vietnam OR Việt Nam) AND DATE(>=2024-03-01 and <=2024-06-30)",
        "",
        "Source: Asian Newspapers and Wires",
        "",
        "",
    ]
    for number, story in enumerate(STORIES, 1):
        out += ["", center(f"{number} of {len(STORIES)} DOCUMENTS"), "", ""]
        out += [center("Copyright 2024 " + story["publication"]), center("All Rights Reserved"), ""]
        out += [center(story["publication"]), "", center(story["date"])]
        if story.get("edition"):
            out.append(center(story["edition"]))
        out.append("")
        out += [f"SECTION: {story['section']}", ""]
        words = sum(len(p.split()) for p in story["body"])
        out += [f"LENGTH: {words} words", ""]
        if story["headline"]:
            out += [*textwrap.wrap("HEADLINE: " + story["headline"], 80), ""]
        if story["byline"]:
            out += story["byline"].split("\n")
            out[-len(story["byline"].split("\n"))] = "BYLINE: " + out[-len(story["byline"].split("\n"))]
            out.append("")
        if story.get("dateline"):
            out += [f"DATELINE: {story['dateline']}", ""]
        out += ["BODY:", ""]
        for paragraph in story["body"]:
            out += ["   " + line for line in textwrap.wrap(paragraph, 76)] + [""]
        out += [f"LOAD-DATE: {story['load']}", "", f"LANGUAGE: {story['language']}", "", "PUBLICATION-TYPE: Newspaper", "", ""]
    return "\r\n".join(out) + "\r\n"


def nexis_uni_txt() -> str:
    out = ["Date and Time: Monday, June 3, 2024 9:30:00 AM ICT", "Job Number: 221144", "", f"Documents ({len(STORIES)})", ""]
    for number, story in enumerate(STORIES, 1):
        out += [
            f"{number}. {story['headline'] or 'Untitled'}",
            "Client/Matter: -None-",
            "Search Terms: Vietnam",
            "Search Type: Terms and Connectors",
            "",
        ]
    for story in STORIES:
        out += ["", "", ""]
        if story["headline"]:
            out.append(story["headline"])
        out += [
            story["publication"],
            story["date"] + " 9:33 AM GMT",
            "",
            "Copyright 2024 " + story["publication"] + " All Rights Reserved",
            "",
        ]
        out.append("Section: " + story["section"])
        out.append("Length: " + str(sum(len(p.split()) for p in story["body"])) + " words")
        if story["byline"]:
            out.append("Byline: " + story["byline"].replace("\n", " "))
        out.append("Body")
        out.append("")
        out += [*story["body"], ""]
        out += [
            "Classification",
            "",
            "Language: " + story["language"].title(),
            "",
            "Load-Date: " + story["load"],
            "",
            "",
            "End of Document",
        ]
    return "\n".join(out) + "\n"


def factiva_txt() -> str:
    out = []
    for number, story in enumerate(STORIES, 1):
        day, month_name = story["iso"][8:].lstrip("0"), story["date"].split()[0]
        fields = [
            ("HD", story["headline"] or ""),
            ("BY", (story["byline"] or "").replace("\n", " ")),
            ("WC", f"{sum(len(p.split()) for p in story['body'])} words"),
            ("PD", f"{day} {month_name} {story['iso'][:4]}"),
            ("SN", story["publication"]),
            ("SC", "VNNEWS"),
            ("PG", story["section"].partition("Pg. ")[2] or ""),
            ("LA", story["language"].title()),
            ("CY", "Copyright 2024 " + story["publication"]),
        ]
        for code, value in fields:
            if value:
                out.append(f"{code}\t{value}")
        out += ["LP\t" + story["body"][0], ""]
        if len(story["body"]) > 1:
            out.append("TD\t" + story["body"][1])
            out += [*story["body"][2:], ""]
        out += ["NS\tgpol : Domestic Politics | gcat : Political/General News", "RE\tvietn : Vietnam | asiaz : Asia", ""]
        out += [f"AN\tDocument VNNEWS0020240{number}14ek3e0000{number}", "", ""]
    return "\n".join(out)


def factiva_html() -> str:
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'><title>Factiva</title></head><body>"]
    for number, story in enumerate(STORIES, 1):
        day, month_name = story["iso"][8:].lstrip("0"), story["date"].split()[0]
        rows = [
            ("HD", story["headline"] or ""),
            ("BY", (story["byline"] or "").replace("\n", " ")),
            ("WC", f"{sum(len(p.split()) for p in story['body'])} words"),
            ("PD", f"{day} {month_name} {story['iso'][:4]}"),
            ("SN", story["publication"]),
            ("LA", story["language"].title()),
            ("LP", f"<p>{story['body'][0]}</p>"),
            ("TD", "".join(f"<p>{p}</p>" for p in story["body"][1:])),
            ("AN", f"Document VNNEWS0020240{number}14ek3e0000{number}"),
        ]
        parts.append("<div class='article enArticle'><table>")
        parts += [f"<tr><td><b>{code}</b></td><td>{value}</td></tr>" for code, value in rows if value]
        parts.append("</table></div>")
    parts.append("</body></html>")
    return "\n".join(parts)


if __name__ == "__main__":
    (HERE / "lexisnexis-4-stories.txt").write_bytes(lexisnexis_txt().encode("utf-8"))
    (HERE / "nexis-uni-4-stories.txt").write_text(nexis_uni_txt(), encoding="utf-8")
    (HERE / "factiva-4-stories.txt").write_text(factiva_txt(), encoding="utf-8")
    (HERE / "factiva-4-stories.html").write_text(factiva_html(), encoding="utf-8")

"""E-mail: .eml messages in every transfer encoding and charset, .mbox mailboxes one article per message."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.patterns import NewsPatterns
from desktop.library import Library

DATA = Path(__file__).resolve().parent.parent / "data" / "mailfeeds"


def candidates(path: Path, patterns: NewsPatterns, **kwargs: int) -> list[Candidate]:
    return list(read_candidates(path, patterns, **kwargs))


def one(path: Path, patterns: NewsPatterns) -> Candidate:
    (candidate,) = candidates(path, patterns)
    assert candidate.article is not None, candidate.reason
    return candidate


def test_windows_1258_mail_reads_vietnamese_with_subject_sender_and_date(patterns: NewsPatterns) -> None:
    path = DATA / "vna-rice-cp1258.eml"
    candidate = one(path, patterns)
    article = candidate.article
    assert article is not None
    assert article.title == "Lúa gạo miền Tây được mùa"  # an RFC 2047 encoded subject
    assert article.author == "Trần Thị Mai"  # an encoded display name, without the address
    assert article.date.iso() == "2026-03-02"
    assert "Ông Nguyễn Văn Hưởng" in article.text  # cp1258's combining tones composed (NFC)
    assert "thu hoạch được hơn 60% diện tích" in article.text
    assert candidate.original is not None
    assert candidate.original.data == path.read_bytes()
    assert candidate.original.encoding == "windows-1258"
    assert candidate.label == str(path)


def test_quoted_printable_windows_1252_mail(patterns: NewsPatterns) -> None:
    article = one(DATA / "cafe-qp-cp1252.eml", patterns).article
    assert article is not None
    assert article.title == "Café owners in Hanoi’s Old Quarter face rent rise"
    assert article.author == "World Desk"
    assert article.date.iso() == "2026-03-04"
    assert "a “painful” 20 percent" in article.text
    assert "Pham Thi Lan, who has run a café on Hang Bac street since 2009." in article.text
    assert "=E9" not in article.text
    assert "=\n" not in article.text


def test_base64_utf8_mail(patterns: NewsPatterns) -> None:
    article = one(DATA / "hoian-base64.eml", patterns).article
    assert article is not None
    assert (article.title, article.author, article.date.iso()) == ("Hội An đón khách quốc tế trở lại", "Lê Minh Khôi", "2026-03-05")
    assert "Bà Võ Thị Thu Hà, chủ một cửa hàng đèn lồng" in article.text


def test_multipart_alternative_takes_the_plain_part_and_ignores_the_attachment(patterns: NewsPatterns) -> None:
    article = one(DATA / "metro-alternative-attachment.eml", patterns).article
    assert article is not None
    assert article.title == "Metro line 1 carries its millionth passenger"
    assert article.author == "Đặng Quốc Bảo"
    assert "The line runs 19.7 km from Ben Thanh to Suoi Tien." in article.text
    assert "HTML version" not in article.text
    assert "PDF" not in article.text
    assert "timetable" not in article.text


def test_html_only_mail_goes_through_the_web_page_path(patterns: NewsPatterns) -> None:
    article = one(DATA / "briefing-html-only.eml", patterns).article
    assert article is not None
    assert article.title == "Morning briefing: floods in the central provinces"  # the subject wins over the page's <h1>
    assert "Authorities in Quang Tri moved 2,000 residents to higher ground." in article.text
    assert "track()" not in article.text
    assert "color:red" not in article.text


def test_flowed_text_is_joined_and_a_message_with_only_an_attachment_is_refused(tmp_path: Path, patterns: NewsPatterns) -> None:
    flowed = tmp_path / "flowed.eml"
    flowed.write_bytes(
        b"From: Desk <desk@example.com>\nSubject: Flowed\nDate: Mon, 02 Mar 2026 08:00:00 +0700\n"
        b"Content-Type: text/plain; charset=utf-8; format=flowed\n\n"
        b"HANOI, March 2 - The city opened a new \nbridge over the Red River on Monday.\n\nSecond paragraph.\n"
    )
    article = one(flowed, patterns).article
    assert article is not None
    assert "The city opened a new bridge over the Red River on Monday." in article.text

    attachment_only = EmailMessage()
    attachment_only["Subject"] = "Scan"
    attachment_only.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="scan.pdf")
    path = tmp_path / "scan.eml"
    path.write_bytes(attachment_only.as_bytes(policy=SMTP))
    (candidate,) = candidates(path, patterns)
    assert candidate.article is None
    assert candidate.reason == "no text in this message (attachments are not imported)"


def test_mbox_gives_one_article_per_message_with_its_own_bytes(patterns: NewsPatterns) -> None:
    path = DATA / "newsroom.mbox"
    found = candidates(path, patterns)
    assert [c.label for c in found] == [f"{path}:1", f"{path}:2", f"{path}:3"]
    articles = [c.article for c in found]
    assert all(article is not None for article in articles)
    first, second, third = (a for a in articles if a is not None)
    assert (first.title, first.author, first.date.iso()) == ("Hà Nội mở thêm ba tuyến buýt điện", "Phạm Thu Trang", "2026-03-10")
    assert (second.title, second.author, second.date.iso()) == (
        "Port of Hai Phong reports record container volume",
        "Wire Desk",
        "2026-03-11",
    )
    assert "\n>From the harbour master's report" in "\n" + second.text  # mboxrd quoting undone once
    assert second.place == "Hai Phong"
    assert (third.title, third.author, third.date.iso()) == ("Đà Lạt hoa nở sớm", "Ngô Bảo Châu", "2026-03-12")
    originals = [c.original.data for c in found if c.original is not None]
    assert all(original in path.read_bytes() for original in originals)
    assert all(o.startswith(b"From: ") and not o.startswith(b"From desk") for o in originals)
    assert b">>From the harbour" in originals[1]  # the original keeps the bytes as they are in the mailbox


def test_mbox_refusals_name_the_message(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "mixed.mbox"
    path.write_bytes(
        b"From a@example.com Mon Mar  2 08:00:00 2026\nSubject: Fine\nDate: Mon, 02 Mar 2026 08:00:00 +0700\n\n"
        b"HANOI - A story about rice.\n\n"
        b"From b@example.com Mon Mar  2 08:00:00 2026\nSubject: Too big\n\n" + b"x" * 3000 + b"\n\n"
        b"From c@example.com Mon Mar  2 08:00:00 2026\nSubject: Empty body\n\n\n"
    )
    found = candidates(path, patterns, max_bytes=2000)
    assert [(c.label.rsplit(":", 1)[1], c.article is not None) for c in found] == [("1", True), ("2", False), ("3", False)]
    assert found[1].reason == "message 2: too large for an article (the limit is 0.0 MB)"
    assert found[2].reason == "message 3: the message has no text"


def test_a_file_that_is_not_a_mailbox_gets_one_reason(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "notes.mbox"
    path.write_text("Just some notes, not a mailbox.\n", encoding="utf-8")
    (candidate,) = candidates(path, patterns)
    assert candidate.reason == "no messages in this mailbox: an mbox file starts each message with a line beginning 'From '"


def test_a_library_imports_a_mailbox_message_by_message(tmp_path: Path) -> None:
    path = DATA / "newsroom.mbox"
    with Library.open(tmp_path / "archive") as library:
        report = library.imports.paths([path])
        assert [(o.path, o.outcome) for o in report.outcomes] == [(f"{path}:{n}", "imported") for n in (1, 2, 3)]
        ids = [o.id for o in report.outcomes if o.id is not None]
        detail = library.articles.get(ids[2])
        assert detail.summary.title == "Đà Lạt hoa nở sớm"
        assert detail.summary.date == "2026-03-12"
        assert detail.source == f"{path}:3"
        assert library.articles.original(ids[2]).startswith(b"From: =?utf-8?b?TmfDtCBC4bqjbyBDaMOidQ==?= <chau@desk.example>")
        assert library.search.find("xe buýt điện").total == 1
        again = library.imports.paths([path])
        assert [o.outcome for o in again.outcomes] == ["duplicate"] * 3

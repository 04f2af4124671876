"""Saved web pages read as a reader app would: the story without the page's furniture, its metadata, charsets, MHTML."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.extraction import find_data, load_pages, shingle_f1, story
from desktop.ingest.files import Candidate, read_candidates
from desktop.ingest.html import extract_page
from desktop.ingest.patterns import NewsPatterns

WEB = Path(__file__).resolve().parent.parent / "data" / "web"
STORY = (
    "Vung Tau (VNA) – The high-speed ferry between Vung Tau and the Con Dao islands resumed service on Monday morning,"
    " three weeks after a storm tore the pontoon at Ben Dam port from its moorings.",
    "The first crossing left at seven o'clock with 212 passengers on board, most of them islanders returning home after"
    " the long wait. Port officials said engineers had replaced the damaged pontoon, rebuilt two mooring posts and dredged"
    " the channel where the storm had left sand and debris.",
    "Nguyen Van Hai, who runs a guesthouse on the main island, said bookings had collapsed while the line was closed."
    ' "Every empty room cost us money," he said. "Now the tourists can come back before the calm season ends."',
    "The operator plans two crossings a day until December, weather permitting, and will add a third at weekends if demand holds.",
)
FURNITURE = (
    "cookies",  # the consent banner
    "Subscribe",  # the menu
    "Politics",
    "Search Mekong Daily",
    "Advertisement",  # the ads
    "Cheap flights",
    "luxury resort",
    "Share on Facebook",
    "Related stories",  # related links
    "Fishing fleet",
    "hidden beaches",
    "grandmother",  # the comments
    "motorbikes",
    "Post comment",
    "Licence No",  # the footer
    "Privacy policy",
    "All rights reserved",
    "Tags:",
)
CANONICAL = "https://mekongdaily.example/society/ferry-line-to-con-dao-reopens-4471.html"


def one(path: Path, patterns: NewsPatterns) -> Candidate:
    candidates = list(read_candidates(path, patterns))
    assert len(candidates) == 1
    return candidates[0]


def check_ferry_story(candidate: Candidate) -> None:
    article = candidate.article
    assert article is not None, candidate.reason
    assert article.title == "Ferry line to Con Dao reopens after storm repairs"
    assert article.date.iso() == "2023-10-16"
    assert article.author == "Tran Thi Mai"
    assert article.publication == "Mekong Daily"
    assert article.agency == "VNA"  # from the dateline: the site's name is the publication, never the agency
    assert article.place == "Vung Tau"
    assert article.url == CANONICAL
    paragraphs = [line for line in article.text.split("\n") if line.strip()]
    assert paragraphs == [article.title, *STORY]  # the headline first, then one paragraph per line, nothing else
    for word in FURNITURE:
        assert word not in article.text, word


def test_a_saved_news_page_gives_its_story_without_the_page_around_it(patterns: NewsPatterns) -> None:
    page = WEB / "saved-news-page.html"
    candidate = one(page, patterns)
    check_ferry_story(candidate)
    assert candidate.original is not None
    assert candidate.original.data == page.read_bytes()
    assert candidate.original.encoding == "utf-8 (declared)"


def test_the_same_page_saved_as_mhtml_reads_the_same_with_the_address_it_was_saved_from(patterns: NewsPatterns) -> None:
    page = WEB / "saved-news-page.mhtml"
    candidate = one(page, patterns)  # its HTML part is quoted-printable, beside a base64 image
    check_ferry_story(candidate)
    assert candidate.original is not None
    assert candidate.original.data == page.read_bytes()


def test_an_mht_in_a_legacy_charset_named_only_by_its_part_header(patterns: NewsPatterns) -> None:
    candidate = one(WEB / "czech-cp1250.mht", patterns)  # Internet Explorer's kind: base64, charset in the part's Content-Type
    article = candidate.article
    assert article is not None, candidate.reason
    assert candidate.original is not None
    assert candidate.original.encoding == "cp1250 (given)"
    assert article.title == "Povodně na Moravě: řeka Bečva se vylila z koryta"
    assert "Řeka Bečva se v noci na úterý vylila z koryta" in article.text
    assert article.url == "https://denikjih.example/zpravy/povodne-na-morave-becva"
    assert (article.place, article.agency, article.publication) == ("Přerov", "ČTK", "Deník Jih")


def test_an_mhtml_file_without_a_web_page_is_refused_with_a_reason(tmp_path: Path, patterns: NewsPatterns) -> None:
    path = tmp_path / "images-only.mhtml"
    path.write_bytes(
        b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
    )
    candidate = one(path, patterns)
    assert candidate.article is None
    assert candidate.reason is not None
    assert "no HTML part" in candidate.reason


@pytest.mark.parametrize(
    ("name", "encoding", "title", "sentence", "publication"),
    [
        (
            "czech-cp1250.html",
            "cp1250 (declared)",
            "Povodně na Moravě: řeka Bečva se vylila z koryta",
            "Hladina už klesá, ale půda je nasáklá a další déšť by způsobil nové škody",
            "Deník Jih",
        ),
        (
            "russian-cp1251.html",
            "cp1251 (declared)",
            "В Новосибирске открыли новый мост через Обь",
            "Строительство заняло почти пять лет.",
            "Сибирские вести",
        ),
        (
            "russian-cp1251-undeclared.html",
            "cp1251",  # no declaration: charset detection, before any legacy guess (cp1252 would garble every letter)
            "В Новосибирске открыли новый мост через Обь",
            "Строительство заняло почти пять лет.",
            "Сибирские вести",
        ),
    ],
)
def test_pages_in_legacy_charsets_read_right(
    name: str, encoding: str, title: str, sentence: str, publication: str, patterns: NewsPatterns
) -> None:
    candidate = one(WEB / name, patterns)
    article = candidate.article
    assert article is not None, candidate.reason
    assert candidate.original is not None
    assert candidate.original.encoding == encoding
    assert article.title == title
    assert sentence in article.text
    assert article.publication == publication
    assert "©" not in article.text  # the footer
    assert "Главная" not in article.text
    assert "Úvod" not in article.text  # the menus


def test_a_page_without_an_article_keeps_its_visible_text(patterns: NewsPatterns) -> None:
    article = one(WEB / "contact-page.html", patterns).article
    assert article is not None
    assert article.title == "Contact the provincial press office"
    assert "Opening hours: Monday to Friday, 8 am to 5 pm. Telephone 0292 3820 123." in article.text
    assert "12 Hoa Binh Avenue" in article.text


def test_a_short_page_keeps_inline_markup_inside_its_paragraphs() -> None:
    text, hints = extract_page(
        "<html><head><title>Site | Story</title></head><body><h1>Ferry line reopens</h1>"
        "<p>Can Tho (VNA) – The ferry line <b>reopened</b> on <a href='/m'>Monday</a>.</p><p>Passengers <i>cheered</i>.</p></body></html>"
    )
    assert text == "Ferry line reopens\n\nCan Tho (VNA) – The ferry line reopened on Monday.\n\nPassengers cheered."
    assert hints.title == "Ferry line reopens"


def test_a_single_file_page_with_its_images_inline_reads_its_story(tmp_path: Path, patterns: NewsPatterns) -> None:
    page = (WEB / "saved-news-page.html").read_text(encoding="utf-8")
    inline = "<img src='data:image/jpeg;base64," + "/9j/4AAQSkZJRgABAQ" * 400_000 + "'>"  # ~7 MB of photo
    path = tmp_path / "single-file.html"
    path.write_text(page.replace("<main>", "<main>" + inline), encoding="utf-8")
    check_ferry_story(one(path, patterns))


BENCHMARK = find_data()
# five sites' real pages from the article-extraction benchmark (bench/data/README.md), with their true article bodies
CHOSEN = {
    "702d1da63b8e064cb70617620e45c2d116b4912c9bc9d518dcf5ce54bb8057ed",  # nytimes.com
    "42aad16bde9288623543642a9ce1a396be83e2db44aa2ff8cbbfe46e14abd7cc",  # aljazeera.com
    "8b194530308204139d9c8f7d495a26b117c78756ac1802cfc3c0a8bfdf2c0d50",  # thesun.co.uk
    "c467d507551a836efa9cfe843ba5d7bafe519750e04d0c9ff0decf44f013f829",  # detroit.cbslocal.com
    "f344ca5fb36e130f4344235fa22726f3367e09c211c120f21d9ae92effe902db",  # hawaiinewsnow.com
}


@pytest.mark.skipif(BENCHMARK is None, reason="the benchmark's pages are not on this machine (bench/data/README.md)")
def test_real_news_pages_give_text_close_to_their_true_article_bodies() -> None:
    assert BENCHMARK is not None
    pages = [page for page in load_pages(BENCHMARK) if page.id in CHOSEN]
    assert len(pages) == len(CHOSEN)
    for page in pages:
        text, hints = extract_page(page.html)
        assert hints.title
        assert shingle_f1(page.body, story(text, hints.title)) > 0.9, page.url

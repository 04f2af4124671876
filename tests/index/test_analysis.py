"""The analyzer: folding, Porter2 stemming, offsets, no stop words."""

from __future__ import annotations

import pickle
import unicodedata

from desktop.index.analysis import (
    COMMON_MORE,
    COMMON_STEMS,
    FOLDED_PREFIX,
    HEAD_BOOST,
    SECTION,
    PairsTokenizer,
    StemTokenizer,
    WordsTokenizer,
    analyse,
    common_stems,
    news_analyzer,
    pair_terms,
)


def terms(text: str) -> list[str]:
    return [term for term, _start, _end in analyse(text)]


def test_accents_and_d_bar_fold() -> None:
    assert terms("Nguyễn Phú Trọng ở Đà Nẵng") == ["nguyen", "phu", "trong", "o", "da", "nang"]


def test_nfd_and_nfc_give_the_same_terms() -> None:
    text = "Việt Nam Hồ Chí Minh"
    assert terms(unicodedata.normalize("NFD", text)) == terms(text)


def test_porter2_stems() -> None:
    assert terms("delegations delegation running run relations") == ["deleg", "deleg", "run", "run", "relat"]


def test_no_stop_words_are_dropped() -> None:
    assert terms("US May will can when not") == ["us", "may", "will", "can", "when", "not"]


def test_offsets_point_at_the_original_words() -> None:
    text = "Viet Nam’s delegation"
    assert [text[start:end] for _term, start, end in analyse(text)] == ["Viet", "Nam’s", "delegation"]


def test_the_whoosh_analyzer_matches_analyse_and_pickles() -> None:
    analyzer = news_analyzer()
    text = "Tổng Bí thư Nguyễn Phú Trọng's visits"
    tokens = [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True)]
    assert tokens == list(analyse(text))
    assert pickle.loads(pickle.dumps(analyzer)) == analyzer


def test_the_head_section_weighs_double_and_no_phrase_spans_two_sections() -> None:
    tokens = [(t.text, t.pos, t.boost) for t in StemTokenizer()(f"Party congress{SECTION}the party", positions=True)]
    assert tokens == [("parti", 0, HEAD_BOOST), ("congress", 1, HEAD_BOOST), ("the", 3, 1.0), ("parti", 4, 1.0)]


def test_words_keep_the_written_form_and_the_folded_one_when_it_differs() -> None:
    assert [t.text for t in WordsTokenizer()("Việt Nam")] == ["việt", FOLDED_PREFIX + "viet", "nam"]


def test_pairs_of_common_words_only_and_never_across_sections() -> None:
    common = frozenset({"the", "parti", "of"})
    assert [t.text for t in PairsTokenizer(common)(f"of the party{SECTION}the party congress of the")] == [
        "of the",
        "the parti",
        "the parti",
        "of the",
    ]
    assert pair_terms(["of", "the", "congress"], common) == ["of the"]


def test_the_archive_s_own_common_words_join_the_shipped_ones_up_to_a_cap() -> None:
    texts = [f"zebra giraffe{index % 7} lion{index}" if index % 5 == 0 else f"story {index}" for index in range(600)]
    common = common_stems(texts)
    assert "zebra" in common  # in 20 % of the texts
    assert not {"lion1", "giraffe1"} & common  # in one text, and in under 10 %
    assert common >= COMMON_STEMS
    assert common_stems(texts[:100]) == COMMON_STEMS  # too small a sample says nothing
    many = [" ".join(f"w{k}x" for k in range(COMMON_MORE + 50)) for _ in range(600)]
    assert len(common_stems(many) - COMMON_STEMS) == COMMON_MORE
    analyzer = PairsTokenizer(common)
    assert pickle.loads(pickle.dumps(analyzer)) == analyzer

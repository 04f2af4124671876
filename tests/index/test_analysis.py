"""The analyzer: folding, Porter2 stemming, offsets, no stop words."""

from __future__ import annotations

import pickle
import unicodedata

from desktop.index.analysis import analyse, news_analyzer


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

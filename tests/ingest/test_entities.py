"""People, places and organisations found in news text: the sample articles, titles, offsets, spellings, false starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.core.models import Span
from desktop.ingest.entities import Mention, extract_entities, load_gazetteer
from desktop.ingest.gazetteer import Gazetteer

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "sample"
FRAGMENTS = ["Nguyen ", "Phu ", "Trong ", "Mr ", "Chairman ", "of the ", "Ministry ", "Ha Noi", " said", "(VNA)", "Viet Nam", "US", "Đức "]
MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


def entities(mentions: list[Mention], kind: str) -> set[str]:
    return {m.name for m in mentions if m.kind == kind}


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "people"),
    [
        ("000_2904bdd88f8cdea2.txt", {"Ngo Le Van"}),
        ("001_c3d0b8fc1c147a5a.txt", {"Hoang Binh Quan", "Wendy Sherman", "Daniel Russell", "Herve Ladsous", "Sam Webb"}),
        ("002_a4cb8ebfcc55111e.txt", {"Hoang Binh Quan", "El Houcine Fardani"}),
        (
            "003_e42f3ed233f263fa.txt",
            {
                "Lê Hoài Trung",
                "Antony Blinken",
                "Jake Sullivan",
                "Samantha Power",
                "Daniel Kritenbrink",
                "Sasha Baker",
                "Guy Ryder",
                "John Kerry",
                "Nguyễn Phú Trọng",
                "Joe Biden",
            },
        ),
        ("004_dca02716566939af.txt", {"Hoang Binh Quan", "Ben Cardin", "Ted Yoho", "Donald Trump"}),
    ],
)
def test_the_people_of_each_sample_article(gazetteer, name, people):
    assert entities(extract_entities(sample(name), gazetteer=gazetteer), "person") == people


def test_places_and_organisations_of_a_sample(gazetteer):
    mentions = extract_entities(sample("001_c3d0b8fc1c147a5a.txt"), gazetteer=gazetteer)
    assert {"United States", "Vietnam", "Washington", "New York", "California", "Hawaii", "San Francisco"} == entities(mentions, "place")
    assert {"Communist Party of Vietnam", "Communist Party USA", "US Department of State", "United Nations", "ASEAN"} <= entities(
        mentions, "organisation"
    )


def test_every_offset_points_at_its_mention(gazetteer):
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for mention in extract_entities(text, gazetteer=gazetteer):
            written = text[mention.start : mention.end]
            assert written
            assert written.strip() == written
            words = written.replace("’", " ").replace("-", " ").split()
            assert words[0][0].isupper(), (path.name, mention)


def test_titles_are_stripped_and_later_mentions_link_to_the_full_name(gazetteer):
    text = sample("003_e42f3ed233f263fa.txt")
    mentions = extract_entities(text, gazetteer=gazetteer)
    blinken = [m for m in mentions if m.name == "Antony Blinken"]
    assert [text[m.start : m.end] for m in blinken] == ["Antony Blinken"]
    assert text[blinken[0].start - len("Secretary of State ") : blinken[0].start] == "Secretary of State "
    trung = [text[m.start : m.end] for m in mentions if m.name == "Lê Hoài Trung"]
    assert trung == ["Lê Hoài Trung", "Trung", "Trung"]  # "Trung suggested", "Trung also expressed"


def test_a_name_with_and_without_diacritics_is_one_entity(gazetteer):
    text = (
        "HANOI, May 3 (VNA) – General Secretary Nguyễn Phú Trọng met Deputy Minister Lê Hoài Trung. "
        "Later, Nguyen Phu Trong and Le Hoai Trung visited Quang Ninh. Trong said the talks went well."
    )
    mentions = extract_entities(text, gazetteer=gazetteer)
    assert entities(mentions, "person") == {"Nguyễn Phú Trọng", "Lê Hoài Trung"}
    assert [text[m.start : m.end] for m in mentions if m.name == "Nguyễn Phú Trọng"] == ["Nguyễn Phú Trọng", "Nguyen Phu Trong", "Trong"]
    assert {m.key for m in mentions if m.kind == "person"} == {"nguyen phu trong", "le hoai trung"}
    assert entities(mentions, "place") == {"Hà Nội", "Quảng Ninh"}


def test_sentence_starts_months_weekdays_and_headlines_make_no_entity(gazetteer):
    text = (
        "Party To Continue Strengthening Ties With Global Political Parties\n"
        "On Thursday, the ministry said exports rose in March. The figures for April and May will follow. "
        "Meanwhile, officials met on Monday. During the Lunar New Year, Tet markets opened. Speaking at the event, "
        "Friday's report was welcomed."
    )
    assert extract_entities(text, gazetteer=gazetteer) == []
    for path in sorted(SAMPLES.glob("*.txt")):
        names = {m.name for m in extract_entities(path.read_text(encoding="utf-8"), gazetteer=gazetteer)}
        assert not names & (MONTHS | WEEKDAYS | {"The", "On", "In", "He", "They", "Meanwhile", "During"}), path.name


def test_a_variant_group_merges_two_spellings():
    text = "US Secretary of State Antony Blinken arrived in Hanoi. Secretary of State Anthony Blinken said the visit matters."
    alone = extract_entities(text, gazetteer=load_gazetteer())
    assert entities(alone, "person") == {"Antony Blinken", "Anthony Blinken"}
    merged = extract_entities(text, gazetteer=load_gazetteer(extra_groups=[["Antony Blinken", "Anthony Blinken"]]))
    assert entities(merged, "person") == {"Antony Blinken"}
    assert len([m for m in merged if m.kind == "person"]) == 2


def test_the_shipped_name_table_joins_the_gazetteer(gazetteer):
    # name_variants.json spells the party "CPV" and "Communist Party of Viet Nam": one organisation, under one name
    mentions = extract_entities("The CPV, or Communist Party of Viet Nam, and the Đảng Cộng sản Việt Nam.", gazetteer=gazetteer)
    assert {(m.kind, m.name) for m in mentions} == {("organisation", "Communist Party of Vietnam")}
    assert len(mentions) == 3


def test_context_classifies_unknown_names(gazetteer):
    text = (
        "Chairman of the Hoa Phat Group Tran Dinh Long said the company would build a steel plant in Me Linh district. "
        "Mr Smith, an investor, was at the Ministry of Mining of Ruritania. The plant employs 3,000 workers from Bac Giang."
    )
    mentions = extract_entities(text, gazetteer=gazetteer)
    assert entities(mentions, "person") == {"Tran Dinh Long", "Smith"}
    assert entities(mentions, "organisation") == {"Hoa Phat Group", "Ministry of Mining of Ruritania"}
    assert entities(mentions, "place") == {"Me Linh", "Bắc Giang"}


def test_vietnamese_text(gazetteer):
    text = (
        "Hà Nội (TTXVN) – Chiều 14/3, Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản Ito Naoki tại Hà Nội. "
        "Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn cùng dự. Ông Sơn cho biết Bộ Ngoại giao sẽ phối hợp với tỉnh Quảng Ninh."
    )
    mentions = extract_entities(text, gazetteer=gazetteer)
    assert entities(mentions, "person") == {"Phạm Minh Chính", "Ito Naoki", "Bùi Thanh Sơn"}
    assert entities(mentions, "place") == {"Hà Nội", "Japan", "Quảng Ninh"}
    assert entities(mentions, "organisation") == {"Vietnam News Agency", "Ministry of Foreign Affairs"}


def test_boilerplate_is_not_read(gazetteer):
    text = sample("001_c3d0b8fc1c147a5a.txt")
    tail = text.index("Mời quý độc giả")
    assert "Voice of Vietnam" in entities(extract_entities(text, gazetteer=gazetteer), "organisation")
    mentions = extract_entities(text, boilerplate=[Span(tail, len(text), "footer")], gazetteer=gazetteer)
    assert "Voice of Vietnam" not in entities(mentions, "organisation")
    assert all(m.end <= tail for m in mentions)


def test_a_word_that_is_also_a_country_is_a_name_beside_other_names(gazetteer):
    # "Đức" is Germany alone, a given name inside "Nguyễn Minh Đức"; "Ông Đức" is a man
    mentions = extract_entities("Ông Nguyễn Minh Đức đã sang Đức. Ông Đức cho biết như vậy.", gazetteer=gazetteer)
    assert entities(mentions, "person") == {"Nguyễn Minh Đức"}
    assert entities(mentions, "place") == {"Germany"}


def test_empty_and_nameless_text(gazetteer):
    assert extract_entities("", gazetteer=gazetteer) == []
    assert extract_entities("the quick brown fox, 2024 — 15%", gazetteer=gazetteer) == []


@pytest.mark.parametrize(
    "spellings",
    [
        ("Thừa Thiên Huế", "Thua Thien Hue", "Thua Thien-Hue"),
        ("Bà Rịa - Vũng Tàu", "Ba Ria-Vung Tau", "Ba Ria - Vung Tau"),
        ("Đắk Lắk", "Dak Lak", "Daklak"),
        ("Hồ Chí Minh City", "Ho Chi Minh City", "HCM City", "TP.HCM"),
        ("Hà Nội", "Ha Noi", "Hanoi"),
    ],
)
def test_provinces_are_known_in_every_usual_spelling(gazetteer, spellings):
    for spelling in spellings:
        mentions = extract_entities(f"The delegation arrived in {spelling} on Monday.", gazetteer=gazetteer)
        assert [(m.kind, m.name) for m in mentions] == [("place", spellings[0])], spelling


def test_the_gazetteer_knows_all_63_provinces_and_cities():
    provinces = [line.split(",")[0] for line in PROVINCES.split(";")]
    assert len(provinces) == 63
    gazetteer = load_gazetteer()
    for name in provinces:
        entity = gazetteer.entity_for(name.strip())
        assert entity is not None, name
        assert entity.kind == "place", name


PROVINCES = (
    "Hà Nội;Hồ Chí Minh City;Hải Phòng;Đà Nẵng;Cần Thơ;An Giang;Bà Rịa - Vũng Tàu;Bắc Giang;Bắc Kạn;Bạc Liêu;Bắc Ninh;Bến Tre;"
    "Bình Định;Bình Dương;Bình Phước;Bình Thuận;Cà Mau;Cao Bằng;Đắk Lắk;Đắk Nông;Điện Biên;Đồng Nai;Đồng Tháp;Gia Lai;Hà Giang;"
    "Hà Nam;Hà Tĩnh;Hải Dương;Hậu Giang;Hòa Bình;Hưng Yên;Khánh Hòa;Kiên Giang;Kon Tum;Lai Châu;Lâm Đồng;Lạng Sơn;Lào Cai;Long An;"
    "Nam Định;Nghệ An;Ninh Bình;Ninh Thuận;Phú Thọ;Phú Yên;Quảng Bình;Quảng Nam;Quảng Ngãi;Quảng Ninh;Quảng Trị;Sóc Trăng;Sơn La;"
    "Tây Ninh;Thái Bình;Thái Nguyên;Thanh Hóa;Thừa Thiên Huế;Tiền Giang;Trà Vinh;Tuyên Quang;Vĩnh Long;Vĩnh Phúc;Yên Bái"
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from([*"Aa Bb Nn Gg Hh ĐđÔôƯưẾếỗ.,;:-–()'’\n\t0123456789", *FRAGMENTS]), max_size=60).map("".join))
def test_any_text_gives_mentions_inside_it(gazetteer, text):
    for mention in extract_entities(text, gazetteer=gazetteer):
        assert 0 <= mention.start < mention.end <= len(text)
        assert mention.kind in ("person", "place", "organisation")
        assert mention.name.strip()

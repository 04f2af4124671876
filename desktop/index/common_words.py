"""Words common in English news copy and in Vietnamese names: neighbouring pairs of them are indexed as one
term (the ``pairs`` field), so a phrase of common words is a single look-up instead of a position check
in most of the archive. Part of the index schema: a change bumps ``SCHEMA_VERSION``.

Function words, the most frequent words of English wire copy (politics, diplomacy, economy), and the
most frequent syllables of Vietnamese names and places. Rare words need no pair: a phrase with one is
quick to check by position.
"""

from __future__ import annotations

_FUNCTION = """
a about after against all also an and any are as at be been before being between both but by can could
did do does during each even first for from further had has have he her here his how however i if in
into is it its last many may more most much must new next no not now of on one only or other our out
over own per said same several she should since so some such than that the their them then there these
they this those three through to two under until up upon us very was we were what when where which
while who whose will with within without would year years yet you your
"""
_NEWS = """
according achievement achievements action activities affairs agency agreed agreement agreements
ambassador announced annual areas asean assembly attended authorities bilateral building business
capital central chairman china cities city committee communist community companies conference
continue continued contribution cooperation council countries country culture defence delegation
democratic department deputy develop developed development digital discussed economic economy
education effective efforts energy environment exchange exchanges expressed foreign forum friendship
general global government green health held help highlighted important increase industry information
integration international investment issues joint labour leaders management measures meeting member
members minister ministry million national nations noted organisation organization partners partnership
party peace people plan policy political president prime programme project projects promote proposed
province public region regional relations report republic research resolution secretary sector
security social society south stability state states support sustainable talks technology ties
tourism trade training united urged visit welcomed women workers world
"""
_VIETNAMESE = """
an anh bac bao binh chi chinh chu cong dai dan dang dinh duc dung duong giang ha hai hanh ho hoa hoang
hong hue hung huong huy khanh kim lam lan le linh long mai minh my nam ngoc nguyen nhan nhat phan pham
phong phu phuc phuong quang quoc son tan thanh thi thien thinh thu thuy tien trung tran trong truong
tu tuan van viet vietnam vinh vo vu xuan noi nang tho
"""
COMMON_WORDS = frozenset((_FUNCTION + _NEWS + _VIETNAMESE).split())

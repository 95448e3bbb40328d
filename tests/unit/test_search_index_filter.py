"""The licences screen's filter (services.search_index.SearchIndex) against the plain definition: the
licences whose holder name or e-mail contains the text, any case, in display order, Voormalig
holders only when asked. Typing, erasing and jumping between filters reuse earlier results;
whatever path a result takes, it must be the plain one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tribe_tui.services.search_index import SearchIndex

NAMES = st.sampled_from(["anna bakker", "Bas de Vries", "Émma Jansen", "noor van dijk", "ZOË", "tim"])


@st.composite
def indexes(draw) -> SearchIndex:
    n = draw(st.integers(min_value=0, max_value=60))
    ids = draw(st.lists(st.integers(min_value=1, max_value=10_000), min_size=n, max_size=n, unique=True))
    haystacks, former = [], bytearray()
    for i in range(n):
        if draw(st.booleans()):  # held
            name = draw(NAMES)
            haystacks.append(f"{name}\0{name.split()[0]}.{i}@example.nl".lower())
            former.append(draw(st.sampled_from([0, 0, 1])))
        else:  # free
            haystacks.append("")
            former.append(0)
    return SearchIndex(1, tuple(ids), tuple(haystacks), bytes(former))


QUERIES = st.lists(st.tuples(st.text(alphabet="abnvdeiëé. @", max_size=5), st.booleans()), max_size=25)


def plain(index: SearchIndex, text: str, include_former: bool) -> list[int]:
    needle = text.strip().lower()
    return [
        i
        for i, h, f in zip(index.ids, index.haystacks, index.former, strict=False)
        if (include_former or not f) and (not needle or needle in h)
    ]


@settings(max_examples=400, deadline=None)
@given(indexes(), QUERIES)
def test_every_filter_path_gives_the_plain_answer(index, queries):
    for text, include_former in queries:
        selected = index.select(text, include_former)
        expected = plain(index, text, include_former)
        assert list(selected) == expected
        assert len(selected) == len(expected)
        assert selected[1:4] == expected[1:4]
        for at, licence_id in enumerate(expected):
            assert selected[at] == licence_id
            assert selected.index(licence_id) == at
            assert licence_id in selected
        for licence_id in set(index.ids) - set(expected):
            assert licence_id not in selected


@settings(max_examples=200, deadline=None)
@given(indexes(), st.text(alphabet="abnvde", min_size=1, max_size=8))
def test_typing_a_query_and_erasing_it_key_by_key(index, query):
    steps = [query[:k] for k in range(1, len(query) + 1)] + [query[:k] for k in range(len(query) - 1, -1, -1)]
    for text in steps:
        assert list(index.select(text, False)) == plain(index, text, False)


def test_earlier_results_are_forgotten_beyond_the_memory_bound(monkeypatch):
    import tribe_tui.services.search_index as search_index

    monkeypatch.setattr(search_index, "MEMO_POSITIONS", 10)
    index = SearchIndex(1, tuple(range(1, 9)), tuple(f"name{i}\0e{i}@x.nl" for i in range(8)), bytes(8))
    for text in ("n", "na", "nam", "name"):
        assert len(index.select(text, True)) == 8
    assert sum(len(p) for p in index._memo.values()) <= 10
    assert list(index.select("name3", True)) == [4]

"""A held text's lines are split once for all its claims (``wickgraph.citations._Lines``): what is above a line
must be exactly what the text above it, joined by newlines, holds, whatever the line breaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store

from wickgraph.citations import _Lines

# Every line break str.splitlines() knows, and a few characters to build addresses from.
BREAKS = ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
texts = st.lists(st.sampled_from(["a", "b", "/", ":", " ", "ab", "https://x.org/a", *BREAKS]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, st.data())
def test_above_a_line_is_the_text_above_it(text: str, data: st.DataObject) -> None:
    lines = text.splitlines()
    held = _Lines(text)
    assert held.lines == lines
    if not lines:
        return
    line = data.draw(st.integers(1, len(lines)))
    above = "\n".join(lines[: line - 1])
    joined = "\n".join(lines)
    start = data.draw(st.integers(0, len(joined)))
    wanted = data.draw(st.sampled_from([joined[start : start + n] for n in range(0, 8)] + ["https://x.org/a", "\n"]))
    assert held.above(line)(wanted) == (wanted in above), (line, wanted)


def test_an_address_below_the_line_or_across_it_is_not_above() -> None:
    held = _Lines("intro\r\nsee https://x.org/a\r\nWikipedia (W) line\nhttps://y.org/b later")
    assert held.above(3)("https://x.org/a") and not held.above(2)("https://x.org/a")
    assert not held.above(3)("https://y.org/b")
    assert held.above(3)("intro\nsee") and not held.above(3)("intro\r\nsee")  # joined by "\n", as the rule reads it
    assert not held.above(2)("intro\nsee")


def _sources(store: Store, rows: list[tuple[str, str, str]]) -> None:
    wg = "https://w3id.org/wickgraph/ontology#"
    for source, file, sha in rows:
        graph = NamedNode(source)
        store.add(Quad(graph, NamedNode(wg + "localFile"), Literal(file), graph))
        store.add(Quad(graph, NamedNode(wg + "sha256"), Literal(sha), graph))


def test_a_file_several_sources_cite_is_read_once_and_checked_for_each(tmp_path: Path) -> None:
    import hashlib

    from wickgraph.citations import held_texts
    from wickgraph.errors import SourceTextError

    (tmp_path / "shared.txt").write_text("one\ntwo\n", encoding="utf-8")
    sha = hashlib.sha256(b"one\ntwo\n").hexdigest()
    store = Store()
    _sources(store, [(f"urn:s:{n}", "shared.txt", sha) for n in range(3)])
    texts = held_texts(store, tmp_path)
    assert sorted(texts) == ["urn:s:0", "urn:s:1", "urn:s:2"] and set(texts.values()) == {"one\ntwo\n"}
    assert len({id(text) for text in texts.values()}) == 1  # one string, so its lines are split once
    _sources(store, [("urn:s:9", "shared.txt", "0" * 64)])  # a fourth source cites the same file by another hash
    with pytest.raises(
        SourceTextError, match=f"shared.txt: SHA-256 is {sha}, but the data cite the text with SHA-256 0{{64}}"
    ):
        held_texts(store, tmp_path)


def _naive_cue(words: list[str], cues: tuple[str, ...]) -> str | None:
    for word in words:
        for cue in cues:
            if word == cue or (cue.endswith("*") and word.startswith(cue[:-1])):
                return word
    return None


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.text("abw*", max_size=4), max_size=6),
    st.lists(st.text("abw*", max_size=4), max_size=4).map(tuple),
)
def test_a_cue_is_found_as_word_by_word_and_cue_by_cue(words: list[str], cues: tuple[str, ...]) -> None:
    from wickgraph.citation_words import _has_cue

    assert _has_cue(words, cues) == _naive_cue(words, cues)

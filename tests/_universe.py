"""A generated universe split into data files, for the tests of builds that start from an earlier one."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_GRAPH = re.compile(rb" <([^<>]*)> \.\s*$")


def split_universe(directory: Path, *, films: int, buckets: int, seed: int) -> Path:
    """Generate a universe of ``films`` films in ``directory`` and split it into ``directory/data``: the registry in
    ``entities.nq``, each source graph with its claim graphs in one of ``buckets`` files (``part-N.nq``, chosen by
    a hash of the source's name, so the same source always lands in the same file). Returns the data directory."""
    from wickgraph.synthetic import generate

    whole = directory / "universe.nq"
    generate(whole, films=films, seed=seed, texts_dir=directory / "texts")
    data = directory / "data"
    data.mkdir()
    parts: dict[str, list[bytes]] = {}
    for line in whole.read_bytes().splitlines(keepends=True):
        found = _GRAPH.search(line)
        assert found is not None, line
        graph = found.group(1).decode()
        if graph.endswith("/graph/entities"):
            name = "entities.nq"
        else:
            pieces = graph.split("/")
            slug = pieces[-2] if "/claim/" in graph else pieces[-1]
            name = f"part-{int(hashlib.sha256(slug.encode()).hexdigest(), 16) % buckets}.nq"
        parts.setdefault(name, []).append(line)
    for name, lines in parts.items():
        (data / name).write_bytes(b"".join(lines))
    whole.unlink()
    return data


def edit_a_date(path: Path) -> None:
    """Move the first release date, date or birth date of the data file at ``path`` one year earlier (a valid
    edit that changes one quad)."""
    text = path.read_text(encoding="utf-8")
    edited = re.sub(
        r'(ontology#(?:releaseDate|date|birthDate)> ")(\d{4})',
        lambda m: m.group(1) + str(int(m.group(2)) - 1),
        text,
        count=1,
    )
    assert edited != text
    path.write_text(edited, encoding="utf-8")

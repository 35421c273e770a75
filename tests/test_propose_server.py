"""The review page on a real `wickgraph serve --allow-updates` process: it lists drafts, shows candidates (escaped),
writes the data file only with the token and a complete form, and never on a read-only server."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode

from click.testing import CliRunner

from _server import ServerProcess
from wickgraph.cli import cli
from wickgraph.locations import default_data_dir
from wickgraph.propose import read_draft
from wickgraph.server.guard import Limits

TOKEN = "review-test-token"
LIMIT = Limits().max_request_bytes
"""The server's body limit (``--max-request-bytes``) when it is not set."""
FIXTURE = Path(__file__).parent / "fixtures" / "propose" / "chapter-4-primer.txt"


def _draft(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    text = tmp_path / "held" / "chapter-4-primer.txt"
    text.parent.mkdir()
    # A hostile line: markup in the text must be shown, not obeyed.
    text.write_text(FIXTURE.read_text(encoding="utf-8") + "\nDonnie Yen plays <script>alert(1)</script> Caine.\n")
    result = CliRunner().invoke(
        cli,
        [
            "propose",
            str(text),
            "--title",
            "Primer <b>",
            "--publisher",
            "wickgraph editors",
            "--published",
            "2026-12-07",
            "--data",
            str(data),
            "--key",
            "primer-web",
        ],
    )
    assert result.exit_code == 0, result.output
    return data, data / "primer-web.trig"


def _padded(fields: dict[str, str], size: int) -> str:
    """The form's body, with a field the page ignores padding it to exactly ``size`` bytes."""
    body = urlencode({**fields, "pad": ""})
    padded = body + "x" * (size - len(body))
    assert len(padded.encode()) == size
    return padded


def test_review_page_writes_only_with_the_token(tmp_path: Path, built_store: Path, sources_dir: Path) -> None:
    data, path = _draft(tmp_path)
    held = tmp_path / "held"
    env = {"WICKGRAPH_UPDATE_TOKEN": TOKEN, "WICKGRAPH_DRAFTS": str(data), "WICKGRAPH_SOURCES": str(held)}
    n = len(read_draft(path).candidates)
    with ServerProcess(built_store, "--allow-updates", env=env) as server:
        listing = server.request("GET", "/review")
        assert listing.status == 200 and "/review?draft=primer-web" in listing.text
        page = server.request("GET", "/review", params={"draft": "primer-web"})
        assert page.status == 200 and page.content_type.startswith("text/html")
        assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert page.text.count("<fieldset>") == n
        assert "Donnie Yen plays Caine, a blind assassin" in page.text  # the sentence, from the held text
        before = path.read_bytes()
        form = {f"c{i}": "a" for i in range(1, n + 1)}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        for token in ("", "wrong"):
            reply = server.request(
                "POST", "/review?draft=primer-web", body=urlencode({**form, "token": token}), headers=headers
            )
            assert reply.status == 401 and path.read_bytes() == before
        incomplete = dict(form)
        del incomplete["c2"]
        reply = server.request(
            "POST", "/review?draft=primer-web", body=urlencode({**incomplete, "token": TOKEN}), headers=headers
        )
        assert reply.status == 400 and "claim 2" in reply.text and path.read_bytes() == before
        # A form one byte over the server's body limit (--max-request-bytes, the one every handler reads under) is
        # refused by the page, which names the limit; a far larger one by the HTTP layer's cap, which sits above.
        over = _padded({**form, "token": TOKEN}, LIMIT + 1)
        reply = server.request("POST", "/review?draft=primer-web", body=over, headers=headers)
        assert reply.status == 413 and "Nothing written" in reply.text and path.read_bytes() == before
        assert f"the request body has {LIMIT + 1:,} bytes; this server accepts at most {LIMIT:,}" in reply.text
        huge = urlencode({**form, "token": TOKEN, "pad": "x" * (1 << 20)})
        reply = server.request("POST", "/review?draft=primer-web", body=huge, headers=headers)
        assert reply.status == 413 and "Request Entity Too Large" in reply.text and path.read_bytes() == before
        reply = server.request("GET", "/review", params={"draft": "../../etc/passwd"})
        assert reply.status == 404
        # A form of exactly the limit is read whole.
        exact = _padded({**form, "token": TOKEN}, LIMIT)
        reply = server.request("POST", "/review?draft=primer-web", body=exact, headers=headers)
        assert reply.status == 200 and f"{n} claims accepted" in reply.text
    written = path.read_text()
    assert "wgp:" not in written and "wg:Claim" in written
    # What the page wrote is data: the build checks every citation against the held text.
    held_all = tmp_path / "all-held"
    shutil.copytree(sources_dir, held_all)
    shutil.copy(held / "chapter-4-primer.txt", held_all)
    result = CliRunner().invoke(cli, ["validate", "--data", str(data), "--sources", str(held_all)])
    assert result.exit_code == 0, result.output


def test_review_page_is_off_on_a_read_only_server(tmp_path: Path, built_store: Path) -> None:
    data, path = _draft(tmp_path)
    with ServerProcess(built_store, env={"WICKGRAPH_DRAFTS": str(data)}) as server:
        reply = server.request("GET", "/review", params={"draft": "primer-web"})
        assert reply.status == 403 and "read-only" in reply.text
        reply = server.request(
            "POST",
            "/review?draft=primer-web",
            body="c1=a&token=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert reply.status == 403
    assert "wgp:Draft" in path.read_text()

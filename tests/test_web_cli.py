"""`consult session` and `consult serve`: what they print and refuse."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

pytest.importorskip("starlette")

import consult  # noqa: E402
from consult.allocate import allocation_csv  # noqa: E402
from consult.cli import cli  # noqa: E402
from conftest import SAMPLE_DRAFT  # noqa: E402


@pytest.fixture
def plan(tmp_path):
    draft = consult.load_draft(SAMPLE_DRAFT)
    path = tmp_path / "allocation.csv"
    path.write_text(allocation_csv(draft, consult.allocate(draft, consult.group_names(3))))
    return path


def test_session_makes_the_folder_with_a_token_per_group(tmp_path, plan):
    out = tmp_path / "session"
    r = CliRunner().invoke(cli, ["session", str(SAMPLE_DRAFT), "--allocation", str(plan),
                                 "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert r.output == f"Session ready in {out}. Start it with: consult serve {out}\n"
    assert sorted(p.name for p in out.iterdir()) == ["allocation.csv", "draft.docx",
                                                       "session.db", "uploads"]
    from consult.web.session import Session
    store = Session(out).store
    tokens = [g.token for g in store.groups()] + [store.meta("facilitator")]
    assert len(set(tokens)) == 4 and all(len(t) >= 32 for t in tokens)
    assert [g.name for g in store.groups()] == ["Group 1", "Group 2", "Group 3"]
    again = CliRunner().invoke(cli, ["session", str(SAMPLE_DRAFT), "--allocation", str(plan),
                                     "-o", str(out)])
    assert again.exit_code == 2 and "is not empty" in again.output


def test_serve_refuses_a_folder_that_is_not_a_session(tmp_path):
    r = CliRunner().invoke(cli, ["serve", str(tmp_path)])
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: {tmp_path}: has no session.db;")
    assert "Traceback" not in r.output

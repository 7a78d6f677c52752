"""The facilitator's live view: conflicts between groups as they appear, counts per section,
the "share responses" view; and a group that responds online and uploads keeps both."""
from __future__ import annotations

import warnings

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from conftest import SAMPLE_DRAFT, need  # noqa: E402
from edit_docx import Docx, add_comment  # noqa: E402
from live_support import csrf_of, pandoc_read  # noqa: E402
from consult.web import create_session, links, make_app  # noqa: E402
from consult.web.session import Session  # noqa: E402

BASE = "http://testserver"


@pytest.fixture(scope="module")
def live(folder):
    """Two groups given the same section (1.1), so that they can disagree."""
    plan = folder / "plan.csv"
    plan.write_text("group,sections\nGreen table,1.1\nBlue table,1.1; 1.2\n")
    create_session(SAMPLE_DRAFT, plan, folder / "session")
    session = folder / "session"
    client = TestClient(make_app(session))
    fac, groups = links(session, BASE)
    draft = Session(session).draft
    sec = draft.section("1.1")
    para = next(p for p in draft.paragraphs[sec.start:sec.end] if len(p.text) > 50)
    return dict(session=session, client=client, fac=fac[len(BASE):],
                groups=[u[len(BASE):] for _, u in groups], para=para)


def send(live, k: int, body: dict):
    c, path = live["client"], live["groups"][k]
    csrf = csrf_of(c.get(path).text)
    return c.post(path + "/api/responses", json=body, headers={
        "X-CSRF-Token": csrf, "Origin": BASE, "Accept": "application/json"})


def suggestion(live, nonce: str, words: str, kind: str, text: str = "") -> dict:
    p = live["para"]
    start = p.text.index(words)
    return {"nonce": nonce, "kind": kind, "paragraph": p.index, "start": start,
            "end": start + len(words), "text": text}


def status(live) -> dict:
    return live["client"].get(live["fac"] + "/api/status").json()


def test_conflict_appears_when_two_groups_disagree(live):
    words = live["para"].text.split()[3]
    assert status(live)["conflicts"] == []
    assert send(live, 0, suggestion(live, "green-replace", words, "replace", "GREEN")).status_code == 201
    assert status(live)["conflicts"] == []
    assert send(live, 1, suggestion(live, "blue-delete-1", words, "delete")).status_code == 201
    found = status(live)["conflicts"]
    assert [(c["section"], c["words"], [(g["group"], g["kind"], g["text"]) for g in c["groups"]])
            for c in found] == [("1.1", words, [("Green table", "replace", "GREEN"),
                                                ("Blue table", "delete", "")])]
    sections = {s["id"]: s for s in status(live)["sections"]}
    assert (sections["1.1"]["suggestions"], sections["1.1"]["groups"]) == (
        2, ["Green table", "Blue table"])


def test_share_view_shows_one_group_with_a_timer(live):
    c = live["client"]
    page = c.get(live["fac"] + "/share?n=1&minutes=2").text
    assert 'data-seconds="120"' in page and "Green table" in page and "GREEN" in page
    assert "Blue table" not in page.split("<main>")[1]
    page = c.get(live["fac"] + "/share?n=2").text
    assert 'data-seconds="180"' in page and "Blue table" in page
    assert c.get("/f/wrong/share?n=1").status_code == 404


def test_a_group_online_and_in_word_keeps_both(live, folder):
    need("pandoc")
    c, path = live["client"], live["groups"][1]
    pack = folder / "blue.docx"
    pack.write_bytes(c.get(path + "/pack.docx").content)
    doc = Docx.open(pack)
    add_comment(doc, live["para"].text[:30], "Blue table's Word comment", "Blue", "B",
                "2026-11-30T10:00:00Z")
    doc.save(pack)
    csrf = csrf_of(c.get(path).text)
    with open(pack, "rb") as fh:
        r = c.post(path + "/upload", files={"file": ("blue.docx", fh)}, data={"csrf": csrf},
                   headers={"Origin": BASE, "Accept": "application/json"})
    assert r.status_code == 200, r.text
    fcsrf = csrf_of(c.get(live["fac"]).text)
    assert c.post(live["fac"] + "/close", data={"csrf": fcsrf}, headers={"Origin": BASE},
                  follow_redirects=False).status_code == 303
    comments, changes, _ = pandoc_read(live["session"] / "collated.docx")
    assert ("Blue table", "Blue table's Word comment") in [(x.author, x.text) for x in comments]
    authors = {ch.author for ch in changes}
    # both delete the word (credited together); only Green puts words in its place
    assert authors == {"Green table & Blue table (online)", "Green table"}
    notes = [x.text for x in comments if x.author == "consult"]
    assert len(notes) == 1 and "Green table: “GREEN”" in notes[0] \
        and "Blue table (online): (deletes it)" in notes[0]

"""A live session end to end in-process: online responses and an uploaded pack, closed into
collated.docx; pandoc (an independent reader) finds each comment on the words the group
selected and each suggestion as a tracked change under the group's name."""
from __future__ import annotations

import warnings

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

import consult  # noqa: E402
from conftest import need  # noqa: E402
from edit_docx import Docx, add_comment, track_replace  # noqa: E402
from live_support import csrf_of, make_session, pandoc_read  # noqa: E402
from consult.web import links, make_app  # noqa: E402
from consult.web.session import Session  # noqa: E402

BASE = "http://testserver"
DATE = "2026-11-30T10:00:00Z"


def norm(text: str) -> str:
    return " ".join(text.split())


class Group:
    """A group's browser, in-process."""

    def __init__(self, client: TestClient, url: str) -> None:
        self.client, self.path = client, url[len(BASE):]
        self.csrf = csrf_of(client.get(self.path).text)

    def post(self, url: str, body: dict):
        return self.client.post(self.path + url, json=body, headers={
            "X-CSRF-Token": self.csrf, "Origin": BASE, "Accept": "application/json"})

    def respond(self, kind: str, para: int, words: str, text: str = "", nonce: str = "",
                after: str = "") -> dict:
        """Select ``words`` (the first after ``after``) in paragraph ``para`` and send."""
        full = SESSION_TEXTS[para]
        start = full.index(words, full.index(after) if after else 0)
        body = {"nonce": nonce or f"{kind}-{para}-{start}-{len(text)}", "kind": kind,
                "paragraph": para, "start": start, "end": start + len(words), "text": text}
        r = self.post("/api/responses", body)
        assert r.status_code == 201, r.text
        return r.json()["item"]


SESSION_TEXTS: list[str] = []


@pytest.fixture(scope="module")
def closed(folder):
    need("pandoc")
    session = make_session(folder, groups=3)
    SESSION_TEXTS[:] = Session(session).texts
    draft = Session(session).draft
    client = TestClient(make_app(session))
    fac, groups = links(session, BASE)
    g1 = Group(client, groups[0][1])
    g1_para = _paragraph_in(draft, Session(session).store.groups()[0].sections, "policy")
    g3_para = _paragraph_in(draft, Session(session).store.groups()[2].sections, "the")
    said = {"g1_para": g1_para, "g3_para": g3_para}
    words = _words(SESSION_TEXTS[g1_para], 2)
    said["comment"] = g1.respond("comment", g1_para, words[0], "Is this clear to parents?")
    said["replace"] = g1.respond("replace", g1_para, words[1], "REPLACEMENT", after=words[0])
    reply = g1.post("/api/responses", {"nonce": "reply-withdrawn", "kind": "reply", "parent":
                                       said["comment"]["id"], "text": "We discussed this at length."}
                    ).json()["item"]
    assert g1.post("/api/responses", {"nonce": "reply-kept-1", "kind": "reply", "text": "Our reply",
                                      "parent": said["comment"]["id"]}).status_code == 201
    assert g1.post(f"/api/responses/{reply['id']}", {"action": "withdraw"}).status_code == 200
    g3 = Group(client, groups[2][1])
    w3 = _words(SESSION_TEXTS[g3_para], 1)[0]
    said["insert"] = g3.respond("insert", g3_para, w3, " INSERTED WORDS")
    edited = g3.respond("comment", g3_para, w3, "first thought")
    assert g3.post(f"/api/responses/{edited['id']}", {"action": "edit",
                                                       "text": "second thought"}).status_code == 200
    # Group 2 marks up its Word pack and uploads it instead.
    g2 = Group(client, groups[1][1])
    pack = folder / "Group 2 pack.docx"
    pack.write_bytes(client.get(g2.path + "/pack.docx").content)
    g2_sections = Session(session).store.groups()[1].sections
    g2_para = _paragraph_in(draft, g2_sections, "the")
    text2 = SESSION_TEXTS[g2_para]
    snippet, w2 = text2[:30], _words(text2, 1)[0]
    doc = Docx.open(pack)
    add_comment(doc, snippet, "Comment from the Word pack", "Group 2", "G2", DATE)
    track_replace(doc, snippet, w2, "WORDSWAP", "Group 2", DATE)
    doc.save(folder / "Group 2 marked.docx")
    with open(folder / "Group 2 marked.docx", "rb") as fh:
        r = client.post(g2.path + "/upload", files={"file": ("Group 2 marked.docx", fh)},
                        data={"csrf": g2.csrf}, headers={"Origin": BASE}, follow_redirects=False)
    assert r.status_code == 303 and "error" not in r.headers["location"], r.headers["location"]
    said.update(g2_para=g2_para, w2=w2)
    status = client.get(fac[len(BASE):] + "/api/status").json()
    fcsrf = csrf_of(client.get(fac[len(BASE):]).text)
    r = client.post(fac[len(BASE):] + "/close", data={"csrf": fcsrf}, headers={"Origin": BASE},
                    follow_redirects=False)
    assert r.status_code == 303
    return session, said, status, client, g1


def _paragraph_in(draft, sections, word: str) -> int:
    for sid in sections:
        s = draft.section(sid)
        for p in draft.paragraphs[s.start:s.end]:
            if p.outline is None and not p.in_table and len(p.text.split()) > 12 \
                    and word in p.text.split():
                return p.index
    raise AssertionError("no long paragraph in the sections")


def _words(text: str, n: int) -> list[str]:
    """``n`` distinct words of the paragraph, each appearing once in it, in order."""
    out = []
    for w in text.split():
        w = w.strip(".,;:()")
        if len(w) > 4 and text.count(w) == 1 and w not in out:
            out.append(w)
        if len(out) == n:
            return out
    raise AssertionError("not enough distinct words")


def test_dashboard_counted_both_kinds_of_response(closed):
    _, said, status, *_ = closed
    rows = {g["name"]: g for g in status["groups"]}
    assert (rows["Group 1"]["comments"], rows["Group 1"]["suggestions"]) == (2, 1)
    assert rows["Group 2"]["upload"]["comments"] == 1
    assert rows["Group 2"]["upload"]["changes"] == 2        # a deletion and an insertion


def test_comments_sit_on_the_selected_words(closed):
    session, said, *_ = closed
    comments, _, _ = pandoc_read(session / "collated.docx")
    mine = {(c.author, c.text): c for c in comments if c.author.startswith("Group")}
    c = mine[("Group 1", "Is this clear to parents?")]
    assert norm(c.words) == norm(said["comment"]["quote"])
    assert norm(c.paragraph) == norm(SESSION_TEXTS[said["g1_para"]])
    assert norm(mine[("Group 1", "Our reply")].words) == norm(said["comment"]["quote"])
    assert ("Group 1", "We discussed this at length.") not in mine      # withdrawn
    assert ("Group 3", "second thought") in mine and ("Group 3", "first thought") not in mine
    assert ("Group 2", "Comment from the Word pack") in mine


def test_tracked_changes_are_the_suggestions(closed):
    session, said, *_ = closed
    _, changes, _ = pandoc_read(session / "collated.docx")
    text = SESSION_TEXTS[said["g1_para"]]
    replace = said["replace"]
    found = [(ch.kind, ch.text, norm(ch.before)) for ch in changes if ch.author == "Group 1"]
    assert found == [("deletion", replace["quote"], norm(text[:replace["start"]])),
                     ("insertion", "REPLACEMENT", norm(text[:replace["end"]]))]
    ins = said["insert"]
    g3 = [(ch.kind, ch.text, norm(ch.before)) for ch in changes if ch.author == "Group 3"]
    assert [(k, norm(t), b) for k, t, b in g3] == [
        ("insertion", "INSERTED WORDS", norm(SESSION_TEXTS[said["g3_para"]][:ins["end"]]))]
    g2 = [(ch.kind, norm(ch.text)) for ch in changes if ch.author == "Group 2"]
    assert g2 == [("deletion", said["w2"]), ("insertion", "WORDSWAP")]


def test_collated_reads_like_draft_with_suggestions_accepted(closed):
    """Accepting everything gives the draft with exactly the three groups' word changes."""
    session, said, *_ = closed
    out = session.parent / "accepted.docx"
    consult.accept(session / "collated.docx", out)
    _, _, paragraphs = pandoc_read(out)
    texts = {norm(p) for p in paragraphs}
    t1 = SESSION_TEXTS[said["g1_para"]]
    r = said["replace"]
    assert norm(t1[:r["start"]] + "REPLACEMENT" + t1[r["end"]:]) in texts
    t3 = SESSION_TEXTS[said["g3_para"]]
    i = said["insert"]
    assert norm(t3[:i["end"]] + " INSERTED WORDS" + t3[i["end"]:]) in texts


def test_closing_wrote_reports_and_refuses_more(closed):
    session, said, _, client, g1 = closed
    assert (session / "report" / "report.html").is_file()
    assert (session / "returns" / "online-1.docx").is_file()
    r = g1.post("/api/responses", {"nonce": "after-close", "kind": "comment", "paragraph":
                                   said["g1_para"], "start": 0, "end": 3, "text": "late"})
    assert r.status_code == 409


def test_word_opens_the_online_return_and_the_collated_document(closed):
    """Schema-valid (the shared OOXML validator) and opened by LibreOffice."""
    import subprocess
    import sys
    from conftest import VALIDATOR
    session = closed[0]
    files = [session / "returns" / "online-1.docx", session / "collated.docx"]
    if not VALIDATOR.is_file():
        pytest.skip("../shared/ooxml-schemas/validate.py is absent")
    r = subprocess.run([sys.executable, str(VALIDATOR), *map(str, files)], capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    soffice = need("soffice")
    out = session.parent / "pdf"
    r = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                        str(files[0])], capture_output=True, timeout=300)
    assert (out / "online-1.pdf").stat().st_size > 1000, r.stderr

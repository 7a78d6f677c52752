"""Live-session safety: each bad request is refused cleanly and nothing is written."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")
warnings.filterwarnings("ignore", message=".*httpx.*")

from starlette.testclient import TestClient  # noqa: E402

from live_support import csrf_of, make_session  # noqa: E402
from make_hostile import base_docx, zeros_bomb  # noqa: E402
from consult.web import links, make_app  # noqa: E402
from consult.web.guard import Limits  # noqa: E402
from consult.web.session import Session  # noqa: E402

BASE = "http://testserver"
LIMITS = Limits(upload_bytes=2 * 1024 * 1024, burst=40, rate=5)


@pytest.fixture(scope="module")
def live(folder):
    session = make_session(folder, groups=2)
    client = TestClient(make_app(session, LIMITS))
    fac, groups = links(session, BASE)
    paths = [u[len(BASE):] for _, u in groups]
    csrfs = [csrf_of(client.get(p).text) for p in paths]
    store = Session(session).store
    para = {g.id: _first_paragraph(Session(session), g.sections) for g in store.groups()}
    return dict(session=session, client=client, fac=fac[len(BASE):], paths=paths, csrfs=csrfs,
                store=store, para=para)


def _first_paragraph(session: Session, sections) -> int:
    draft = session.draft
    for sid in sections:
        s = draft.section(sid)
        for p in draft.paragraphs[s.start:s.end]:
            if len(p.text) > 20:
                return p.index
    raise AssertionError


def comment(para: int, nonce: str = "nonce-000001") -> dict:
    return {"nonce": nonce, "kind": "comment", "paragraph": para, "start": 0, "end": 4,
            "text": "hello"}


def snapshot(session: Path) -> set[str]:
    """Every file in the session folder but the database's own (WAL) files."""
    return {str(p.relative_to(session)) for p in session.rglob("*")
            if not p.name.startswith("session.db")}


@pytest.fixture
def unchanged(live):
    """The test must leave the database's responses and uploads, and the folder, as they were."""
    store, session = live["store"], live["session"]
    before = (len(store.responses(withdrawn=True)), len(store.uploads()), snapshot(session))
    yield
    assert (len(store.responses(withdrawn=True)), len(store.uploads()), snapshot(session)) \
        == before


def post_json(live, k: int, url: str, body: dict, csrf: str | None = "own",
              origin: str | None = BASE):
    headers = {"Accept": "application/json"}
    if csrf:
        headers["X-CSRF-Token"] = live["csrfs"][k] if csrf == "own" else csrf
    if origin:
        headers["Origin"] = origin
    return live["client"].post(live["paths"][k] + url, json=body, headers=headers)


def upload(live, k: int, name: str, data: bytes, csrf: str | None = "own"):
    form = {"csrf": live["csrfs"][k] if csrf == "own" else (csrf or "")}
    return live["client"].post(live["paths"][k] + "/upload", files={"file": (name, data)},
                               data=form, headers={"Origin": BASE, "Accept": "application/json"})


def test_no_token_or_a_wrong_one_is_not_found(live, unchanged):
    c = live["client"]
    assert c.get("/g/").status_code == 404
    assert c.get("/g/not-a-token").status_code == 404
    assert c.get("/g/not-a-token/api/responses").status_code == 404
    r = c.post("/g/not-a-token/api/responses", json=comment(1), headers={"Origin": BASE})
    assert r.status_code == 404
    assert c.get("/f/not-the-facilitator").status_code == 404
    assert c.get("/f/not-the-facilitator/api/status").status_code == 404


def test_a_group_token_is_not_the_facilitators(live, unchanged):
    token = live["paths"][0].rsplit("/", 1)[1]
    c = live["client"]
    assert c.get(f"/f/{token}").status_code == 404
    assert c.get(f"/f/{token}/api/status").status_code == 404
    r = c.post(f"/f/{token}/close", data={"csrf": live["csrfs"][0]}, headers={"Origin": BASE})
    assert r.status_code == 404 and not live["session"].joinpath("collated.docx").exists()


def test_another_groups_responses_can_be_neither_read_nor_changed(live):
    g1, g2 = live["store"].groups()
    r = post_json(live, 0, "/api/responses", comment(live["para"][g1.id], "group-one-own"))
    assert r.status_code == 201
    rid = r.json()["item"]["id"]
    listed = live["client"].get(live["paths"][1] + "/api/responses").json()["items"]
    assert rid not in [i["id"] for i in listed]
    for body in ({"action": "edit", "text": "hijacked"}, {"action": "withdraw"}):
        assert post_json(live, 1, f"/api/responses/{rid}", body).status_code == 404
    r = post_json(live, 1, "/api/responses", {"nonce": "reply-to-other", "kind": "reply",
                                              "parent": rid, "text": "x"})
    assert r.status_code == 400
    mine = live["store"].response(g1.id, rid)
    assert (mine.text, mine.withdrawn) == ("hello", 0)
    # and group 2 cannot respond on group 1's paragraphs
    other = post_json(live, 1, "/api/responses", comment(live["para"][g1.id], "wrong-section"))
    assert other.status_code == 403
    assert live["store"].responses(g2.id) == []


@pytest.mark.parametrize("csrf,origin", [(None, BASE), ("forged-token", BASE),
                                         ("own", None), ("own", "http://evil.example")])
def test_forged_posts_are_refused(live, unchanged, csrf, origin):
    g1 = live["store"].groups()[0]
    r = post_json(live, 0, "/api/responses", comment(live["para"][g1.id], "forged-post-1"),
                  csrf=csrf, origin=origin)
    assert r.status_code == 403 and "error" in r.json()


def test_another_groups_csrf_token_does_not_pass(live, unchanged):
    g1 = live["store"].groups()[0]
    r = post_json(live, 0, "/api/responses", comment(live["para"][g1.id], "crossed-csrf"),
                  csrf=live["csrfs"][1])
    assert r.status_code == 403


def test_forged_close_and_upload(live, unchanged):
    c = live["client"]
    r = c.post(live["fac"] + "/close", data={"csrf": "nope"}, headers={"Origin": BASE})
    assert r.status_code == 403
    r = c.post(live["fac"] + "/close", data={"csrf": csrf_of(c.get(live["fac"]).text)},
               headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    assert upload(live, 0, "Group 1.docx", base_docx(), csrf="bad").status_code == 403
    assert upload(live, 0, "Group 1.docx", base_docx(), csrf=None).status_code == 403


def test_oversized_upload_and_body(live, unchanged):
    big = base_docx() + bytes(3 * 1024 * 1024)
    assert upload(live, 0, "Group 1.docx", big).status_code == 413
    huge = {"nonce": "too-big-body", "kind": "comment", "paragraph": 1, "start": 0, "end": 1,
            "text": "x" * (LIMITS.body_bytes + 10)}
    assert post_json(live, 0, "/api/responses", huge).status_code == 413
    long = dict(comment(live["para"][live["store"].groups()[0].id], "too-long-text"),
                text="y" * (LIMITS.text_chars + 1))
    assert post_json(live, 0, "/api/responses", long).status_code == 400


def _garbage() -> bytes:
    return b"PK\x03\x04" + bytes(range(256)) * 20


def _bomb() -> bytes:
    return zeros_bomb(base_docx(), 60)


def _not_a_pack() -> bytes:
    return base_docx()          # a valid Word file, but a response to another document


@pytest.mark.parametrize("name,make,expect", [
    ("Group 1.docx", _garbage, "zip"),
    ("Group 1.docx", _bomb, "bomb"),
    ("Group 1.docx", _not_a_pack, "different document"),
    ("Group 1.pdf", base_docx, "only word files"),
])
def test_hostile_uploads_are_refused_with_the_reason(live, unchanged, name, make, expect):
    data = make()
    if len(data) > LIMITS.upload_bytes:
        pytest.fail("the hostile file must fit the upload limit to reach the reader")
    r = upload(live, 0, name, data)
    assert r.status_code == 422
    assert expect in r.json()["error"].lower(), r.json()


@pytest.mark.parametrize("name", ["../../escape.docx", "/etc/passwd.docx", "..\\..\\x.docx",
                                  "uploads/../../session.db.docx", "a\x00b.docx"])
def test_path_tricks_in_upload_names_write_nothing_outside(live, unchanged, name, folder):
    before = {str(p) for p in folder.rglob("*")}
    r = upload(live, 0, name, _garbage())
    assert r.status_code == 422
    assert {str(p) for p in folder.rglob("*")} == before
    assert ".." not in r.json()["error"] and "/" not in r.json()["error"].split(":")[0]


def test_requests_are_rate_limited(folder):
    session = make_session(folder / "rate", groups=1)
    client = TestClient(make_app(session, Limits(burst=5, rate=0.01)))
    _, groups = links(session, BASE)
    path = groups[0][1][len(BASE):]
    codes = [client.get(path + "/api/responses").status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3


@pytest.mark.parametrize("name", ["session.db", "../session.db", "..%2Fsession.db",
                                  "draft.docx", "report/../session.db"])
def test_facilitator_files_are_only_the_collated_outputs(live, unchanged, name):
    assert live["client"].get(live["fac"] + "/files/" + name).status_code == 404

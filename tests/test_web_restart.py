"""Nothing lost or duplicated when the server is killed and started again mid-session: three
groups send twenty comments each at once to a real server on 127.0.0.1, the server is killed
(SIGKILL, no clean shutdown), started again, and every acknowledged comment is there once;
sending the same comments again stores nothing new."""
from __future__ import annotations

import signal
from concurrent.futures import ThreadPoolExecutor

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("uvicorn")

from live_support import csrf_of, free_port, make_session, server  # noqa: E402
from consult.web import links  # noqa: E402
from consult.web.session import Session  # noqa: E402

GROUPS, EACH = 3, 20


def paragraphs(session) -> dict[str, int]:
    s = Session(session)
    out = {}
    for g in s.store.groups():
        sec = s.draft.section(g.sections[-1])
        out[g.name] = next(p.index for p in s.draft.paragraphs[sec.start:sec.end]
                           if len(p.text) > 10)
    return out


def send_all(base: str, url: str, para: int, name: str) -> list[tuple[str, int, bool]]:
    """The group's comments, one after another: (nonce, status, new)."""
    out = []
    with httpx.Client(base_url=base, timeout=30) as c:
        path = url[len(base):]
        csrf = csrf_of(c.get(path).text)
        headers = {"X-CSRF-Token": csrf, "Origin": base, "Accept": "application/json"}
        for k in range(EACH):
            nonce = f"{name}-comment-{k:04d}".replace(" ", "_")
            r = c.post(path + "/api/responses", headers=headers, json={
                "nonce": nonce, "kind": "comment", "paragraph": para, "start": 0, "end": 5,
                "text": f"comment {k} from {name}"})
            out.append((nonce, r.status_code, r.json().get("new", False)))
    return out


def listed(base: str, url: str) -> list[str]:
    with httpx.Client(timeout=30) as c:
        return [i["text"] for i in c.get(url + "/api/responses").json()["items"]]


def test_restart_loses_and_duplicates_nothing(folder):
    session = make_session(folder, groups=GROUPS)
    paras = paragraphs(session)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    _, groups = links(session, base)
    with server(session, port) as (_, proc):
        with ThreadPoolExecutor(GROUPS) as pool:
            results = list(pool.map(lambda g: send_all(base, g[1], paras[g[0]], g[0]), groups))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert all(status == 201 and new for r in results for _, status, new in r)
    with server(session, port):
        for name, url in groups:
            texts = listed(base, url)
            assert texts == [f"comment {k} from {name}" for k in range(EACH)]
        again = send_all(base, groups[0][1], paras[groups[0][0]], groups[0][0])
        assert {(status, new) for _, status, new in again} == {(200, False)}
        assert len(listed(base, groups[0][1])) == EACH
    assert len(Session(session).store.responses()) == GROUPS * EACH

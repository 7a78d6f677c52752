"""Load test of a live session on 127.0.0.1: 30 groups send 200 comments each at once, the
server is killed (SIGKILL) and started again, and every acknowledged comment must be there
exactly once. Bounded in count and time; stops by itself. Appends its results to BENCHMARKS.md
under its own heading (the rest of the file is bench/run.py's and is left as it is).

    python bench/live_load.py                # 30 x 200, writes BENCHMARKS.md's section
    python bench/live_load.py --groups 5 --each 20 --no-write
"""
from __future__ import annotations

import argparse
import json
import platform
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_support import csrf_of, free_port, make_session, server  # noqa: E402
from consult.web import links  # noqa: E402
from consult.web.session import Session  # noqa: E402

HEADING = "## Live session load (bench/live_load.py)"
DEADLINE = 600.0            # seconds for the whole run, at most
TRIES = 5                   # attempts per comment (429 or a dropped connection)


def group_paragraphs(session: Path) -> dict[str, int]:
    s = Session(session)
    out = {}
    for g in s.store.groups():
        sec = s.draft.section(g.sections[0])
        out[g.name] = next((p.index for p in s.draft.paragraphs[sec.start:sec.end]
                            if len(p.text) > 5), sec.start)
    return out


def send(base: str, url: str, name: str, para: int, each: int, stop: float,
         latencies: list, lock: threading.Lock) -> dict:
    """One group's comments in turn; each retried with the same nonce when refused for load."""
    acked, failed, dup = [], 0, 0
    with httpx.Client(timeout=30) as c:
        csrf = csrf_of(c.get(url).text)
        headers = {"X-CSRF-Token": csrf, "Origin": base, "Accept": "application/json"}
        for k in range(each):
            nonce = f"{name}-{k:05d}".replace(" ", "_")
            body = {"nonce": nonce, "kind": "comment", "paragraph": para, "start": 0, "end": 1,
                    "text": f"load {k} from {name}"}
            for _ in range(TRIES):
                if time.monotonic() > stop:
                    return {"acked": acked, "failed": failed + each - k, "dup": dup}
                t0 = time.perf_counter()
                try:
                    r = c.post(url + "/api/responses", json=body, headers=headers)
                except httpx.TransportError:
                    continue
                dt = time.perf_counter() - t0
                if r.status_code in (200, 201):
                    with lock:
                        latencies.append(dt)
                    acked.append(nonce)
                    dup += r.status_code == 200
                    break
                if r.status_code != 429:
                    break
                time.sleep(0.2)
            else:
                failed += 1
    return {"acked": acked, "failed": failed, "dup": dup}


def run(groups: int, each: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="consult-live-load-"))
    try:
        session = make_session(work, groups)
        paras = group_paragraphs(session)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        _, urls = links(session, base)
        latencies: list[float] = []
        lock = threading.Lock()
        stop = time.monotonic() + DEADLINE
        with server(session, port) as (_, proc):
            t0 = time.perf_counter()
            with ThreadPoolExecutor(groups) as pool:
                results = list(pool.map(lambda g: send(base, g[1], g[0], paras[g[0]], each,
                                                       stop, latencies, lock), urls))
            elapsed = time.perf_counter() - t0
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        with server(session, port):
            with httpx.Client(timeout=30) as c:
                found = {name: [i["text"] for i in c.get(url + "/api/responses").json()["items"]]
                         for name, url in urls}
            again = send(base, urls[0][1], urls[0][0], paras[urls[0][0]], min(each, 20), stop,
                         [], lock)
        acked = sum(len(r["acked"]) for r in results)
        lost = sum(len(r["acked"]) - len(found[name]) for r, (name, _) in zip(results, urls))
        expected = {name: [f"load {k} from {name}" for k in range(len(r["acked"]))]
                    for r, (name, _) in zip(results, urls)}
        stored = len(Session(session).store.responses())
        return {"groups": groups, "each": each, "sent": groups * each, "acked": acked,
                "failed": sum(r["failed"] for r in results), "seconds": round(elapsed, 2),
                "throughput": round(acked / elapsed, 1),
                "p50_ms": round(1000 * statistics.median(latencies), 1),
                "p95_ms": round(1000 * statistics.quantiles(latencies, n=20)[-1], 1),
                "max_ms": round(1000 * max(latencies), 1),
                "after_restart_same": found == expected, "lost": lost,
                "stored": stored, "duplicates": stored - acked,
                "resent_new": sum(1 for _ in again["acked"]) - again["dup"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def section(r: dict) -> str:
    ok = r["after_restart_same"] and r["lost"] == 0 and r["duplicates"] == 0 \
        and r["resent_new"] == 0 and r["failed"] == 0
    return "\n".join([
        HEADING, "",
        f"{r['groups']} groups each sending {r['each']} comments at once (one connection a "
        f"group, one request after another) to `consult serve` on 127.0.0.1 (uvicorn, one "
        f"process; SQLite in WAL mode with `synchronous=FULL`, every comment committed before "
        f"it is acknowledged), on {platform.machine()} with 2 cores shared with other work. "
        "Then the server is killed with SIGKILL and started again, every group's list is read "
        "back, and one group sends 20 of its comments again (same nonces).", "",
        "| measure | value |", "| --- | --- |",
        f"| comments sent / acknowledged / failed | {r['sent']} / {r['acked']} / {r['failed']} |",
        f"| time for all | {r['seconds']} s |",
        f"| throughput | {r['throughput']} comments/s |",
        f"| latency p50 / p95 / max | {r['p50_ms']} / {r['p95_ms']} / {r['max_ms']} ms |",
        f"| after the restart: stored / lost / duplicated | {r['stored']} / {r['lost']} / "
        f"{r['duplicates']} |",
        f"| each group's list after the restart equals what it sent, in order | "
        f"{'yes' if r['after_restart_same'] else 'NO'} |",
        f"| new rows from re-sending 20 comments | {r['resent_new']} |",
        f"| result | {'nothing lost or duplicated' if ok else 'FAILED'} |", "",
        "Run it with `python bench/live_load.py` (about a minute; it stops by itself within "
        f"{int(DEADLINE)} s). A smaller version (3 groups x 20) runs in the tests: "
        "tests/test_web_restart.py.", ""])


def write(text: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if HEADING in old:
        old = old[:old.index(HEADING)]
    path.write_text(old.rstrip("\n") + "\n\n" + text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--groups", type=int, default=30)
    ap.add_argument("--each", type=int, default=200)
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args()
    result = run(min(args.groups, 60), min(args.each, 1000))
    print(json.dumps(result, indent=2))
    if not args.no_write:
        write(section(result))


if __name__ == "__main__":
    main()

"""Run one timed step in this (fresh) process and print its time and peak memory as JSON.

    python bench/step.py WORKLOAD.json STEP [--groups N] [--jobs N] [--out DIR]

STEP is split, distribute, ingest, collate, pandoc, profile, or floor-split, floor-distribute,
floor-ingest, floor-collate. Wall-clock and CPU time (this process and its children: pool
workers, pandoc) are measured around the step only (imports and reading the manifest are
outside it); peak memory is this process's VmHWM, and the largest child's separately.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from lxml import etree                                       # noqa: E402

from consult.collate import collate                          # noqa: E402
from consult.ingest import ingest                            # noqa: E402
from consult.model import Allocation                         # noqa: E402
from consult.packs import write_packs                        # noqa: E402
from consult.report import write_reports, write_summary_json   # noqa: E402
from consult.split import load_draft                         # noqa: E402

XML_SUFFIXES = (".xml", ".rels")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("manifest")
    ap.add_argument("step")
    ap.add_argument("--groups", type=int, default=0, help="use the first N groups (0: all)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    manifest_path = Path(args.manifest)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    folder = manifest_path.parent
    n = args.groups or len(manifest["groups"])
    allocations = [Allocation(g["group"], tuple(g["sections"])) for g in manifest["groups"][:n]]
    draft_path = folder / manifest["draft"]
    returns = [folder / r for r in manifest["returns"][:n]]
    out = Path(args.out or tempfile.mkdtemp(prefix="consult-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    needs_draft = args.step in ("distribute", "ingest", "collate", "collate-reports")
    draft = load_draft(draft_path) if needs_draft else None
    base_mb = peak_mb()
    extra: dict = {}
    cpu0 = cpu_seconds()
    start = time.perf_counter()
    if args.step == "split":
        extra["paragraphs"] = len(load_draft(draft_path).paragraphs)
    elif args.step == "distribute":
        extra["packs"] = len(write_packs(draft, allocations, out / "packs", context="full"))
    elif args.step == "ingest":
        result = ingest(draft, returns, allocations, jobs=args.jobs)
        extra.update(_ingest_facts(result))
    elif args.step in ("collate", "collate-reports"):
        col = collate(draft, returns, allocations, jobs=args.jobs)
        col.save(out / "collated.docx")
        if args.step == "collate-reports":          # what `consult collate --report --json` adds
            write_reports(col, out / "report")
            with open(out / "summary.json", "w", encoding="utf-8") as fh:
                write_summary_json(col, fh.write)
        extra.update(_ingest_facts(col))
        data = (out / "collated.docx").read_bytes()
        extra["sha256"] = hashlib.sha256(data).hexdigest()[:16]
        extra["output_kb"] = len(data) // 1024
        extra["ops"], extra["conflicts"] = len(col.ops), len(col.conflicts)
    elif args.step == "pandoc":
        for path in returns:
            subprocess.run(["pandoc", "--track-changes=all", "-t", "json", "-o",
                            str(out / "pandoc.json"), str(path)], check=True)
    elif args.step == "profile":
        extra["profile"] = profile(draft_path, returns, allocations, out)
    elif args.step.startswith("floor-"):
        extra.update(floor(args.step[len("floor-"):], draft_path, returns, len(allocations), out))
    else:
        raise SystemExit(f"unknown step {args.step!r}")
    seconds = time.perf_counter() - start
    cpu = cpu_seconds() - cpu0
    if not args.out:
        shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({
        "step": args.step, "groups": n, "jobs": args.jobs, "seconds": round(seconds, 4),
        "cpu": round(cpu, 4),
        "peak_mb": peak_mb(), "base_mb": base_mb,
        "child_peak_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        **extra}))


# (label, module path suffix, function name): where the time of collate + save goes.
PHASES = (
    ("collate + save, in all", "consult/collate.py", "collate"),
    ("ingest: every return", "consult/ingest.py", "ingest"),
    ("  unzip each return (Package.open)", "consult/ooxml/package.py", "open"),
    ("  parse XML parts", "consult/ooxml/safexml.py", "parse_xml"),
    ("  walk text, comments, revisions", "consult/ooxml/annotations.py", "read_file_annotations"),
    ("  align paragraphs (SequenceMatcher)", "consult/align.py", "align"),
    ("  untracked edits (word diff)", "consult/untracked.py", "untracked_revisions"),
    ("  place annotations (offset maps)", "consult/ingest_place.py", "_place"),
    ("re-open the draft, accept changes", "consult/ooxml/document.py", "open_document"),
    ("merge the groups' changes, find conflicts", "consult/changes.py", "merge_changes"),
    ("  find conflicts (the sweep)", "consult/changes.py", "feed"),
    ("write the response document", "consult/response.py", "write_response"),
    ("  plan: every change and comment to its block", "consult/response.py", "_plan"),
    ("  change each block", "consult/response.py", "_change"),
    ("    cut runs at offsets", "consult/ooxml/edit.py", "cut"),
    ("    mark deletions", "consult/response.py", "_deletes"),
    ("    place insertions and comment ranges", "consult/response.py", "_place_nodes"),
    ("  serialise each block (ids, schema order)", "consult/response.py", "_emit"),
    ("  comments, one at a time", "consult/ooxml/comments_part.py", "write"),
    ("  summary table", "consult/summary.py", "summary_blocks"),
    ("  schema order in the other parts (tidy)", "consult/ooxml/order.py", "tidy"),
    ("save: copy the written file into place", "consult/collate.py", "_copy"),
    ("kept on disk: changes and plan filed (Buckets.add)", "consult/store.py", "add"),
    ("kept on disk: ... and read back (Buckets.items)", "consult/store.py", "items"),
    ("kept on disk: returns, ops, conflicts read back (DiskList)", "consult/store.py", "_read"),
)


def profile(draft_path: Path, returns: list[Path], allocations, out: Path) -> dict:
    """collate + save under cProfile: time per phase and the functions that cost most."""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    draft = load_draft(draft_path)
    profiler.enable()
    col = collate(draft, returns, allocations)
    col.save(out / "collated.docx")
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    root = str(ROOT)
    phases = []
    for label, suffix, name in PHASES:
        total = sum(v[3] for (path, _line, fn), v in stats.items()
                    if fn == name and path.replace("\\", "/").endswith(suffix))
        phases.append([label, round(total, 3)])
    own = sorted(((v[2], v[1], path, line, fn) for (path, line, fn), v in stats.items()),
                 reverse=True)[:15]
    top = [[round(t, 3), calls, f"{_short(path, root)}:{line}({fn})"]
           for t, calls, path, line, fn in own]
    return {"phases": phases, "top": top}


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM; unlike ru_maxrss on Linux it does not
    carry the parent's peak over ``exec``), in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _short(path: str, root: str) -> str:
    path = path.replace(root + "/", "")
    return path.split("site-packages/", 1)[-1]


def _ingest_facts(result) -> dict:
    placed = sum(len(r.placed) for r in result.returns)
    unplaced = sum(len(r.unplaced) for r in result.returns)
    return {"returns": len(result.returns), "rejected": len(result.rejected),
            "placed": placed, "unplaced": unplaced}


def floor(step: str, draft: Path, returns: list[Path], groups: int, out: Path) -> dict:
    """The least any tool must do: unzip and parse each input XML part, write outputs once."""
    inputs = {"split": [draft], "distribute": [draft], "ingest": returns,
              "collate": [draft] + returns}[step]
    parts = None
    count = 0
    for path in inputs:
        read = _read_parse(path)
        count += len(read)
        if parts is None:
            parts = read
    writes = {"split": 0, "distribute": groups, "ingest": 0, "collate": 1}[step]
    for k in range(writes):
        (out / f"floor-{k}.docx").write_bytes(_write(parts))
    return {"parts": count, "writes": writes}


def _read_parse(path: Path) -> dict:
    out = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            out[name] = etree.fromstring(data) if name.endswith(XML_SUFFIXES) else data
    return out


def _write(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, value in parts.items():
            data = value if isinstance(value, bytes) else etree.tostring(
                value, xml_declaration=True, encoding="UTF-8", standalone=True)
            z.writestr(name, data)
    return buf.getvalue()


if __name__ == "__main__":
    main()

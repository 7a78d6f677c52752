"""Write BENCHMARKS.md from the facts bench/run.py measured."""
from __future__ import annotations

import time
from pathlib import Path

from notes import FINDINGS, METHOD

DOUBLING = 2.2
FLOOR_RATIO = 5
PANDOC_RATIO = 10
MEMORY_MB = 500
BATCH_GROWTH = 0.10         # peak memory may grow by at most this share from N/4 to N returns


def write_report(path: Path, f: dict) -> None:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `python bench/run.py{' --quick' if f['quick'] else ''}` on "
        f"{f.get('date') or time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC in "
        f"{f['seconds']:.0f} s "
        f"(workloads built or reused in {f['build_seconds']:.0f} s). Run it again to "
        "regenerate this file; [Method](#method) says what is measured and how.",
        "",
    ]
    lines += _machine(f)
    lines += _workload(f)
    lines += _targets(f)
    lines += _main(f)
    if "groups" in f:
        lines += _groups(f)
    if "scale" in f:
        lines += _scale(f)
    if "batch" in f:
        lines += _batch(f)
    lines += _profile(f)
    lines += ["## Findings and changes", "", FINDINGS.strip(), "", "## Method", "",
              METHOD.strip(), ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def _machine(f: dict) -> list[str]:
    m = f["machine"]
    load = lambda xs: ", ".join(f"{x:.2f}" for x in xs)      # noqa: E731
    return [
        "## Machine", "",
        "| | |", "|---|---|",
        f"| CPUs (nproc) | {m['nproc']} ({m.get('cpu', '')}) |",
        f"| Memory | {m.get('memory_gb', '?')} GB |",
        f"| Python | {m['python']} ({m['platform']}) |",
        f"| lxml / libxml2 | {m['lxml']} / {m['libxml2']} |",
        f"| pandoc | {m.get('pandoc', 'not installed')} |",
        f"| LibreOffice | {m.get('soffice', 'not installed')} |",
        f"| consult | {m['consult']} |",
        f"| Load average before / after (1, 5, 15 min) | {load(f['load_before'])} / "
        f"{load(f['load_after'])} |",
        "",
        "The machine was shared with other sessions' jobs (a load average near 2 means no "
        "idle core): wall-clock times vary from pass to pass, and `--jobs 2` gains only when "
        f"the second core is free. Each figure is the fastest of {f['repeat']} "
        f"pass{'es' if f['repeat'] > 1 else ''}, and CPU time (user + system, children "
        "included), which other jobs disturb less, is given beside it. Targets on one process "
        "are judged on CPU time; targets on `--jobs` on wall-clock time.",
        "",
    ]


def _workload(f: dict) -> list[str]:
    w = f["workload"]
    s = w["shape"]
    edits = w["edits"][:20]
    lo = [n for n in w["libreoffice"] if int(n.split()[1].split(".")[0]) <= 20]
    return [
        "## Workload", "",
        f"Generated from seed {f['seed']} by `bench/draft.py` and `bench/returns.py`:",
        "",
        f"- **Draft**: {s['words']:,} words in {s['paragraphs']:,} paragraphs "
        f"({s['sections']} sections at heading level 2, eleven chapters), four-level automatic "
        f"numbering (1 / 1.1 / 1.1.1 / 1.1.1.1), {s['tables']} tables, {s['footnotes']} "
        f"footnotes, a header and a footer with a PAGE field; {s['bytes'] / 1024:.0f} KB.",
        "- **Returns**: 20 groups, each sent the whole draft (`write_packs(..., "
        "context=\"full\")`) and allocated about 11 sections (every section read by two "
        "groups). Each group makes, with `tests/edit_docx.py`, about 30 comments and 10 "
        "replies (some resolved), 80 tracked changes (replacements, deletions, insertions, "
        "inserted paragraphs) and 15 untracked edits (replacements, split and deleted "
        "paragraphs), spread over its sections; about one edit in six comes from a pool shared "
        "by the groups reading the same section, so groups agree and conflict. Edits made per "
        f"return: {min(edits)}-{max(edits)}. {len(lo)} of the 20 "
        f"({', '.join(lo) or 'none: soffice is not installed'}) were re-saved by LibreOffice. "
        f"The 20 returns take {s['return_bytes'] * 20 / len(w['returns']) / 1024 / 1024:.1f} MB.",
        "",
    ]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _t(r: dict) -> str:
    """CPU and wall-clock seconds of a measurement."""
    return f"{r['cpu']:.2f} ({r['seconds']:.2f})"


def _targets(f: dict) -> list[str]:
    rows = []
    main, floor = f["main"], f["floor"]
    col, fl = main["collate"], floor["collate"]
    ratio = col["cpu"] / fl["cpu"]
    rows.append(("Collate 20 groups: at most 5x the floor",
                 f"{ratio:.1f}x ({col['cpu']:.2f} s vs {fl['cpu']:.2f} s CPU; wall-clock "
                 f"{col['seconds'] / fl['seconds']:.1f}x)", ratio <= FLOOR_RATIO))
    j2 = main["collate-jobs2"]["seconds"] / fl["seconds"]
    gain = col["seconds"] / main["collate-jobs2"]["seconds"]
    rows.append(("... with `--jobs 2` (wall-clock)", f"{j2:.1f}x the floor; {gain:.2f}x as fast "
                 "as one process", j2 <= FLOOR_RATIO))
    if f.get("pandoc"):
        p = f["pandoc"]
        x = p["cpu_20"] / col["cpu"]
        rows.append(("Collate at least 10x faster than pandoc reading the 20 returns",
                     f"{x:.1f}x ({p['cpu_20']:.1f} s CPU for pandoc; wall-clock "
                     f"{p['seconds_20'] / col['seconds']:.1f}x)", x >= PANDOC_RATIO))
    else:
        rows.append(("Collate at least 10x faster than pandoc", "pandoc is not installed", None))
    if "groups" in f:
        g = f["groups"]
        ns = sorted(g)
        steps = [_fastest_ratio(g[a]["collate"], g[b]["collate"]) for a, b in zip(ns, ns[1:])]
        medians = [_doubling(g[a]["collate"], g[b]["collate"]) for a, b in zip(ns, ns[1:])]
        rows.append(("Doubling the groups: at most 2.2x the time (collate)",
                     f"{_ratios(medians)} ({' / '.join(map(str, ns))} groups; fastest passes "
                     f"{_ratios(steps)})", max(medians) <= DOUBLING))
    if "scale" in f:
        sc = f["scale"]
        ks = sorted(sc)
        steps = [_fastest_ratio(sc[a]["collate"], sc[b]["collate"]) for a, b in zip(ks, ks[1:])]
        medians = [_doubling(sc[a]["collate"], sc[b]["collate"]) for a, b in zip(ks, ks[1:])]
        rows.append(("Doubling the draft: at most 2.2x the time (collate)",
                     f"{_ratios(medians)} (half / one / twice the size; fastest passes "
                     f"{_ratios(steps)})", max(medians) <= DOUBLING))
    j2 = main["collate-jobs2"]
    rows.append(("Peak memory below 500 MB for 20 groups",
                 f"{col['peak_mb']:.0f} MB (`--jobs 2`: {j2['peak_mb']:.0f} MB + 2 workers of "
                 f"at most {j2['child_peak_mb']:.0f} MB)",
                 max(col["peak_mb"], j2["peak_mb"] + 2 * j2["child_peak_mb"]) < MEMORY_MB))
    if "batch" in f:
        rows += _batch_targets(f)
    out = ["## Targets (2-core machine)", "", "| Target | Measured | |", "|---|---|---|"]
    for name, got, ok in rows:
        mark = "met" if ok else ("**missed**" if ok is not None else "not measured")
        out.append(f"| {name} | {got} | {mark} |")
    return out + [""]


def _grow(prev: dict | None, cur: dict) -> str:
    """The "x previous" cell of a series: median within-pass ratio (fastest passes' ratio)."""
    if not prev:
        return "-"
    return f"{_doubling(prev, cur):.2f} ({_fastest_ratio(prev, cur):.2f})"


def _fastest_ratio(small: dict, big: dict) -> float:
    """How much longer ``big`` took: the ratio of the two points' fastest passes (CPU time).
    Other jobs on the machine only ever add time, so the fastest pass is the best estimate of
    what a point costs."""
    return big["cpu"] / small["cpu"]


def _ratios(values: list[float]) -> str:
    return ", ".join(f"{x:.2f}x" for x in values)


def _doubling(small: dict, big: dict) -> float:
    """How much longer ``big`` took: the median over passes of the CPU-time ratio within a
    pass (both points are measured in every pass, minutes apart at most), which a busy spell
    on the machine disturbs less than a ratio of the fastest passes."""
    ratios = sorted(b / a for a, b in zip(small.get("cpu_runs", [small["cpu"]]),
                                          big.get("cpu_runs", [big["cpu"]])) if a)
    return ratios[len(ratios) // 2] if ratios else big["cpu"] / small["cpu"]


def _grown(small: dict, big: dict, growth: float) -> str:
    per = (big["peak_mb"] - small["peak_mb"]) * 1024 / max(1, big["groups"] - small["groups"])
    return (f"{small['peak_mb']:.0f} MB for {small['groups']} returns, {big['peak_mb']:.0f} MB "
            f"for {big['groups']} ({growth:+.0%}, {per:.0f} KB a return)")


def _growth(runs: list[dict]) -> tuple[dict, dict, float]:
    small, big = runs[0], runs[-1]
    return small, big, big["peak_mb"] / small["peak_mb"] - 1


def _batch_targets(f: dict) -> list[tuple]:
    b = f["batch"]
    out = []
    small, big, growth = _growth(b["ingest"])
    out.append(("Batch: memory not growing with the number of returns, reading them (ingest)",
                _grown(small, big, growth) + ": the returns are kept on disk",
                growth <= BATCH_GROWTH))
    mine = [r for r in b["runs"] if r["jobs"] == 1]
    small, big, growth = _growth(mine)
    out.append(("... and collating them into one document (collate, `--jobs 1`)",
                _grown(small, big, growth) + ": returns, merged changes, conflicts and the "
                "plan of the document wait on disk; the document is written block by block",
                growth <= BATCH_GROWTH))
    if b.get("reports"):
        small, big, growth = _growth(b["reports"])
        out.append(("... and with the reports and JSON summary too (`--report --json`)",
                    _grown(small, big, growth) + ": report rows are sorted on disk and "
                    "written in chunks", growth <= BATCH_GROWTH))
    for jobs in (1, 2):
        r = max((r for r in b["runs"] if r["jobs"] == jobs), key=lambda r: r["groups"])
        out.append((f"{r['groups']} returns collate with bounded memory, `--jobs {jobs}`",
                    f"{r['groups'] / r['seconds']:.1f} returns/s wall-clock, "
                    f"{r['peak_mb']:.0f} MB" + (f" + workers of {r['child_peak_mb']:.0f} MB"
                                                if jobs > 1 else ""),
                    r["returns"] == r["groups"] and r["peak_mb"] < MEMORY_MB))
    return out


def _main(f: dict) -> list[str]:
    main, floor = f["main"], f["floor"]
    out = ["## The 20-group workload, step by step", "",
           "Times are CPU seconds, wall-clock in brackets; x floor compares CPU times.", "",
           "| Step | Time (s) | Floor (s) | x floor | Peak memory (MB) | Notes |",
           "|---|---:|---:|---:|---:|---|"]
    notes = {
        "split": "`load_draft`",
        "distribute": f"`write_packs`, {main['distribute'].get('packs', 20)} full packs",
        "ingest": f"`ingest`: {main['ingest'].get('placed', 0):,} annotations placed, "
                  f"{main['ingest'].get('unplaced', 0)} unplaced",
        "collate": f"`collate` + `save`: {main['collate'].get('ops', 0):,} changes written, "
                   f"{main['collate'].get('conflicts', 0)} conflicts",
    }
    for name in ("split", "distribute", "ingest", "collate"):
        r, fl = main[name], floor[name]
        out.append(f"| {name} | {_t(r)} | {_t(fl)} | {_ratio(r['cpu'], fl['cpu'])} | "
                   f"{r['peak_mb']:.0f} | {notes[name]} |")
    same = main["collate-jobs2"].get("sha256") == main["collate"].get("sha256")
    for name, label in (("ingest-jobs2", "ingest `--jobs 2`"),
                        ("collate-jobs2", "collate `--jobs 2`")):
        r, fl = main[name], floor[name.split("-")[0]]
        note = "two processes read the returns; x floor is wall-clock"
        if name == "collate-jobs2":
            note += "; the same bytes as `--jobs 1`" if same else "; **output differs**"
        out.append(f"| {label} | {_t(r)} | {_t(fl)} | {_ratio(r['seconds'], fl['seconds'])} | "
                   f"{r['peak_mb']:.0f} + workers {r['child_peak_mb']:.0f} | {note} |")
    p = f.get("pandoc")
    if p:
        note = "" if p["read"] == 20 else f" (read {p['read']}, scaled to 20)"
        fl = floor["ingest"]
        out.append(f"| pandoc, 20 returns | {p['cpu_20']:.2f} ({p['seconds_20']:.2f}) | "
                   f"{_t(fl)} | {_ratio(p['cpu_20'], fl['cpu'])} | {p['child_peak_mb']:.0f} | "
                   f"`pandoc --track-changes=all -t json`, each return in turn{note} |")
    out += ["", "Peak memory is the process's high-water resident set, Python and consult's "
            f"imports included (about {main['collate']['base_mb']:.0f} MB of it is there before "
            "the step starts, draft loaded); for pandoc, the largest pandoc process.", ""]
    return out


def _groups(f: dict) -> list[str]:
    g = f["groups"]
    out = ["## Scaling with the number of groups", "",
           "Groups 21-80 read the same sections as groups 1-20 with their own edits (so at 80 "
           "groups every section is read by eight groups); each return has the same density. "
           "CPU seconds, wall-clock in brackets; * the median over passes of the CPU-time "
           "ratio within a pass, and in brackets the ratio of the fastest passes.", "",
           "| Groups | ingest (s) | collate (s) | collate x previous* | floor (s) | x floor | "
           "Peak memory (MB) | Changes written | Conflicts |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    prev = None
    for n in sorted(g):
        r = g[n]
        c = r["collate"]["cpu"]
        grow = _grow(prev, r["collate"])
        out.append(f"| {n} | {_t(r['ingest'])} | {_t(r['collate'])} | {grow} | "
                   f"{_t(r['floor'])} | {_ratio(c, r['floor']['cpu'])} | "
                   f"{r['collate']['peak_mb']:.0f} | {r['collate'].get('ops', 0):,} | "
                   f"{r['collate'].get('conflicts', 0):,} |")
        prev = r["collate"]
    return out + [""]


def _scale(f: dict) -> list[str]:
    sc = f["scale"]
    out = ["## Scaling with the size of the draft", "",
           "20 groups; a group's edits scale with the draft (the same density per section). "
           "CPU seconds, wall-clock in brackets; * as above.", "",
           "| Draft | Words | Paragraphs | split (s) | distribute (s) | ingest (s) | "
           "collate (s) | collate x previous* | x floor | Peak memory (MB) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    prev = None
    for k in sorted(sc):
        r = sc[k]
        c = r["collate"]["cpu"]
        grow = _grow(prev, r["collate"])
        out.append(f"| {k:g}x | {r['shape']['words']:,} | {r['shape']['paragraphs']:,} | "
                   f"{_t(r['split'])} | {_t(r['distribute'])} | {_t(r['ingest'])} | "
                   f"{_t(r['collate'])} | {grow} | {_ratio(c, r['floor']['cpu'])} | "
                   f"{r['collate']['peak_mb']:.0f} |")
        prev = r["collate"]
    return out + [""]


def _batch(f: dict) -> list[str]:
    b = f["batch"]
    s = b["shape"]
    out = ["## Batch mode", "",
           f"Small returns made from a small draft ({s['words']:,} words, {s['paragraphs']} "
           "paragraphs) to keep the run time sane: each group makes about a tenth of the full "
           "density (3 comments, 1 reply, 8 tracked changes, 2 untracked edits); none is "
           "re-saved by LibreOffice. Collate + save puts every return into one collated "
           "document; collate-reports also writes the CSV, HTML and Markdown reports and the "
           "JSON summary (`consult collate --report --json`); ingest only reads and places "
           "them.", "",
           "| Step | Returns | Jobs | Wall-clock (s) | CPU (s) | Returns/s (wall) | "
           "Peak memory, main (MB) | Peak memory, each worker (MB) | Changes written |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in b["runs"] + b.get("reports", []) + b.get("ingest", []):
        worker = f"{r['child_peak_mb']:.0f}" if r["jobs"] > 1 else "-"
        out.append(f"| {r['step']} | {r['groups']} | {r['jobs']} | {r['seconds']:.2f} | "
                   f"{r['cpu']:.2f} | {r['groups'] / r['seconds']:.1f} | {r['peak_mb']:.0f} | "
                   f"{worker} | {r.get('ops', 0) or '-'} |")
    return out + [""]


def _profile(f: dict) -> list[str]:
    p = f["profile"]
    out = ["## Where the time goes", "",
           "cProfile over `collate` + `save` of the 20-group workload, one process (profiling "
           "roughly doubles the times; the shares are what matter). Cumulative seconds per "
           "phase (indented phases are part of the one above):", "",
           "| Phase | Seconds | Share |", "|---|---:|---:|"]
    total = p["phases"][0][1] or 1
    for label, secs in p["phases"]:
        name = "&nbsp;&nbsp;&nbsp;&nbsp;" + label.strip() if label.startswith("  ") else label
        out.append(f"| {name} | {secs:.2f} | {secs / total:.0%} |")
    out += ["", "The functions with the most time of their own:", "",
            "| Own time (s) | Calls | Function |", "|---:|---:|---|"]
    for secs, calls, name in p["top"]:
        out.append(f"| {secs:.3f} | {calls:,} | `{name}` |")
    return out + [""]

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
        f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC in {f['seconds']:.0f} s "
        f"(workloads built or reused in {f['build_seconds']:.0f} s). Run it again to "
        "regenerate this file; see [Method](#method) for what is measured and how.",
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
        f"| Load average before / after | {load(f['load_before'])} / {load(f['load_after'])} |",
        "",
        "The machine is shared: other jobs ran during the measurement when the load average "
        "is above 0. Each figure is the fastest of "
        f"{f['repeat']} pass{'es' if f['repeat'] > 1 else ''} to keep that noise out.",
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
        f"- **Returns**: 20 groups, each sent the whole draft (`write_packs(..., "
        "context=\"full\")`) and allocated about 11 sections (every section read by two "
        "groups). Each group makes, with `tests/edit_docx.py`, about 30 comments and 10 "
        "replies (some resolved), 80 tracked changes (replacements, deletions, insertions, "
        "inserted paragraphs) and 15 untracked edits (replacements, split and deleted "
        "paragraphs); about one edit in six comes from a pool shared by the groups reading "
        "the same section, so groups agree and conflict. Edits made per return: "
        f"{min(edits)}-{max(edits)} (a few are dropped when a snippet is not unique). "
        f"{len(lo)} of the 20 ({', '.join(lo) or 'none: soffice is not installed'}) were "
        "re-saved by LibreOffice. The 20 returns take "
        f"{s['return_bytes'] * 20 / len(w['returns']) / 1024 / 1024:.1f} MB.",
        "",
    ]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def _targets(f: dict) -> list[str]:
    rows = []
    main, floor = f["main"], f["floor"]
    ratio = main["collate"]["seconds"] / floor["collate"]["seconds"]
    rows.append(("Collate 20 groups: at most 5x the floor", f"{ratio:.1f}x the floor "
                 f"({main['collate']['seconds']:.2f} s vs {floor['collate']['seconds']:.2f} s)",
                 ratio <= FLOOR_RATIO))
    ratio2 = main["collate-jobs2"]["seconds"] / floor["collate"]["seconds"]
    rows.append(("... the same with `--jobs 2`", f"{ratio2:.1f}x the floor", ratio2 <= FLOOR_RATIO))
    if f.get("pandoc"):
        p = f["pandoc"]["seconds_20"] / main["collate"]["seconds"]
        rows.append(("Collate at least 10x faster than pandoc reading the 20 returns",
                     f"{p:.1f}x faster ({f['pandoc']['seconds_20']:.1f} s for pandoc)",
                     p >= PANDOC_RATIO))
    else:
        rows.append(("Collate at least 10x faster than pandoc", "pandoc is not installed", None))
    if "groups" in f:
        g = f["groups"]
        ns = sorted(g)
        worst = max(g[b]["collate"]["seconds"] / g[a]["collate"]["seconds"]
                    for a, b in zip(ns, ns[1:]))
        rows.append(("Doubling the groups: at most 2.2x the time (collate)",
                     f"worst doubling {worst:.2f}x ({ns[0]} to {ns[-1]} groups)",
                     worst <= DOUBLING))
    if "scale" in f:
        sc = f["scale"]
        ks = sorted(sc)
        worst = max(sc[b]["collate"]["seconds"] / sc[a]["collate"]["seconds"]
                    for a, b in zip(ks, ks[1:]))
        rows.append(("Doubling the draft: at most 2.2x the time (collate)",
                     f"worst doubling {worst:.2f}x (half to twice the size)", worst <= DOUBLING))
    peak = max(main["collate"]["peak_mb"], main["collate-jobs2"]["peak_mb"]
               + 2 * main["collate-jobs2"]["child_peak_mb"])
    rows.append(("Peak memory below 500 MB for 20 groups",
                 f"{main['collate']['peak_mb']:.0f} MB (`--jobs 2`: "
                 f"{main['collate-jobs2']['peak_mb']:.0f} MB + 2 workers of at most "
                 f"{main['collate-jobs2']['child_peak_mb']:.0f} MB)", peak < MEMORY_MB))
    if "batch" in f:
        rows += _batch_targets(f)
    out = ["## Targets (2-core machine)", "", "| Target | Measured | |", "|---|---|---|"]
    for name, got, ok in rows:
        mark = "met" if ok else ("**missed**" if ok is not None else "not measured")
        out.append(f"| {name} | {got} | {mark} |")
    return out + [""]


def _batch_targets(f: dict) -> list[tuple]:
    runs = f["batch"]["runs"]
    out = []
    for jobs in (1, 2):
        mine = sorted((r for r in runs if r["jobs"] == jobs), key=lambda r: r["groups"])
        if len(mine) < 2:
            continue
        small, big = mine[0], mine[-1]
        total = lambda r: r["peak_mb"] + (jobs * r["child_peak_mb"] if jobs > 1 else 0)  # noqa
        growth = total(big) / total(small) - 1
        out.append((f"Batch, `--jobs {jobs}`: memory not growing with the number of returns",
                    f"{total(small):.0f} MB for {small['groups']} returns, {total(big):.0f} MB "
                    f"for {big['groups']} ({growth:+.0%})", growth <= BATCH_GROWTH))
    best = max(runs, key=lambda r: (r["groups"], r["groups"] / r["seconds"]))
    out.append((f"{best['groups']} returns collate with bounded memory",
                f"{best['groups'] / best['seconds']:.1f} returns/s with `--jobs {best['jobs']}`",
                best["returns"] == best["groups"]))
    return out


def _main(f: dict) -> list[str]:
    main, floor = f["main"], f["floor"]
    out = ["## The 20-group workload, step by step", "",
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
        out.append(f"| {name} | {r['seconds']:.2f} | {fl['seconds']:.2f} | "
                   f"{_ratio(r['seconds'], fl['seconds'])} | {r['peak_mb']:.0f} | {notes[name]} |")
    for name, label in (("ingest-jobs2", "ingest `--jobs 2`"),
                        ("collate-jobs2", "collate `--jobs 2`")):
        r, fl = main[name], floor[name.split("-")[0]]
        out.append(f"| {label} | {r['seconds']:.2f} | {fl['seconds']:.2f} | "
                   f"{_ratio(r['seconds'], fl['seconds'])} | {r['peak_mb']:.0f} + workers "
                   f"{r['child_peak_mb']:.0f} | two processes read the returns |")
    p = f.get("pandoc")
    if p:
        note = "" if p["read"] == 20 else f" (read {p['read']}, scaled to 20)"
        out.append(f"| pandoc, 20 returns | {p['seconds_20']:.2f} | {floor['ingest']['seconds']:.2f}"
                   f" | {_ratio(p['seconds_20'], floor['ingest']['seconds'])} | "
                   f"{p['child_peak_mb']:.0f} | `pandoc --track-changes=all -t json`{note} |")
    out += ["", "Peak memory is the process's maximum resident set (`ru_maxrss`), Python and "
            f"consult's imports included (about {main['collate']['base_mb']:.0f} MB of it is "
            "there before the step starts, draft loaded).", ""]
    return out


def _groups(f: dict) -> list[str]:
    g = f["groups"]
    out = ["## Scaling with the number of groups", "",
           "Groups 21-80 read the same sections as groups 1-20 (so at 80 groups every section "
           "is read by eight groups); each return has the same density.", "",
           "| Groups | ingest (s) | collate (s) | collate x previous | floor (s) | x floor | "
           "Peak memory (MB) | Changes written |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    prev = None
    for n in sorted(g):
        r = g[n]
        c = r["collate"]["seconds"]
        grow = f"{c / prev:.2f}" if prev else "-"
        out.append(f"| {n} | {r['ingest']['seconds']:.2f} | {c:.2f} | {grow} | "
                   f"{r['floor']['seconds']:.2f} | {_ratio(c, r['floor']['seconds'])} | "
                   f"{r['collate']['peak_mb']:.0f} | {r['collate'].get('ops', 0):,} |")
        prev = c
    return out + [""]


def _scale(f: dict) -> list[str]:
    sc = f["scale"]
    out = ["## Scaling with the size of the draft", "",
           "20 groups; a group's edits scale with the draft (the same density per section).", "",
           "| Draft | Words | Paragraphs | split (s) | distribute (s) | ingest (s) | "
           "collate (s) | collate x previous | x floor | Peak memory (MB) |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    prev = None
    for k in sorted(sc):
        r = sc[k]
        c = r["collate"]["seconds"]
        grow = f"{c / prev:.2f}" if prev else "-"
        out.append(f"| {k:g}x | {r['shape']['words']:,} | {r['shape']['paragraphs']:,} | "
                   f"{r['split']['seconds']:.2f} | {r['distribute']['seconds']:.2f} | "
                   f"{r['ingest']['seconds']:.2f} | {c:.2f} | {grow} | "
                   f"{_ratio(c, r['floor']['seconds'])} | {r['collate']['peak_mb']:.0f} |")
        prev = c
    return out + [""]


def _batch(f: dict) -> list[str]:
    b = f["batch"]
    s = b["shape"]
    out = ["## Batch mode", "",
           f"Small returns made from a small draft ({s['words']:,} words, {s['paragraphs']} "
           "paragraphs) to keep the run time sane: each group makes about a tenth of the full "
           "density (3 comments, 1 reply, 8 tracked changes, 2 untracked edits); none is "
           "re-saved by LibreOffice. Collate + save, every return in one collated document.",
           "", "| Returns | Jobs | Time (s) | Returns/s | Peak memory, main (MB) | "
           "Peak memory, each worker (MB) | Changes written |",
           "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in b["runs"]:
        worker = f"{r['child_peak_mb']:.0f}" if r["jobs"] > 1 else "-"
        out.append(f"| {r['groups']} | {r['jobs']} | {r['seconds']:.2f} | "
                   f"{r['groups'] / r['seconds']:.1f} | {r['peak_mb']:.0f} | {worker} | "
                   f"{r.get('ops', 0):,} |")
    return out + [""]


def _profile(f: dict) -> list[str]:
    p = f["profile"]
    out = ["## Where the time goes", "",
           "cProfile over `collate` + `save` of the 20-group workload, one process (profiling "
           "roughly doubles the times; the shares are what matter). Cumulative seconds per "
           "phase:", "", "| Phase | Seconds | Share |", "|---|---:|---:|"]
    total = p["phases"][0][1] or 1
    for label, secs in p["phases"]:
        name = label.replace("  ", "&nbsp;&nbsp;&nbsp;&nbsp;", 1) if label.startswith("  ") \
            else label
        out.append(f"| {name} | {secs:.2f} | {secs / total:.0%} |")
    out += ["", "The functions with the most time of their own:", "",
            "| Own time (s) | Calls | Function |", "|---:|---:|---|"]
    for secs, calls, name in p["top"]:
        out.append(f"| {secs:.3f} | {calls:,} | `{name}` |")
    return out + [""]

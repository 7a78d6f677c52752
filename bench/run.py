"""Benchmark consult on a Code-of-Practice-sized workload and write BENCHMARKS.md.

    python bench/run.py            # the full run (about 15-25 minutes on 2 cores)
    python bench/run.py --quick    # 20 groups, one pass, no scaling series (under 3 minutes)

Workloads are generated from --seed and cached in bench/work/ (rebuilt when the generator
changes; --fresh rebuilds them anyway). Every step runs in a fresh Python process
(bench/step.py), which reports the step's time and its peak resident memory.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import workload as wl                                        # noqa: E402
from report import write_report                              # noqa: E402

STEPS = ("split", "distribute", "ingest", "collate")
GROUP_SERIES = (10, 20, 40, 80)
SCALE_SERIES = (0.5, 1.0, 2.0)
BATCH_SCALE = 0.05          # the small draft batch returns are made from
BATCH_DENSITY = 0.1         # and a tenth of the full edit density


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 groups, one pass, no series")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=None,
                    help="returns in the batch run (default 500; 100 with --quick; 0 skips)")
    ap.add_argument("--repeat", type=int, default=None, help="passes per measurement "
                    "(default 3; 1 with --quick); the fastest is reported")
    ap.add_argument("--work", default=str(HERE / "work"), help="where workloads are cached")
    ap.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    ap.add_argument("--fresh", action="store_true", help="rebuild cached workloads")
    args = ap.parse_args()
    quick = args.quick
    repeat = args.repeat or (1 if quick else 3)
    batch = (100 if quick else 500) if args.batch is None else args.batch
    work = Path(args.work)
    if args.fresh and work.exists():
        shutil.rmtree(work)
    started = time.time()
    facts = {"machine": machine(), "quick": quick, "repeat": repeat, "seed": args.seed,
             "load_before": os.getloadavg()}
    log("building workloads (cached in %s)" % work)
    t = time.time()
    groups = 20 if quick else max(GROUP_SERIES)
    main_spec = wl.Spec(args.seed, 1.0, groups)
    manifests = {1.0: _build(work, main_spec)}
    if not quick:
        for scale in SCALE_SERIES:
            if scale != 1.0:
                manifests[scale] = _build(work, wl.Spec(args.seed, scale, 20))
    batch_manifest = _build(work, wl.Spec(args.seed, BATCH_SCALE, batch, libreoffice=False,
                                          density=BATCH_DENSITY)) if batch else None
    facts["build_seconds"] = round(time.time() - t, 1)
    facts["workload"] = manifests[1.0]
    main_path = wl.manifest_path(work, main_spec)

    log("main workload: 20 groups")
    facts["main"] = {s: step(main_path, s, 20, repeat=repeat) for s in STEPS}
    facts["main"]["collate-jobs2"] = step(main_path, "collate", 20, jobs=2, repeat=repeat)
    facts["main"]["ingest-jobs2"] = step(main_path, "ingest", 20, jobs=2, repeat=repeat)
    facts["floor"] = {s: step(main_path, "floor-" + s, 20, repeat=repeat) for s in STEPS}
    facts["pandoc"] = pandoc(main_path, 5 if quick else 20)
    facts["profile"] = step(main_path, "profile", 20)["profile"]
    if not quick:
        log("scaling: groups")
        facts["groups"] = {n: {"ingest": step(main_path, "ingest", n, repeat=repeat),
                               "collate": step(main_path, "collate", n, repeat=repeat),
                               "floor": step(main_path, "floor-collate", n, repeat=repeat)}
                           for n in GROUP_SERIES}
        log("scaling: draft size")
        facts["scale"] = {}
        for scale in SCALE_SERIES:
            path = wl.manifest_path(work, wl.Spec(args.seed, scale, 20 if scale != 1.0
                                                  else groups))
            facts["scale"][scale] = {s: step(path, s, 20, repeat=repeat) for s in STEPS}
            facts["scale"][scale]["floor"] = step(path, "floor-collate", 20, repeat=repeat)
            facts["scale"][scale]["shape"] = manifests[scale]["shape"]
    if batch_manifest:
        log(f"batch: {batch} small returns")
        path = wl.manifest_path(work, wl.Spec(args.seed, BATCH_SCALE, batch, libreoffice=False,
                                              density=BATCH_DENSITY))
        sizes = sorted({max(1, batch // 4), max(1, batch // 2), batch})
        facts["batch"] = {"shape": batch_manifest["shape"], "runs": []}
        for jobs in (1, 2):
            for n in sizes:
                facts["batch"]["runs"].append(step(path, "collate", n, jobs=jobs))
    facts["load_after"] = os.getloadavg()
    facts["seconds"] = round(time.time() - started, 1)
    write_report(Path(args.output), facts)
    (HERE / "work").mkdir(exist_ok=True)
    (HERE / "work" / "last-run.json").write_text(json.dumps(facts, indent=1, default=str),
                                                 encoding="utf-8")
    log(f"wrote {args.output} in {facts['seconds']:.0f} s")


def _build(work: Path, spec: wl.Spec) -> dict:
    t = time.time()
    manifest = wl.build(work, spec, log=log)
    log(f"  {spec.name}: ready ({time.time() - t:.0f} s)")
    return manifest


def step(manifest: Path, name: str, groups: int, jobs: int = 1, repeat: int = 1) -> dict:
    """Run bench/step.py ``repeat`` times in fresh processes; keep the fastest pass."""
    runs = []
    for _ in range(repeat):
        cmd = [sys.executable, str(HERE / "step.py"), str(manifest), name, "--groups",
               str(groups), "--jobs", str(jobs)]
        res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if res.returncode != 0:
            raise SystemExit(f"step {name} failed:\n{res.stderr[-3000:]}")
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["runs"] = [r["seconds"] for r in runs]
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["child_peak_mb"] = max(r["child_peak_mb"] for r in runs)
    log(f"  {name:16} groups={groups:<4} jobs={jobs} {best['seconds']:8.2f} s "
        f"{best['peak_mb']:7.1f} MB")
    return best


def pandoc(manifest: Path, count: int) -> dict | None:
    """pandoc reading the first ``count`` returns; scaled to 20 when fewer are read."""
    if shutil.which("pandoc") is None:
        return None
    result = step(manifest, "pandoc", count)
    result["read"] = count
    result["seconds_20"] = result["seconds"] * 20 / count
    return result


def machine() -> dict:
    from lxml import etree
    out = {"nproc": os.cpu_count(), "affinity": len(os.sched_getaffinity(0)),
           "python": platform.python_version(), "platform": platform.platform(),
           "lxml": ".".join(map(str, etree.LXML_VERSION)),
           "libxml2": ".".join(map(str, etree.LIBXML_VERSION))}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kb = int(next(ln.split()[1] for ln in meminfo.splitlines() if ln.startswith("MemTotal")))
        out["memory_gb"] = round(kb / 1024 / 1024, 1)
        cpuinfo = Path("/proc/cpuinfo").read_text()
        out["cpu"] = next((ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines()
                           if ln.startswith("model name")), "")
    except (OSError, StopIteration):
        pass
    for tool, flag in (("pandoc", "--version"), ("soffice", "--version")):
        path = shutil.which(tool)
        if path:
            res = subprocess.run([path, flag], capture_output=True, text=True, timeout=120)
            out[tool] = (res.stdout.strip().splitlines() or [""])[0]
    import consult
    out["consult"] = consult.__version__
    return out


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

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
    args = _arguments()
    if args.report_only:            # the prose changed, not the measurements
        facts = json.loads((Path(args.work) / "last-run.json").read_text(encoding="utf-8"))
        for key, kind in (("groups", int), ("scale", float)):   # JSON made the keys strings
            if isinstance(facts.get(key), dict):
                facts[key] = {kind(k): v for k, v in facts[key].items()}
        write_report(Path(args.output), facts)
        log(f"wrote {args.output} from {Path(args.work) / 'last-run.json'}")
        return
    quick = args.quick
    repeat = args.repeat or (1 if quick else 5)
    batch = (100 if quick else 500) if args.batch is None else args.batch
    work = Path(args.work)
    if args.fresh and work.exists():
        shutil.rmtree(work)
    started = time.time()
    facts = {"machine": machine(), "quick": quick, "repeat": repeat, "seed": args.seed,
             "load_before": os.getloadavg()}
    specs = _specs(args.seed, quick, batch)
    log(f"building workloads (cached in {work})")
    t = time.time()
    manifests = {name: _build(work, spec) for name, spec in specs.items()}
    facts["build_seconds"] = round(time.time() - t, 1)
    facts["workload"] = manifests["main"]
    paths = {name: wl.manifest_path(work, spec) for name, spec in specs.items()}
    facts.update(measure_main(paths["main"], quick, repeat))
    if not quick:
        facts["groups"] = measure_groups(paths["main"], repeat)
        facts["scale"] = measure_scale(paths, manifests, repeat)
    if batch:
        facts["batch"] = measure_batch(paths["batch"], manifests["batch"], batch)
    facts["load_after"] = os.getloadavg()
    facts["seconds"] = round(time.time() - started, 1)
    facts["date"] = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    write_report(Path(args.output), facts)
    work.mkdir(parents=True, exist_ok=True)
    (work / "last-run.json").write_text(json.dumps(facts, indent=1, default=str),
                                        encoding="utf-8")
    log(f"wrote {args.output} in {facts['seconds']:.0f} s")


def _arguments() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 groups, one pass, no series")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=None,
                    help="returns in the batch run (default 500; 100 with --quick; 0 skips)")
    ap.add_argument("--repeat", type=int, default=None, help="passes per measurement "
                    "(default 5; 1 with --quick); the fastest is reported")
    ap.add_argument("--work", default=str(HERE / "work"), help="where workloads are cached")
    ap.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    ap.add_argument("--fresh", action="store_true", help="rebuild cached workloads")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report from the last run's measurements (last-run.json)")
    return ap.parse_args()


def _specs(seed: int, quick: bool, batch: int) -> dict[str, wl.Spec]:
    """The workloads: the main one (80 groups, or 20 when quick), the other sizes, the batch."""
    specs = {"main": wl.Spec(seed, 1.0, 20 if quick else max(GROUP_SERIES))}
    if not quick:
        for scale in SCALE_SERIES:
            if scale != 1.0:
                specs[f"x{scale:g}"] = wl.Spec(seed, scale, 20)
    if batch:
        specs["batch"] = wl.Spec(seed, BATCH_SCALE, batch, libreoffice=False,
                                 density=BATCH_DENSITY)
    return specs


def measure_main(path: Path, quick: bool, repeat: int) -> dict:
    """Every step, the floors, pandoc and a profile on the 20-group workload."""
    log("main workload: 20 groups")
    points = {s: (path, s, 20, 1) for s in STEPS}
    points.update({f"floor-{s}": (path, f"floor-{s}", 20, 1) for s in STEPS})
    points["collate-jobs2"] = (path, "collate", 20, 2)
    points["ingest-jobs2"] = (path, "ingest", 20, 2)
    got = measure(points, repeat)
    main = {k: v for k, v in got.items() if not k.startswith("floor-")}
    floor = {k[len("floor-"):]: v for k, v in got.items() if k.startswith("floor-")}
    return {"main": main, "floor": floor, "pandoc": pandoc(path, 5 if quick else 20),
            "profile": measure({"p": (path, "profile", 20, 1)}, 1)["p"]["profile"]}


def measure_groups(path: Path, repeat: int) -> dict:
    log("scaling: groups")
    points = {(n, s): (path, name, n, 1) for n in GROUP_SERIES
              for s, name in (("ingest", "ingest"), ("collate", "collate"),
                              ("floor", "floor-collate"))}
    got = measure(points, repeat)
    return {n: {s: got[(n, s)] for s in ("ingest", "collate", "floor")} for n in GROUP_SERIES}


def measure_scale(paths: dict, manifests: dict, repeat: int) -> dict:
    log("scaling: draft size")
    names = {scale: "main" if scale == 1.0 else f"x{scale:g}" for scale in SCALE_SERIES}
    points = {(scale, s): (paths[names[scale]], name, 20, 1) for scale in SCALE_SERIES
              for s, name in [(s, s) for s in STEPS] + [("floor", "floor-collate")]}
    got = measure(points, repeat)
    out: dict = {}
    for (scale, s), result in got.items():
        out.setdefault(scale, {"shape": manifests[names[scale]]["shape"]})[s] = result
    return out


def measure_batch(path: Path, manifest: dict, batch: int) -> dict:
    log(f"batch: {batch} small returns")
    sizes = sorted({max(1, batch // 4), max(1, batch // 2), batch})
    points = {("collate", jobs, n): (path, "collate", n, jobs) for jobs in (1, 2) for n in sizes}
    points.update({("ingest", 1, n): (path, "ingest", n, 1) for n in sizes})
    points.update({("reports", 1, n): (path, "collate-reports", n, 1) for n in sizes})
    got = measure(points, 1)
    return {"shape": manifest["shape"],
            "runs": [got[("collate", jobs, n)] for jobs in (1, 2) for n in sizes],
            "ingest": [got[("ingest", 1, n)] for n in sizes],
            "reports": [got[("reports", 1, n)] for n in sizes]}


def _build(work: Path, spec: wl.Spec) -> dict:
    t = time.time()
    manifest = wl.build(work, spec, log=log)
    log(f"  {spec.name}: ready ({time.time() - t:.0f} s)")
    return manifest


def measure(points: dict, repeat: int) -> dict:
    """Run each point (manifest, step, groups, jobs) ``repeat`` times, taking turns so that a
    busy spell on the machine falls on every point alike; keep each point's fastest pass."""
    runs: dict = {key: [] for key in points}
    for _ in range(repeat):
        for key, (manifest, name, groups, jobs) in points.items():
            runs[key].append(run_step(manifest, name, groups, jobs))
    out = {}
    for key, results in runs.items():
        best = dict(min(results, key=lambda r: r["seconds"]))
        best["runs"] = [r["seconds"] for r in results]
        best["cpu"] = min(r["cpu"] for r in results)
        best["cpu_runs"] = [r["cpu"] for r in results]
        best["peak_mb"] = max(r["peak_mb"] for r in results)
        best["child_peak_mb"] = max(r["child_peak_mb"] for r in results)
        log(f"  {best['step']:16} groups={best['groups']:<4} jobs={best['jobs']} "
            f"{best['seconds']:8.2f} s wall {best['cpu']:8.2f} s CPU "
            f"{best['peak_mb']:7.1f} MB")
        out[key] = best
    return out


def run_step(manifest: Path, name: str, groups: int, jobs: int = 1) -> dict:
    """One pass of bench/step.py in a fresh process."""
    cmd = [sys.executable, str(HERE / "step.py"), str(manifest), name, "--groups",
           str(groups), "--jobs", str(jobs)]
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(f"step {name} failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def pandoc(manifest: Path, count: int) -> dict | None:
    """pandoc reading the first ``count`` returns; scaled to 20 when fewer are read."""
    if shutil.which("pandoc") is None:
        return None
    result = measure({"p": (manifest, "pandoc", count, 1)}, 1)["p"]
    result["read"] = count
    result["seconds_20"] = result["seconds"] * 20 / count
    result["cpu_20"] = result["cpu"] * 20 / count
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

"""Build (or reuse) a benchmark workload: a draft, its allocation, packs and groups' returns.

A workload is described by a manifest (``workload.json``) that the timed steps read: the draft,
each group's sections, and the return files in order. Files are cached under ``bench/work/``
and rebuilt when the seed, the shape or the generator's source changes.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from draft import build_draft                              # noqa: E402
from returns import make_return, plan_group, pool         # noqa: E402

from consult.allocate import allocate, group_names        # noqa: E402
from consult.model import Allocation                      # noqa: E402
from consult.packs import write_packs                     # noqa: E402
from consult.split import load_draft                      # noqa: E402

BASE_GROUPS = 20            # groups 21, 22... read the same sections as groups 1, 2...
COVERAGE = 2                # every section is read by two of the base groups
LO_EVERY = 4                # every fourth group's return is re-saved by LibreOffice
LO_PROFILE = "file:///tmp/lo-bench"
LO_TIMEOUT = 900
SOURCES = ("draft.py", "returns.py", "text.py", "workload.py")


@dataclass(frozen=True)
class Spec:
    """What to build: a draft of ``scale`` times the Code of Practice, ``groups`` returns."""

    seed: int
    scale: float
    groups: int
    libreoffice: bool = True
    density: float | None = None        # edits per group relative to the full density

    @property
    def name(self) -> str:
        lo = "lo" if self.libreoffice else "nolo"
        dens = "" if self.density is None else f"-d{self.density:g}"
        return f"s{self.seed}-x{self.scale:g}-g{self.groups}-{lo}{dens}"


def source_hash() -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:12]


def manifest_path(work: Path, spec: Spec) -> Path:
    return work / spec.name / "workload.json"


def build(work: Path, spec: Spec, jobs: int = 2, log=print) -> dict:
    """The workload's manifest, building what is missing."""
    folder = work / spec.name
    path = folder / "workload.json"
    if path.is_file():
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("source") == source_hash() and manifest.get("spec") == asdict(spec):
            return manifest
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    log(f"  building workload {spec.name} ...")
    draft_path = folder / "draft.docx"
    extras = build_draft(draft_path, spec.seed, spec.scale)
    draft = load_draft(draft_path)
    base = allocate(draft, group_names(BASE_GROUPS), coverage=COVERAGE)
    allocations = [Allocation(f"Group {g}", base[(g - 1) % len(base)].sections)
                   for g in range(1, spec.groups + 1)]
    packs = write_packs(draft, allocations, folder / "packs", context="full")
    returns = folder / "returns"
    made = _returns(draft, draft_path, spec, allocations, packs, returns, jobs)
    resaved = _libreoffice(returns, allocations) if spec.libreoffice else []
    manifest = {
        "spec": asdict(spec), "source": source_hash(), "draft": "draft.docx",
        "groups": [{"group": a.group, "sections": list(a.sections)} for a in allocations],
        "returns": [f"returns/{p.name}" for p in packs], "libreoffice": resaved,
        "edits": made,
        "shape": {"words": draft.words, "paragraphs": len(draft.paragraphs),
                  "sections": len(draft.sections), "tables": extras.tables,
                  "footnotes": extras.footnotes, "bytes": draft_path.stat().st_size,
                  "return_bytes": sum((returns / p.name).stat().st_size for p in packs)},
    }
    path.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    shutil.rmtree(folder / "packs")
    return manifest


def _returns(draft, draft_path: Path, spec: Spec, allocations, packs, returns: Path,
             jobs: int) -> list[int]:
    """Each group's return, made from its pack in ``jobs`` processes; edits made in each."""
    returns.mkdir()
    density = spec.scale if spec.density is None else spec.density
    pools = {s.id: pool(draft, s.id, spec.seed, density) for s in draft.sections}
    args = [(str(draft_path), a.group, k, a.sections, spec.seed, density, str(pack),
             str(returns / pack.name)) for k, (a, pack) in enumerate(zip(allocations, packs))]
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        return list(ex.map(_make, args, [pools] * len(args), chunksize=4))


def _make(args, pools) -> int:
    draft_path, group, k, sections, seed, density, pack, out = args
    draft = _draft(draft_path)
    plan = plan_group(draft, group, k, sections, seed, density, pools)
    return make_return(Path(pack), Path(out), draft, plan, seed)


_DRAFTS: dict[str, object] = {}


def _draft(path: str):
    if path not in _DRAFTS:
        _DRAFTS[path] = load_draft(path)
    return _DRAFTS[path]


def _libreoffice(returns: Path, allocations: list[Allocation]) -> list[str]:
    """Re-save every LO_EVERY-th return through LibreOffice, when it is installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return []
    names = [f"{a.group}.docx" for k, a in enumerate(allocations, 1) if k % LO_EVERY == 0]
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [soffice, "--headless", f"-env:UserInstallation={LO_PROFILE}", "--convert-to",
               'docx:MS Word 2007 XML', "--outdir", tmp] + [str(returns / n) for n in names]
        subprocess.run(cmd, check=True, capture_output=True, timeout=LO_TIMEOUT)
        done = []
        for n in names:
            out = Path(tmp) / n
            if out.is_file():
                shutil.move(str(out), returns / n)
                done.append(n)
    return done


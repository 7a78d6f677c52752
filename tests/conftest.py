"""Shared paths and tool checks for the tests."""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
VALIDATOR = SHARED / "ooxml-schemas" / "validate.py"
SAMPLES = ROOT / "samples"
SAMPLE_DRAFT = SAMPLES / "sen-policy-draft.docx"

sys.path.insert(0, str(Path(__file__).resolve().parent))


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"real corpus file {name} not found (../shared/corpus/real is absent)")
    return path


@pytest.fixture
def corpus():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/real is absent")
    return CORPUS


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (.ci/run installs it)")
    return path


@pytest.fixture(scope="module")
def folder(request):
    """A scratch folder for one test module, removed afterwards."""
    name = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    path = Path(tempfile.mkdtemp(prefix=f"consult-{name}-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# -- every .docx consult writes during a test keeps Word's rules (tests/wordcheck.py) ---------

def pytest_configure(config):
    config.addinivalue_line("markers", "broken_output: the test makes consult write a .docx "
                            "that breaks Word's rules on purpose; they are not checked")


@pytest.fixture(autouse=True)
def _docx_outputs_keep_the_rules(request, monkeypatch):
    """Record each .docx consult writes (all its writes end in os.replace, see
    ooxml.package.write_atomic) and check it with wordcheck.rules_ok at teardown. Styles:
    only those consult adds must be in stylesWithEffects.xml (a draft's own gaps are the
    draft's)."""
    import os
    written: dict[Path, tuple] = {}         # path -> its (size, mtime) as consult wrote it
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        result = real_replace(src, dst, *args, **kwargs)
        if str(dst).lower().endswith(".docx"):
            written[Path(dst)] = _stamp(Path(dst))
        return result

    monkeypatch.setattr(os, "replace", replace)
    yield
    monkeypatch.setattr(os, "replace", real_replace)
    if request.node.get_closest_marker("broken_output"):
        return
    import zipfile
    from wordcheck import CONSULT_STYLES, rules_ok
    found = {}
    for path, stamp in written.items():
        if _stamp(path) != stamp:           # the test itself rewrote it (a scripted return)
            continue
        if path.is_file() and zipfile.is_zipfile(path):     # not a package: bytes on purpose
            problems = rules_ok(path, styles=CONSULT_STYLES)
            if problems:
                found[path] = problems
    assert not found, "consult wrote .docx files that break Word's rules:\n" + "\n".join(
        f"{p}: " + "; ".join(v[:5]) + (f" (and {len(v) - 5} more)" if len(v) > 5 else "")
        for p, v in found.items())


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return ()
    return st.st_size, st.st_mtime_ns

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

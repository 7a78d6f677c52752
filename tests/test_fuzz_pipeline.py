"""Well-formed but damaged returns: the whole pipeline reads them or reports a clean error."""
from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import SAMPLE_DRAFT, SAMPLES

from consult.annotations import read_annotations
from consult.collate import collate
from consult.errors import ConsultError
from consult.split import load_draft

RETURNS = sorted((SAMPLES / "returns").glob("*.docx"))
PARTS = ("word/document.xml", "word/comments.xml", "word/commentsExtended.xml",
         "word/numbering.xml", "word/styles.xml", "docProps/custom.xml")
DRAFT = load_draft(SAMPLE_DRAFT)


ACTIONS = ["remove", "strip-attributes", "duplicate", "empty", "bad-value"]
VALUES = ["", "-1", "99999999999", "x", "0"]


@st.composite
def damage(draw: st.DrawFn) -> tuple:
    """Which return, which part, and what to do to which elements (small, so it prints)."""
    path = draw(st.integers(0, len(RETURNS) - 1))
    part = draw(st.sampled_from(PARTS))
    steps = draw(st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                    st.sampled_from(ACTIONS), st.sampled_from(VALUES),
                                    st.integers(0, 20)), min_size=1, max_size=6))
    return path, part, steps


def apply(path: int, part: str, steps: list) -> bytes:
    z = zipfile.ZipFile(RETURNS[path])
    if part not in z.namelist():
        part = "word/document.xml"
    root = etree.fromstring(z.read(part))
    for where, action, value, which in steps:
        elements = list(root.iter())[1:]
        if not elements:
            break
        el = elements[int(where * len(elements))]
        parent = el.getparent()
        if action == "remove":
            parent.remove(el)
        elif action == "strip-attributes":
            el.attrib.clear()
        elif action == "duplicate":
            parent.insert(parent.index(el), etree.fromstring(etree.tostring(el)))
        elif action == "empty":
            for child in list(el):
                el.remove(child)
        elif el.attrib:
            keys = sorted(el.attrib)
            el.set(keys[which % len(keys)], value)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in z.infolist():
            dst.writestr(info, etree.tostring(root) if info.filename == part else z.read(info))
    return out.getvalue()


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "40")), deadline=10000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(how=damage())
def test_pipeline_reads_or_reports(how: tuple) -> None:
    data = apply(*how)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "Group 9.docx"
        path.write_bytes(data)
        try:
            read_annotations(path)
        except ConsultError as err:
            assert "\n" not in str(err)
        col = collate(DRAFT, [path])
        for r in col.rejected:
            assert "\n" not in r.reason
        col.save(Path(folder) / "out.docx")
        for ret in col.returns:
            assert ret.found == len(ret.placed) + len(ret.unplaced)

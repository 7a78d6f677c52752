"""Legacy (VML) pictures inserted by two groups: each return numbers its shapes from the same
start (v:shape @id "_x0000_i1025", o:spid "_x0000_s1025"); the collated document gives each
copied shape ids of its own, and LibreOffice still reads each group's picture."""
from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from lxml import etree

import edit_docx as ed
from conftest import corpus_file
from test_tracked_objects import DRAFT, _image_part, libreoffice_images, png, track_insert_object
from wordcheck import rules_ok, word_checks

from consult.accept import accept
from consult.collate import collate
from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft

V, O = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"
GROUPS = ("Group 1", "Group 2")


def vml_picture(rid: str):
    """A run holding a picture as Word 2003 wrote one (and Word still reads): a VML shape."""
    return etree.fromstring(
        f'<w:r xmlns:w="{ed.W}" xmlns:v="{V}" xmlns:o="{O}" xmlns:r="{ed.R}"><w:pict>'
        '<v:shapetype id="_x0000_t75" coordsize="21600,21600" o:spt="75" '
        'path="m@4@5l@4@11@9@11@9@5xe" filled="f" stroked="f"/>'
        '<v:shape id="_x0000_i1025" o:spid="_x0000_s1025" type="#_x0000_t75" '
        'style="width:30pt;height:30pt">'
        f'<v:imagedata r:id="{rid}" o:title="old"/></v:shape></w:pict></w:r>')


@pytest.fixture(scope="module")
def vml(folder):
    path = corpus_file(DRAFT)
    draft = load_draft(path)
    every = tuple(s.id for s in draft.sections)
    returns = []
    for k, group in enumerate(GROUPS):
        pack = folder / f"pack {group}.docx"
        build_pack(draft, Allocation(group, every), context="full").save(pack)
        doc = ed.Docx.open(pack)
        snippet, after = [("The Earth is nearly", "13,000 km wide."),
                          ("A day on Earth is", "24 hours long.")][k]
        track_insert_object(doc, snippet, after, vml_picture(_image_part(doc, png(20 + k))),
                            group)
        returns.append(doc.save(folder / f"{group}.docx"))
    col = collate(draft, returns, [Allocation(g, every) for g in GROUPS])
    out = folder / "collated.docx"
    col.save(out)
    return path, out


def test_each_copied_vml_shape_has_ids_of_its_own(vml):
    _, out = vml
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    shapes = list(root.iter(f"{{{V}}}shape"))
    assert len(shapes) == 2
    ids = [s.get("id") for s in shapes] + [s.get(f"{{{O}}}spid") for s in shapes]
    assert all(ids) and not [i for i, n in Counter(ids).items() if n > 1], ids
    assert {s.get("type") for s in shapes} == {"#_x0000_t75"}     # still the shape type


@pytest.mark.parametrize("group", GROUPS)
def test_libreoffice_reads_each_groups_vml_picture(vml, folder, tmp_path, group):
    """(pandoc 2.17 does not read a VML picture inside a w:ins, so LibreOffice is the reader.)"""
    draft, out = vml
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=[group])
    assert libreoffice_images(mine, tmp_path) == libreoffice_images(
        folder / f"{group}.docx", tmp_path)
    assert len(libreoffice_images(mine, tmp_path)) == 1 + len(libreoffice_images(draft, tmp_path))


def test_rules_schema_and_readers(vml):
    draft, out = vml
    assert rules_ok(out, since=draft) == []
    word_checks(out)

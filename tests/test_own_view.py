"""The collating writer and the draft model agree on the draft's paragraphs (its accepted view).

``collate`` opens the draft keeping its own tracked changes (``keep_own``) and keeps the
paragraphs ``shown`` in the accepted view; ``load_draft`` accepts every change. Both must give
the same paragraphs, else collating stops with 'the draft changed while collating'.
"""
from __future__ import annotations

import copy

import pytest
from lxml import etree

from conftest import CORPUS, corpus_file

from consult.ooxml.document import from_package
from consult.ooxml.own import keep_own, shown
from consult.ooxml.package import Package
from consult.ooxml.revisions import accept_all, has_revisions, resolve
from consult.split import load_draft

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RP001 = "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx"


def _views(path):
    """(writer's kept paragraphs, the paragraphs accepting all of that tree leaves)."""
    pkg = Package.open(path)
    keep_own(pkg)
    root = pkg.xml(pkg.main)
    for i, p in enumerate(root.iter(W + "p")):
        p.set("n", str(i))
    kept = [p.get("n") for p in root.iter(W + "p") if shown(p)]
    accepted = copy.deepcopy(root)
    resolve(accepted, accept_all)
    return kept, [p.get("n") for p in accepted.iter(W + "p")]


def test_a_mark_inserted_and_deleted_is_joined_in_both_views():
    # RP001 has 7 paragraph marks both inserted and deleted: before this fix keep_own kept
    # them as paragraphs (170) while the accepted view joined them (163)
    path = corpus_file(RP001)
    kept, accepted = _views(path)
    assert kept == accepted
    pkg = Package.open(path)
    keep_own(pkg)
    doc = from_package(pkg)
    assert sum(1 for dp in doc.paragraphs if shown(dp.element)) == len(load_draft(path).paragraphs)


def test_every_real_draft_with_changes_gives_one_view():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/real is absent")
    checked = 0
    for path in sorted(CORPUS.glob("*.docx")):
        try:
            pkg = Package.open(path)
            if not has_revisions(pkg.xml(pkg.main)):
                continue
            draft = load_draft(path)
        except Exception:       # files consult refuses are others' tests
            continue
        kept, accepted = _views(path)
        assert kept == accepted, path.name
        keep_own(pkg)
        doc = from_package(pkg)
        assert sum(1 for dp in doc.paragraphs if shown(dp.element)) == len(draft.paragraphs), \
            path.name
        checked += 1
    assert checked >= 10


def test_an_inserted_then_deleted_row_is_outside_both_views():
    p = W + "p"
    body = etree.fromstring(
        f'<w:body xmlns:w="{W[1:-1]}"><w:p/><w:tbl><w:tr><w:trPr>'
        '<w:ins w:id="1" w:author="A"/><w:del w:id="2" w:author="B"/></w:trPr>'
        '<w:tc><w:p/></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl><w:p/></w:body>')
    accepted = copy.deepcopy(body)
    resolve(accepted, accept_all)
    assert sum(1 for e in body.iter(p) if shown(e)) == len(list(accepted.iter(p))) == 3

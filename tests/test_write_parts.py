"""Every id and part consistent in what consult writes, read back with lxml from the zip.

Comment ids unique and each comment's range complete, w14:paraIds unique and < 0x80000000, a
commentsExtended / commentsIds / commentsExtensible entry for every comment (when the draft has
those parts), every author in people.xml (when it exists), stylesWithEffects.xml in step with
styles.xml; a return's duplicate comment ids and self-parent replies repaired with a warning.
"""
from __future__ import annotations

import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import edit_docx as ed
from conftest import SAMPLE_DRAFT, corpus_file
from wordcheck import schema_valid

from consult.collate import collate
from consult.split import load_draft

W, W14, W15 = ed.W, ed.W14, ed.W15
CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
DATE = "2026-11-02T09:00:00Z"
DRAFTS = ["docx2python__tests_resources_comments.docx",
          "Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx",
          "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder01_Source1.docx",
          "python-docx__features_steps_test_files_comments-rich-para.docx"]

INVALID_AS_GIVEN = {DRAFTS[3]}     # its comments.xml fails the schema before consult reads it


def snippets(doc, n: int) -> list[str]:
    """Up to ``n`` phrases, each in one plain paragraph only (runs directly in it)."""
    texts = [ed.paragraph_text(p) for p in doc.body.iter(ed.w("p"))]
    out = []
    for p in doc.body.iter(ed.w("p")):
        if p.find(ed.w("r")) is None or any(r.getparent() is not p for s in ed.segments(p)
                                             for r in [s.run]):
            continue
        words = ed.paragraph_text(p).split()
        if len(words) < 2:
            continue
        phrase = " ".join(words[:2])
        if sum(phrase in t for t in texts) == 1 and phrase not in out:
            out.append(phrase)
        if len(out) == n:
            break
    return out


def make_return(draft: Path, path: Path, who: str) -> Path:
    doc = ed.Docx.open(draft)
    found = snippets(doc, 3)
    assert found, f"no plain paragraph in {draft.name}"
    parent = ed.add_comment(doc, found[0], f"{who} asks why.", who, who[:2], DATE)
    ed.add_comment(doc, None, f"{who} answers.", who, who[:2], DATE, reply_to=parent)
    if len(found) > 1:
        ed.track_insert(doc, found[1], found[1], " indeed", who, DATE)
    return doc.save(path)


def parts(path: Path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xml")
                or n.endswith(".rels")}


def problems(path: Path, draft: Path) -> list[str]:
    """What is inconsistent in the written document (empty: nothing)."""
    xml, given = parts(path), parts(draft)
    bad = []
    doc, comments = xml["word/document.xml"], xml.get("word/comments.xml")
    ids = [c.get(f"{{{W}}}id") for c in comments.iter(f"{{{W}}}comment")] if comments is not None \
        else []
    bad += [f"comment id {i} used {n} times" for i, n in Counter(ids).items() if n > 1]
    for kind in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        marks = [e.get(f"{{{W}}}id") for e in doc.iter(f"{{{W}}}{kind}")]
        bad += [f"{kind} {i} has no comment" for i in set(marks) - set(ids)]
        bad += [f"{kind} {i} written {n} times" for i, n in Counter(marks).items() if n > 1]
    revs = [e.get(f"{{{W}}}id") for e in doc.iter(*(f"{{{W}}}{n}" for n in (
        "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "trPrChange",
        "tcPrChange", "sectPrChange", "tblPrChange")))]
    bad += [f"revision id {i} used {n} times" for i, n in Counter(revs).items() if n > 1]
    para_ids = [e.get(f"{{{W14}}}paraId") for name, root in xml.items()
                if name.startswith("word/") for e in root.iter() if e.get(f"{{{W14}}}paraId")]
    bad += [f"paraId {p} used {n} times" for p, n in Counter(para_ids).items() if n > 1]
    bad += [f"paraId {p} not below 0x80000000" for p in para_ids if int(p, 16) >= 0x80000000]
    last = {}
    if comments is not None:
        for c in comments.iter(f"{{{W}}}comment"):
            ps = c.findall(f"{{{W}}}p")
            last[c.get(f"{{{W}}}id")] = ps[-1].get(f"{{{W14}}}paraId") if ps else None
    ext = xml.get("word/commentsExtended.xml")
    if ext is not None:
        entries = {e.get(f"{{{W15}}}paraId"): e for e in ext.iter(f"{{{W15}}}commentEx")}
        for cid, pid in last.items():
            if pid not in entries:
                bad.append(f"comment {cid} has no commentsExtended entry")
            elif entries[pid].get(f"{{{W15}}}paraIdParent") == pid:
                bad.append(f"comment {cid} is its own parent")
    ids_part = xml.get("word/commentsIds.xml")
    if ids_part is not None:
        durable = {e.get(f"{{{CID}}}paraId"): e.get(f"{{{CID}}}durableId")
                   for e in ids_part.iter(f"{{{CID}}}commentId")}
        bad += [f"comment {c} has no commentsIds entry" for c, p in last.items()
                if p not in durable]
        values = list(durable.values())
        bad += [f"durableId {d} used {n} times" for d, n in Counter(values).items() if n > 1]
        bad += [f"durableId {d} not below 0x7FFFFFFF" for d in values if int(d, 16) >= 0x7FFFFFFF]
        cex = xml.get("word/commentsExtensible.xml")
        if cex is not None:
            have = {e.get(f"{{{CEX}}}durableId") for e in cex.iter(f"{{{CEX}}}commentExtensible")}
            bad += [f"durableId {d} has no commentsExtensible entry" for d in values
                    if d not in have]
    people = xml.get("word/people.xml")
    if people is not None:
        named = {p.get(f"{{{W15}}}author") for p in people.iter(f"{{{W15}}}person")}
        authors = {e.get(f"{{{W}}}author") for root in (doc, comments) if root is not None
                   for e in root.iter() if e.get(f"{{{W}}}author")}
        bad += [f"author {a!r} not in people.xml" for a in sorted(authors - named)]
    effects = xml.get("word/stylesWithEffects.xml")
    if effects is not None:
        def style_ids(root):
            return {s.get(f"{{{W}}}styleId") for s in root.iter(f"{{{W}}}style")}
        added = style_ids(xml["word/styles.xml"]) - style_ids(given["word/styles.xml"])
        bad += [f"style {s} not in stylesWithEffects.xml" for s in sorted(
            added - style_ids(effects))]
    return bad


@pytest.mark.parametrize("name", DRAFTS)
def test_parts_consistent_on_real_drafts(name, tmp_path):
    draft = corpus_file(name)
    returns = [make_return(draft, tmp_path / f"Group {k}.docx", f"Group {k} person")
               for k in (1, 2)]
    col = collate(load_draft(draft), returns)
    out = tmp_path / "collated.docx"
    col.save(out)
    assert problems(out, draft) == []
    if name not in INVALID_AS_GIVEN:
        schema_valid(out)


def test_duplicate_ids_and_self_parents_are_repaired(tmp_path):
    doc = ed.Docx.open(SAMPLE_DRAFT)
    first = ed.add_comment(doc, "identifies, supports", "First.", "Ann", "A", DATE)
    second = ed.add_comment(doc, "read alongside our SEN", "Second.", "Ann", "A", DATE)
    ed.add_comment(doc, None, "Reply.", "Bob", "B", DATE, reply_to=first)
    root = doc.body
    for e in root.iter(ed.w("commentRangeStart"), ed.w("commentRangeEnd"),
                       ed.w("commentReference")):
        if e.get(ed.w("id")) == str(second):
            e.set(ed.w("id"), str(first))
    comments = doc.xml(doc.related(ed.REL_COMMENTS))
    for c in comments.iter(ed.w("comment")):
        if c.get(ed.w("id")) == str(second):
            c.set(ed.w("id"), str(first))
    ext = doc.xml(doc.related(ed.REL_COMMENTS_EXT))
    for e in ext.iter(f"{{{W15}}}commentEx"):   # every comment its own parent
        e.set(f"{{{W15}}}paraIdParent", e.get(f"{{{W15}}}paraId"))
    ret = doc.save(tmp_path / "Group 1.docx")
    col = collate(load_draft(SAMPLE_DRAFT), [ret])
    out = tmp_path / "collated.docx"
    col.save(out)
    assert problems(out, SAMPLE_DRAFT) == []
    said = " ".join(m.text for m in col.messages)
    assert "share the id" in said or "reply to itself" in said

"""Whole notes added or deleted. A footnote added or deleted with Track Changes off in a
return (its reference in the body and its text), or added with Track Changes on, is one tracked
change in the collated document: the reference and the note's runs in a w:ins (or w:del) under
"G (untracked)" (or "G"), the reference where the return has it; accepting G's changes gives
G's return, notes included (pandoc), rejecting them the draft's; an untracked edit inside the
draft's own insertion in a note is listed as unplaced, with a reason."""
from __future__ import annotations

import pytest

import consult
from conftest import SAMPLE_DRAFT, need
from edit_docx import Docx, el, text_run, w
from pandoc_reader import norm, pandoc_json
from test_notes import NOTE, note_tokens, text_of

ADDED = "See also the local offer published by Westmoor Council."
BEFORE = "brief staff on any change that affects day-to-day practice."
REF = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _footnotes(doc: Docx, kind: str = "footnote"):
    return doc.xml(doc.related(REF.replace("footnote", kind)))


def add_footnote(doc: Docx, snippet: str, text: str, kind: str = "footnote") -> None:
    """Put the cursor at the end of the paragraph holding ``snippet`` and insert a footnote
    (or, ``kind`` "endnote", an endnote) reading ``text``, Track Changes off."""
    notes = _footnotes(doc, kind)
    new_id = str(max(int(n.get(w("id"))) for n in notes) + 1)
    style = kind.capitalize()
    ref_run = el("r", None, el("rPr", None, el("rStyle", {"val": f"{style}Reference"})),
                 el(f"{kind}Reference", {"id": new_id}))
    p = next(p for p in doc.body.iter(w("p"))
             if snippet in "".join(t.text or "" for t in p.iter(w("t"))))
    p.append(ref_run)
    body = text_run(" " + text)
    notes.append(el(kind, {"id": new_id}, el(
        "p", None, el("pPr", None, el("pStyle", {"val": f"{style}Text"})),
        el("r", None, el("rPr", None, el("rStyle", {"val": f"{style}Reference"})),
           el(f"{kind}Ref")), body)))


def delete_footnote(doc: Docx, note_id: str = "1", kind: str = "footnote") -> None:
    """Select the footnote's reference mark and press Delete, Track Changes off (Word removes
    the note with it)."""
    for ref in list(doc.body.iter(w(f"{kind}Reference"))):
        if ref.get(w("id")) == note_id:
            run = ref.getparent()
            run.getparent().remove(run)
    notes = _footnotes(doc, kind)
    for n in list(notes):
        if n.get(w("id")) == note_id:
            notes.remove(n)


def _pandoc_notes(path) -> list[str]:
    return [text_of(n, lambda s: True) for n in note_tokens(path)]


def _unplaced(col) -> list[tuple[str, str, str, str]]:
    return [(g, u.item.kind, " ".join(u.item.text.split()), u.reason)
            for g, u in col.unplaced]


def _notes_at(path, track: str) -> list[tuple[str, str, tuple]]:
    """(the words before it in its paragraph, its text, the tracked changes holding it) of
    each Note pandoc reads, read with ``--track-changes=track``."""
    out: list[tuple[str, str, tuple]] = []

    def inlines(xs, before: list, stack: tuple):
        for x in xs:
            t, c = x.get("t"), x.get("c")
            if t == "Str":
                before.append(c)
            elif t in ("Space", "SoftBreak", "LineBreak"):
                before.append(" ")
            elif t == "Note":
                got: list = []
                _words(c, got)
                out.append((norm("".join(before)), norm("".join(got)), stack))
            elif t == "Span" and "comment-start" in c[0][1]:
                continue                        # a comment's text, not the paragraph's
            elif t == "Span":
                attr, kids = c
                kinds = [k for k in attr[1] if k in ("insertion", "deletion")]
                who = dict(attr[2]).get("author", "")
                inlines(kids, before, stack + tuple((k, who) for k in kinds))
            elif isinstance(c, list):
                kids = c[1] if t in ("Link", "Image", "Quoted", "Cite") else c
                if isinstance(kids, list):
                    inlines([k for k in kids if isinstance(k, dict)], before, stack)

    def blocks(bs):
        for b in bs:
            if b.get("t") in ("Para", "Plain"):
                inlines(b["c"], [], ())
            elif isinstance(b.get("c"), list):
                for part in b["c"]:
                    if isinstance(part, list):
                        blocks([p for p in part if isinstance(p, dict)])
    blocks(pandoc_json(path, track)["blocks"])
    return out


def _words(x, into: list) -> None:
    """Every word and space in pandoc JSON ``x``, in order."""
    if isinstance(x, list):
        for v in x:
            _words(v, into)
    elif isinstance(x, dict):
        if x.get("t") == "Str":
            into.append(x["c"])
        elif x.get("t") in ("Space", "SoftBreak", "LineBreak"):
            into.append(" ")
        else:
            _words(x.get("c"), into)


def _plain(path, track: str = "accept") -> str:
    """The whole document, notes included, as pandoc reads it."""
    import subprocess
    return subprocess.run(["pandoc", f"--track-changes={track}", "-t", "plain", "--wrap=none",
                           str(path)], capture_output=True, text=True, check=True).stdout


def _decided(folder, collated, group: str, verb: str = "accept"):
    from consult.accept import accept, reject
    out = folder / f"{verb}-{group}.docx"
    (accept if verb == "accept" else reject)(collated, out, groups=[group])
    return out


def _checked(path, draft=SAMPLE_DRAFT) -> None:
    from wordcheck import rules_ok, schema_valid
    schema_valid(path)
    found = rules_ok(path, since=draft)
    assert not found, found


@pytest.mark.parametrize("kind", ["footnote", "endnote"])
def test_a_note_added_or_deleted_without_tracking_is_one_tracked_change(folder, kind):
    need("pandoc")
    from test_notes import as_endnotes
    draft = SAMPLE_DRAFT if kind == "footnote" else as_endnotes(SAMPLE_DRAFT,
                                                                folder / "endnotes.docx")
    returns = folder / f"returns-{kind}"
    returns.mkdir()
    doc = Docx.open(draft)
    add_footnote(doc, BEFORE, ADDED, kind)
    doc.save(returns / "Group 1.docx")
    doc = Docx.open(draft)
    delete_footnote(doc, kind=kind)
    doc.save(returns / "Group 2.docx")
    draft_notes = _pandoc_notes(draft)
    assert _pandoc_notes(returns / "Group 2.docx") == [] and len(draft_notes) == 1
    col = consult.collate(consult.load_draft(draft), [returns])
    c = folder / f"c-{kind}.docx"
    col.save(c)
    _checked(c, draft)
    assert _unplaced(col) == []                                   # nothing left to do by hand
    seen = _notes_at(c, "all")
    (old,) = [n for n in seen if NOTE in n[1]]
    (new,) = [n for n in seen if ADDED in n[1]]
    assert old[0].endswith("the SEND Code of Practice.") and \
        old[2] == (("deletion", "Group 2 (untracked)"),), old     # its reference deleted
    assert new[0].endswith(BEFORE) and new[2] == (("insertion", "Group 1 (untracked)"),), new
    (tokens,) = [t for t in note_tokens(c) if NOTE in text_of(t, lambda s: True)]
    stacks = {tok[2] for tok in tokens if tok[0] == "text" and tok[1].strip()}
    assert stacks == {(("del", "Group 2 (untracked)"),)}, stacks      # the note's text too
    # accepting a group's changes gives its return, notes and references included
    for group in ("Group 1", "Group 2"):
        got = _decided(folder, c, group)
        assert _plain(got) == _plain(returns / f"{group}.docx"), group
        _checked(got, draft)
    # rejecting them gives the others' notes, no empty note left behind
    for group, other in (("Group 1", "Group 2"), ("Group 2", "Group 1")):
        got = _decided(folder, c, group, "reject")
        assert _plain(got) == _plain(returns / f"{other}.docx"), group
        assert _footnote_xml(got, kind).count(f"<w:{kind} w:id") == len(
            _pandoc_notes(returns / f"{other}.docx")), group
    both = folder / "both.docx"
    from consult.accept import accept, reject
    reject(c, both, groups=["Group 1", "Group 2"])
    assert _plain(both) == _plain(draft)
    done = accept(c, folder / "count.docx", groups=["Group 1"])
    assert (done.accepted, done.rejected, done.left) == (1, 1, 0)     # one change a note
    assert {t.group: t.unplaced for t in col.tallies} == {"Group 1": 0, "Group 2": 0}


def _footnote_xml(path, kind: str = "footnote") -> str:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.read(f"word/{kind}s.xml").decode()


def test_a_footnote_added_to_a_draft_without_notes_is_a_tracked_change(folder):
    """The draft has no notes at all (its footnote deleted): the return's new one is written
    as inserted."""
    need("pandoc")
    draft = Docx.open(SAMPLE_DRAFT)
    delete_footnote(draft)
    draft.save(folder / "no-notes.docx")
    returns = folder / "to-bare"
    returns.mkdir()
    doc = Docx.open(folder / "no-notes.docx")
    add_footnote(doc, BEFORE, ADDED)
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(folder / "no-notes.docx"), [returns])
    col.save(folder / "bare-c.docx")
    assert _unplaced(col) == []
    (new,) = _notes_at(folder / "bare-c.docx", "all")
    assert new[0].endswith(BEFORE) and ADDED in new[1] and \
        new[2] == (("insertion", "Group 1 (untracked)"),), new
    got = _decided(folder, folder / "bare-c.docx", "Group 1")
    assert _plain(got) == _plain(returns / "Group 1.docx")


def test_two_groups_adding_notes_at_one_place(folder):
    """The same note added by two groups is one insertion credited to both; a different note
    at the same place is written beside it, each group's under its name, and the two are a
    conflict: one of the collation's conflicts (each group's note its version), listed in the
    summary, and a comment by consult over both references (pandoc)."""
    need("pandoc")
    returns = folder / "two"
    returns.mkdir()
    other = "See also the council's SEND local offer pages."
    for group, text in (("Group 1", ADDED), ("Group 3", ADDED), ("Group 4", other)):
        doc = Docx.open(SAMPLE_DRAFT)
        add_footnote(doc, BEFORE, text)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    c = folder / "two-c.docx"
    col.save(c)
    _checked(c)
    assert _unplaced(col) == []
    got = sorted((n[1], n[2]) for n in _notes_at(c, "all") if n[0].endswith(BEFORE))
    assert got == sorted([(ADDED, (("insertion", "Group 1 & Group 3 (untracked)"),)),
                          (other, (("insertion", "Group 4 (untracked)"),))]), got
    for group in ("Group 1", "Group 3", "Group 4"):
        assert _plain(_decided(folder, c, group)) == _plain(returns / f"{group}.docx"), group
    (clash,) = list(col.conflicts)
    assert (clash.id, clash.draft_text) == ("C1", "") and dict(clash.versions) == {
        "Group 1": ADDED, "Group 3": ADDED, "Group 4": other}, clash
    section = clash.section
    assert section == col.draft.section_of(clash.para).id
    (around,) = [(body, notes) for author, body, notes in _commented_notes(c)
                 if author == "consult"]
    assert around[0].startswith("Conflict C1: ") and other in around[0], around
    assert sorted(around[1]) == sorted([ADDED, other]), around      # both references inside
    summary = _plain(c, "all")
    assert (f"C1 (section {section}, new footnotes): Group 1: \u201c{ADDED}\u201d; "
            f"Group 3: \u201c{ADDED}\u201d; Group 4: \u201c{other}\u201d") in summary, summary
    from consult.report import summary_json
    (listed,) = summary_json(col)["conflicts"]
    assert listed["id"] == "C1" and listed.get("new_note") == "footnote", listed
    from consult.report_rows import report_rows
    rows = [r for r in report_rows(col) if r["kind"] == "note-insert"]
    assert {(r["group"], r["conflict"]) for r in rows} == {
        ("Group 1", "C1"), ("Group 3", "C1"), ("Group 4", "C1")}, rows
    from consult.report_html import html_text
    from consult.report_md import markdown_text
    assert "**Conflict C1** between new footnotes: Group 1:" in markdown_text(col)
    assert "groups add different footnotes here" in html_text(col)


def test_different_notes_at_one_place_of_an_edited_paragraph_are_a_conflict(folder):
    """Group 4 replaces a word of the paragraph and adds a paragraph before it, with Track
    Changes on, then adds a note at its end; Group 1 adds another note there. The return's
    reference is found in the text the return's changes are placed in (the draft's, with
    the group's changes rejected), so both notes are at the paragraph's end, in conflict."""
    need("pandoc")
    from edit_docx import track_insert_paragraph_after, track_replace
    from test_notes import DATE
    returns = folder / "edited"
    returns.mkdir()
    doc = Docx.open(SAMPLE_DRAFT)
    add_footnote(doc, BEFORE, ADDED)
    doc.save(returns / "Group 1.docx")
    other = "See also the council's SEND local offer pages."
    doc = Docx.open(SAMPLE_DRAFT)
    track_insert_paragraph_after(doc, "published by Westmoor Council as the local authority.",
                                 "A new paragraph.", "Group 4", DATE)
    track_replace(doc, BEFORE, "brief", "inform", "Group 4", DATE)
    add_footnote(doc, "staff on any change that affects day-to-day practice.", other)
    doc.save(returns / "Group 4.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    c = folder / "edited-c.docx"
    col.save(c)
    _checked(c)
    assert _unplaced(col) == []
    (clash,) = [k for k in col.conflicts if k.new_note]
    assert dict(clash.versions) == {"Group 1": ADDED, "Group 4": other}, clash
    assert clash.start == len(col.draft.paragraphs[clash.para].text), clash
    notes = [(n[1], n[0]) for n in _notes_at(c, "all") if n[1] in (ADDED, other)]
    assert len(notes) == 2 and all(b.endswith("day-to-day practice.") for _, b in notes), notes
    (around,) = [n for a, _, n in _commented_notes(c) if a == "consult" and len(n) == 2]
    assert sorted(around) == sorted([ADDED, other])
    assert _plain(_decided(folder, c, "Group 4")) == _plain(returns / "Group 4.docx")


def _commented_notes(path) -> list[tuple[str, str, list[str]]]:
    """(author, text, the texts of the notes whose references it covers) of each comment in
    the body, read by pandoc (``--track-changes=all``)."""
    found: dict[str, list] = {}
    open_: list[str] = []

    def walk(x):
        if isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, dict) and "t" in x:
            t, c = x["t"], x.get("c")
            if t == "Span" and "comment-start" in c[0][1]:
                attrs = dict(c[0][2])
                got: list = []
                _words(c[1], got)
                found[attrs["id"]] = [attrs.get("author"), norm("".join(got)), []]
                open_.append(attrs["id"])
            elif t == "Span" and "comment-end" in c[0][1]:
                cid = dict(c[0][2])["id"]
                if cid in open_:
                    open_.remove(cid)
            elif t == "Note":
                got = []
                _words(c, got)
                for cid in open_:
                    found[cid][2].append(norm("".join(got)))
            else:
                walk(c)
    walk(pandoc_json(path, "all")["blocks"])
    return [tuple(v) for v in found.values()]


OWN_WORDS = " and its 2024 update"


def test_an_untracked_edit_inside_the_drafts_own_insertion_in_a_note_says_so(folder):
    """The draft's author inserted words in the footnote with Track Changes on; a group
    retypes a word inside them with Track Changes off. consult writes a group's note edits
    only outside the draft's own insertions: the edit is unplaced, and the reason names the
    inserted words and their author; the collated note is the draft's (pandoc)."""
    need("pandoc")
    from edit_docx import track_insert
    from test_notes import DATE, NotesDocx
    draft = NotesDocx.open(SAMPLE_DRAFT)
    track_insert(draft, NOTE, "(January 2015)", OWN_WORDS, "Dana Author", DATE)
    draft.save(folder / "own-draft.docx")
    returns = folder / "in-own"
    returns.mkdir()
    doc = NotesDocx.open(folder / "own-draft.docx")
    (t,) = [t for t in doc.body.iter(w("t")) if t.text == OWN_WORDS]
    t.text = OWN_WORDS.replace("2024", "2025")          # typed over, Track Changes off
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(folder / "own-draft.docx"), [returns])
    col.save(folder / "own-c.docx")
    assert _pandoc_notes(folder / "own-c.docx") == _pandoc_notes(folder / "own-draft.docx")
    got = _unplaced(col)
    assert got and all(g == "Group 1" for g, *_ in got), got
    assert {k for _, k, _, _ in got} <= {"insert", "delete"} and "2025" in "".join(
        t for _, _, t, _ in got), got
    for _, _, _, reason in got:
        assert "own tracked insertion" in reason and "Dana Author" in reason \
            and "\u201cand its 2024 update\u201d" in reason and "footnote 1" in reason, reason


def test_a_footnote_added_with_tracking_on_is_one_tracked_change(folder):
    """Word marks a footnote inserted with Track Changes on as inserted, its reference and its
    text: the collated document has it as one insertion by the group, at its place."""
    need("pandoc")
    returns = folder / "tracked-new"
    returns.mkdir()
    doc = Docx.open(SAMPLE_DRAFT)
    add_footnote(doc, BEFORE, ADDED)
    attrs = {"author": "Group 1", "date": "2026-11-30T10:00:00Z"}
    ref = list(doc.body.iter(w("footnoteReference")))[-1].getparent()
    ins = el("ins", dict(attrs, id="900"))
    ref.addprevious(ins)
    ins.append(ref)
    for k, run in enumerate(list(list(_footnotes(doc))[-1].iter(w("r")))):
        wrap = el("ins", dict(attrs, id=str(901 + k)))
        run.addprevious(wrap)
        wrap.append(run)
    doc.save(returns / "Group 1.docx")
    assert ADDED in " ".join(_pandoc_notes(returns / "Group 1.docx"))
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    c = folder / "tracked-c.docx"
    col.save(c)
    _checked(c)
    assert _unplaced(col) == []
    (new,) = [n for n in _notes_at(c, "all") if ADDED in n[1]]
    assert new[0].endswith(BEFORE) and new[2] == (("insertion", "Group 1"),), new
    assert _plain(_decided(folder, c, "Group 1")) == _plain(returns / "Group 1.docx")
    assert _plain(_decided(folder, c, "Group 1", "reject")) == _plain(SAMPLE_DRAFT)


def test_a_note_of_two_paragraphs_added_and_deleted(folder):
    """A new note of two paragraphs: both inserted, the mark between them too (pandoc reads
    the note's text inserted); accepting gives the return, rejecting the draft."""
    need("pandoc")
    returns = folder / "two-paras"
    returns.mkdir()
    doc = Docx.open(SAMPLE_DRAFT)
    add_footnote(doc, BEFORE, ADDED)
    note = list(_footnotes(doc))[-1]
    second = el("p", None, el("pPr", None, el("pStyle", {"val": "FootnoteText"})),
                text_run("Its second paragraph."))
    note.append(second)
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    c = folder / "two-paras-c.docx"
    col.save(c)
    _checked(c)
    assert _unplaced(col) == []
    (tokens,) = [t for t in note_tokens(c) if ADDED in text_of(t, lambda s: True)]
    stacks = {tok[2] for tok in tokens if tok[0] == "text" and tok[1].strip()}
    assert stacks == {(("ins", "Group 1 (untracked)"),)}, stacks
    assert "Its second paragraph." in text_of(tokens, lambda s: True)
    assert _plain(_decided(folder, c, "Group 1")) == _plain(returns / "Group 1.docx")
    assert _plain(_decided(folder, c, "Group 1", "reject")) == _plain(SAMPLE_DRAFT)

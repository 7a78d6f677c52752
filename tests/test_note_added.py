"""Note edits consult does not write are never lost. A footnote added or deleted with Track
Changes off in a return (its reference in the body and its text): consult does not write new
notes or delete notes in the collated document, so each is listed as unplaced, with the note's
text (as pandoc reads it in the return or the draft) and a reason that says what happened and
where; an untracked edit inside the draft's own insertion in a note likewise. The collated
document's notes stay the draft's."""
from __future__ import annotations

import consult
from conftest import SAMPLE_DRAFT, need
from edit_docx import Docx, el, text_run, w
from test_notes import NOTE, note_tokens, text_of

ADDED = "See also the local offer published by Westmoor Council."
BEFORE = "brief staff on any change that affects day-to-day practice."
REF = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def _footnotes(doc: Docx):
    return doc.xml(doc.related(REF))


def add_footnote(doc: Docx, snippet: str, text: str) -> None:
    """Put the cursor at the end of the paragraph holding ``snippet`` and insert a footnote
    reading ``text``, Track Changes off."""
    notes = _footnotes(doc)
    new_id = str(max(int(n.get(w("id"))) for n in notes) + 1)
    ref_run = el("r", None, el("rPr", None, el("rStyle", {"val": "FootnoteReference"})),
                 el("footnoteReference", {"id": new_id}))
    p = next(p for p in doc.body.iter(w("p"))
             if snippet in "".join(t.text or "" for t in p.iter(w("t"))))
    p.append(ref_run)
    body = text_run(" " + text)
    notes.append(el("footnote", {"id": new_id}, el(
        "p", None, el("pPr", None, el("pStyle", {"val": "FootnoteText"})),
        el("r", None, el("rPr", None, el("rStyle", {"val": "FootnoteReference"})),
           el("footnoteRef")), body)))


def delete_footnote(doc: Docx, note_id: str = "1") -> None:
    """Select the footnote's reference mark and press Delete, Track Changes off (Word removes
    the note with it)."""
    for ref in list(doc.body.iter(w("footnoteReference"))):
        if ref.get(w("id")) == note_id:
            run = ref.getparent()
            run.getparent().remove(run)
    notes = _footnotes(doc)
    for n in list(notes):
        if n.get(w("id")) == note_id:
            notes.remove(n)


def _pandoc_notes(path) -> list[str]:
    return [text_of(n, lambda s: True) for n in note_tokens(path)]


def _unplaced(col) -> list[tuple[str, str, str, str]]:
    return [(g, u.item.kind, " ".join(u.item.text.split()), u.reason)
            for g, u in col.unplaced]


def test_a_footnote_added_or_deleted_without_tracking_is_unplaced_with_its_text(folder):
    need("pandoc")
    returns = folder / "returns"
    returns.mkdir()
    doc = Docx.open(SAMPLE_DRAFT)
    add_footnote(doc, BEFORE, ADDED)
    doc.save(returns / "Group 1.docx")
    doc = Docx.open(SAMPLE_DRAFT)
    delete_footnote(doc)
    doc.save(returns / "Group 2.docx")
    draft_notes = _pandoc_notes(SAMPLE_DRAFT)
    g1_notes = _pandoc_notes(returns / "Group 1.docx")
    assert _pandoc_notes(returns / "Group 2.docx") == [] and len(draft_notes) == 1
    (added,) = [n for n in g1_notes if n not in draft_notes]       # pandoc: the edits are there
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    col.save(folder / "c.docx")
    assert _pandoc_notes(folder / "c.docx") == draft_notes         # nothing invented
    got = _unplaced(col)
    g1 = [u for u in got if u[0] == "Group 1"]
    g2 = [u for u in got if u[0] == "Group 2"]
    assert len(g1) == 1 and g1[0][1] == "insert" and g1[0][2] == " ".join(added.split()), got
    assert "footnote" in g1[0][3] and "without Track Changes" in g1[0][3] \
        and "day-to-day practice." in g1[0][3], g1
    assert len(g2) == 1 and g2[0][1] == "delete" and g2[0][2] == " ".join(
        draft_notes[0].split()), got
    assert "footnote 1" in g2[0][3] and "without Track Changes" in g2[0][3] \
        and "SEND Code of Practice." in g2[0][3], g2
    assert NOTE in g2[0][2]
    # the tally counts them (the summary's "unplaced")
    assert {t.group: t.unplaced for t in col.tallies} == {"Group 1": 1, "Group 2": 1}


def test_a_footnote_added_to_a_draft_without_notes_is_unplaced(folder):
    """The draft has no notes at all (its footnote deleted): the return's new one is still
    found."""
    need("pandoc")
    draft = Docx.open(SAMPLE_DRAFT)
    delete_footnote(draft)
    draft.save(folder / "no-notes.docx")
    returns = folder / "to-bare"
    returns.mkdir()
    doc = Docx.open(folder / "no-notes.docx")
    add_footnote(doc, BEFORE, ADDED)
    doc.save(returns / "Group 1.docx")
    (added,) = _pandoc_notes(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(folder / "no-notes.docx"), [returns])
    got = _unplaced(col)
    assert [(g, k, t) for g, k, t, _ in got] == [("Group 1", "insert", " ".join(added.split()))]


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

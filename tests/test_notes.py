"""Comments and tracked changes that groups make in a footnote reach the collated document's
footnote: each group's change under its name (an agreement once, under both), each comment on
the same words as in the return. Read back by pandoc (its Note inlines), not by consult."""
from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

import consult
from consult.accept import accept
from conftest import SAMPLE_DRAFT, VALIDATOR, corpus_file, need
from edit_docx import Docx, add_comment, el, track_delete, track_insert, w
from pandoc_marks import _blocks, accept_all, covered, group_view, norm
from pandoc_reader import pandoc_json

DATE = "2026-11-30T10:00:00Z"
NOTE = "Department for Education and Department of Health"       # the sample's footnote
GROUPS = {"Group 1", "Group 2"}
BODY_SNIPPET = "This policy sets out"
OWN = "Say which amendments."


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


class NotesDocx(Docx):
    """A return edited in its footnotes (``story``): edit_docx's helpers find paragraphs in
    ``body``."""

    story = "footnotes"

    @property
    def body(self):
        return self.xml(self.related(REL + self.story))

    def next_id(self, tags, parts=()):
        return super().next_id(tags, tuple(parts) + (self.related(REL + self.story),))


class EndnotesDocx(NotesDocx):
    story = "endnotes"


def as_endnotes(source, target):
    """The draft with its footnotes made endnotes (part, relationship, content type,
    references and settings)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename in ("[Content_Types].xml", "word/_rels/document.xml.rels",
                                 "word/document.xml", "word/settings.xml",
                                 "word/footnotes.xml"):
                data = data.replace(b"footnote", b"endnote")
            out.writestr(info.filename.replace("footnotes", "endnotes"), data)
    return target


def note_tokens(path) -> list[list[tuple]]:
    """Each footnote's tokens (text with its insertion/deletion stack, comment marks)."""
    notes: list[list[tuple]] = []

    def walk(x):
        if isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, dict):
            if x.get("t") == "Note":
                tokens: list[tuple] = []
                _blocks(_unnest_ends(x["c"]), (), tokens)
                notes.append(tokens)
                return
            for v in x.values():
                walk(v)
    walk(pandoc_json(path, styles=False)["blocks"])
    return notes


def _unnest_ends(x):
    """Pandoc nests the comment-ends of comments ending at one place (each in the one before);
    pandoc_marks reads only the outer one: bring them side by side."""
    if isinstance(x, list):
        out = []
        for v in x:
            if isinstance(v, dict) and v.get("t") == "Span" and "comment-end" in v["c"][0][1]:
                out.append({"t": "Span", "c": [v["c"][0], []]})
                out.extend(_unnest_ends(v["c"][1]))
            else:
                out.append(_unnest_ends(v))
        return out
    if isinstance(x, dict):
        return {k: _unnest_ends(v) for k, v in x.items()}
    return x


def text_of(tokens, keep) -> str:
    """The text ``keep`` selects (pandoc moves a space that starts an insertion out of it:
    spaces before punctuation are dropped)."""
    text = norm("".join(t[1] for t in tokens if t[0] == "text" and keep(t[2])))
    return re.sub(r" ([.,;:)])", r"\1", text)


def changes_of(tokens) -> list[tuple[str, str, str]]:
    """(kind, author, text) of each run of tracked text, adjacent pieces joined."""
    out: list[list] = []
    for t in tokens:
        if t[0] != "text" or not t[2]:
            continue
        kind, author = t[2][-1]
        if out and out[-1][0] == kind and out[-1][1] == author and out[-1][3] == len(out):
            out[-1][2] += t[1]
        else:
            out.append([kind, author, t[1], len(out) + 1])
    return [(k, a, s.strip()) for k, a, s, _ in out]


def comment_on_insertion(doc, snippet: str, before: str, body: str, group: str) -> None:
    """A comment on the whole insertion that follows ``before`` (Word puts the range marks
    around the w:ins): made on ``before``, its marks then moved."""
    cid = add_comment(doc, snippet, body, group, "G", DATE, words=before)
    start = doc.body.find(f".//{w('commentRangeStart')}[@{w('id')}='{cid}']")
    end = doc.body.find(f".//{w('commentRangeEnd')}[@{w('id')}='{cid}']")
    ref = end.getnext()
    ins = ref.getnext()
    assert ins.tag == w("ins"), "the insertion follows the words"
    ins.addprevious(start)
    ins.addnext(end)
    end.addnext(ref)


def write_returns(folder, draft_path, note: str, kind=NotesDocx) -> dict:
    """Two groups' returns: both delete the same words (an agreement), each inserts its own
    words and comments on different words of the footnote."""
    plan = {
        "Group 1": {"insert": ("Department for", " the", ""),
                    "delete": "and to any later revision of it",
                    "comment": ("Department of Health", "Which department now?")},
        "Group 2": {"insert": ("0 to 25 years", " (as amended)", ""),
                    "delete": "and to any later revision of it",
                    "comment": ("January 2015", "Is there a newer edition?")},
    }
    paths = {}
    for group, p in plan.items():
        doc = kind.open(draft_path)
        words, body = p["comment"]
        add_comment(doc, note, body, group, "G", DATE, words=words)
        track_delete(doc, note, p["delete"], group, DATE)
        after, text, _ = p["insert"]
        track_insert(doc, note, after, text, group, DATE)
        if group == "Group 2":          # a comment on its own inserted words
            comment_on_insertion(doc, note, "25 years", OWN, group)
        body = Docx(doc.parts)          # and a comment in the body, beside the note's
        body._xml = doc._xml
        add_comment(body, BODY_SNIPPET, f"{group} on the body", group, "G", DATE,
                    words="policy")
        paths[group] = doc.save(folder / f"{group}.docx")
    return plan


@pytest.mark.parametrize("story", ["footnotes", "endnotes"])
def test_note_annotations_reach_the_collated_note(folder, story):
    need("pandoc")
    source = SAMPLE_DRAFT if story == "footnotes" else as_endnotes(SAMPLE_DRAFT,
                                                                   folder / "endnotes.docx")
    draft = consult.load_draft(source)
    returns = folder / f"returns-{story}"
    returns.mkdir()
    plan = write_returns(returns, source, NOTE, NotesDocx if story == "footnotes"
                         else EndnotesDocx)
    col = consult.collate(draft, [returns])
    out = folder / f"collated-{story}.docx"
    col.save(out)
    notes = [n for n in note_tokens(out) if "Special educational needs" in text_of(n, accept_all)]
    assert len(notes) == 1, "the footnote is in the collated document once"
    tokens = notes[0]
    # the agreement once, under both groups; each group's own insertion under its name
    assert sorted(changes_of(tokens)) == [
        ("del", "Group 1 & Group 2", "and to any later revision of it"),
        ("ins", "Group 1", "the"), ("ins", "Group 2", "(as amended)")]
    # each group's view of the footnote is its return's footnote with its changes accepted
    for group in GROUPS:
        ret_notes = note_tokens(returns / f"{group}.docx")
        assert len(ret_notes) == 1
        want = text_of(ret_notes[0], accept_all)
        assert text_of(tokens, group_view(group, GROUPS)) == want, group
    # each comment covers the same words as in the return, in its group's view (one comment
    # is on words of the group's own insertion)
    for group, p in plan.items():
        (ret_tokens,) = note_tokens(returns / f"{group}.docx")
        want = {v["body"]: v["text"] for v in covered(ret_tokens, accept_all).values()}
        got = {v["body"]: (v["author"], v["text"])
               for v in covered(tokens, group_view(group, GROUPS)).values()
               if v["author"] == group}
        assert got == {body: (group, text) for body, text in want.items()}, (group, got, want)
        words, body = p["comment"]
        assert want[body] == words
    assert want[OWN] == "(as amended)"
    # nothing of the notes left unplaced, nothing lost
    assert not [u for _, u in col.unplaced if u.item.story == story], col.unplaced
    # comment ids: one comment each, every reference (body and notes) to one of them
    with zipfile.ZipFile(out) as z:
        ids = re.findall(rb'<w:comment [^>]*w:id="(\d+)"', z.read("word/comments.xml"))
        refs = [r for part in ("word/document.xml", f"word/{story}.xml")
                for r in re.findall(rb'<w:commentReference w:id="(\d+)"', z.read(part))]
    assert len(ids) == len(set(ids)) == 5 and sorted(refs) == sorted(ids), (ids, refs)
    # accepting a group's changes gives its footnote (nextdraft resolves the notes too)
    for group in GROUPS:
        accepted = folder / f"accept-{story}-{group}.docx"
        accept(out, accepted, groups=[group])
        (got,) = [text_of(n, accept_all) for n in note_tokens(accepted)]
        (want,) = [text_of(n, accept_all) for n in note_tokens(returns / f"{group}.docx")]
        assert got == want, group
    assert_valid(out)
    # LibreOffice 7.4 refuses any .docx with a comment reference in its footnotes: the
    # groups' own returns as well; the collated document opens wherever the returns open
    if shutil.which("soffice"):
        assert converts(out, folder / "lo") == converts(returns / "Group 1.docx", folder / "lo")


def assert_valid(out) -> None:
    if VALIDATOR.is_file():
        run = subprocess.run([sys.executable, str(VALIDATOR), str(out)], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def converts(path, folder) -> str | None:
    """The text of LibreOffice's PDF of ``path``, or None when it cannot load it."""
    folder.mkdir(exist_ok=True)
    subprocess.run([shutil.which("soffice"), "--headless",
                    f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder), str(path)], capture_output=True, timeout=180)
    pdf = folder / (path.stem + ".pdf")
    if not pdf.is_file():
        return None
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                          text=True).stdout


MARS = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Mars.docx"
MARS_NOTE = "Only Mercury is smaller"


def test_real_draft_footnote_with_a_libreoffice_resave(folder):
    """A real third-party draft's footnote: Group 1 (as Word writes it) and Group 2 (re-saved
    by LibreOffice, which renumbers the notes) each change it; LibreOffice and pandoc both
    show each change under its group."""
    need("pandoc")
    soffice = need("soffice")
    source = corpus_file(MARS)
    draft = consult.load_draft(source)
    returns, raw = folder / "mars", folder / "mars-raw"
    returns.mkdir()
    raw.mkdir()
    doc = NotesDocx.open(source)
    track_insert(doc, MARS_NOTE, "smaller", " than Mars", "Group 1", DATE)
    track_delete(doc, MARS_NOTE, "Only ", "Group 1", DATE)
    doc.save(returns / "Group 1.docx")
    doc = NotesDocx.open(source)
    track_insert(doc, MARS_NOTE, "Mercury", " alone", "Group 2", DATE)
    doc.save(raw / "Group 2.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-save",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(returns),
                    str(raw / "Group 2.docx")], capture_output=True, timeout=300)
    assert (returns / "Group 2.docx").is_file()
    col = consult.collate(draft, [returns])
    out = folder / "mars-collated.docx"
    col.save(out)
    assert not [u for _, u in col.unplaced if u.item.story == "footnotes"], col.unplaced
    notes = [n for n in note_tokens(out) if "Mercury" in text_of(n, lambda s: True)]
    assert len(notes) == 1
    assert sorted(changes_of(notes[0])) == [("del", "Group 1", "Only"),
                                            ("ins", "Group 1", "than Mars"),
                                            ("ins", "Group 2", "alone")]
    for group in GROUPS:
        want = [text_of(n, accept_all) for n in note_tokens(returns / f"{group}.docx")]
        assert text_of(notes[0], group_view(group, GROUPS)) in want, group
    assert_valid(out)
    pdf = converts(out, folder / "lo")
    assert pdf is not None, "LibreOffice cannot open the collated document"
    assert "Mercury alone" in " ".join(pdf.split()) and "than Mars" in pdf


def test_a_new_paragraph_typed_in_a_note_is_an_inserted_paragraph(folder):
    """Enter at the end of the footnote and a new paragraph typed, Track Changes on (the last
    paragraph's mark inserted): the collated footnote has the paragraph, inserted under the
    group (pandoc: two paragraphs accepted, the draft's one rejected); nothing unplaced."""
    need("pandoc")
    from test_note_edits import note_paragraphs
    draft = consult.load_draft(SAMPLE_DRAFT)
    returns = folder / "odd"
    returns.mkdir()
    doc = NotesDocx.open(SAMPLE_DRAFT)
    track_insert(doc, NOTE, "Department for", " the", "Group 1", DATE)
    note = doc.body.findall(".//" + w("p"))[-1]
    extra = el("p", None, copy.deepcopy(note.find(w("pPr"))),
               el("ins", {"id": "901", "author": "Group 1", "date": DATE},
                  el("r", None, el("t", None))))
    extra.find(".//" + w("t")).text = "A new paragraph."
    rpr = el("rPr", None, el("ins", {"id": "900", "author": "Group 1", "date": DATE}))
    note.find(w("pPr")).append(rpr)
    note.addnext(extra)
    doc.save(returns / "Group 1.docx")
    col = consult.collate(draft, [returns])
    out = folder / "odd.docx"
    col.save(out)
    assert not col.unplaced, col.unplaced
    (ret,) = col.returns
    assert [p.item.text for p in ret.notes] == [" the", "\n", "A new paragraph."]
    want = note_paragraphs(returns / "Group 1.docx", "accept")
    assert len(want[0]) == 2 and note_paragraphs(out, "accept") == want
    assert note_paragraphs(out, "reject") == note_paragraphs(SAMPLE_DRAFT, "accept")
    (tokens,) = note_tokens(out)
    assert {a for _, a, _ in changes_of(tokens)} == {"Group 1"}
    assert_valid(out)


LATER = "Special educational needs"


def test_draft_own_note_marks_stay_the_drafts_and_replies_stay_threaded(folder):
    """A draft whose footnote carries its author's deletion and comment: every return holds
    them, and the collated footnote shows them once, under the author, never under a group;
    a group's reply to its own comment in the footnote is a reply in the collated document."""
    need("pandoc")
    made = NotesDocx.open(SAMPLE_DRAFT)
    track_delete(made, NOTE, "Department of Health", "Drafter", DATE)
    add_comment(made, LATER, "Check the title.", "Drafter", "D", DATE, words="code of practice")
    effects = made.xml("word/stylesWithEffects.xml")        # edit_docx adds its styles to
    have = {e.get(w("styleId")) for e in effects.iter(w("style"))}     # styles.xml only
    for style in made.xml("word/styles.xml").iter(w("style")):
        if style.get(w("styleId")) not in have:
            effects.append(copy.deepcopy(style))
    source = made.save(folder / "own-draft.docx")
    draft = consult.load_draft(source)
    returns = folder / "own"
    returns.mkdir()
    for group in sorted(GROUPS):
        doc = NotesDocx.open(source)
        cid = add_comment(doc, LATER, f"{group}: which year?", group, "G", DATE,
                          words="January 2015")
        add_comment(doc, None, f"{group}: or the 2024 draft", group, "G", DATE, reply_to=cid)
        track_insert(doc, LATER, "25 years", " (as amended)", group, DATE)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(draft, [returns])
    out = folder / "own-collated.docx"
    col.save(out)
    # each return's copy of the draft's own marks is recognised when the return is read (the
    # reader knows the draft's own changes and comments by their keys) and said so, never
    # placed or listed as a group's
    said = [str(m) for m in col.messages if "they are the draft's, not the group's" in m.text]
    assert sorted(m.split(":")[0].rsplit("/", 1)[-1] for m in said) == sorted(
        f"{g}.docx" for g in GROUPS), said
    assert all("the draft's own tracked changes" in m and "1 of the draft's own comments" in m
               for m in said), said
    credited = [(r.group, item.author) for r in col.returns
                for item in [p.item for p in r.placed] + [p.item for p in r.notes]
                + [u.item for u in r.unplaced] if item.author == "Drafter"]
    assert credited == [], credited
    (tokens,) = [n for n in note_tokens(out) if "Special educational" in text_of(n, accept_all)]
    assert sorted(changes_of(tokens)) == [("del", "Drafter", "Department of Health"),
                                          ("ins", "Group 1 & Group 2", "(as amended)")]
    found = covered(tokens, lambda s: all(k == "del" for k, _ in s))
    got = sorted((v["author"], v["body"], v["text"]) for v in found.values())
    assert got == sorted([("Drafter", "Check the title.", "code of practice")] + [
        (g, f"{g}: {body}", "January 2015") for g in GROUPS
        for body in ("which year?", "or the 2024 draft")]), got
    # the replies hang under their group's comment (commentsExtended, read as XML)
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml").decode()
        extended = z.read("word/commentsExtended.xml").decode()
    para_of = dict(re.findall(r'<w:comment [^>]*w:id="(\d+)".*?w14:paraId="([0-9A-F]+)"',
                              comments))
    text_of_id = dict(re.findall(r'<w:comment [^>]*w:id="(\d+)"[^>]*>.*?<w:t[^>]*>([^<]*)',
                                 comments))
    parent = dict(re.findall(r'w15:paraId="([0-9A-F]+)"[^>]*w15:paraIdParent="([0-9A-F]+)"',
                             extended))
    by_para = {p: text_of_id[c] for c, p in para_of.items()}
    replies = {by_para[c]: by_para[p] for c, p in parent.items()}
    assert replies == {f"{g}: or the 2024 draft": f"{g}: which year?" for g in GROUPS}
    assert_valid(out)


SECOND = "A second note, on the Local Offer"


def two_note_draft(folder):
    """The sample with a second footnote, referred to from a later paragraph."""
    doc = NotesDocx.open(SAMPLE_DRAFT)
    first = doc.body.find(f"{w('footnote')}[@{w('id')}='1']")
    second = copy.deepcopy(first)
    second.set(w("id"), "2")
    texts = second.findall(".//" + w("t"))
    texts[0].text = " " + SECOND + "."
    doc.body.append(second)
    main = doc.xml(doc.main).find(w("body"))
    later = [p for p in main.iter(w("p")) if "".join(t.text or "" for t in p.iter(w("t")))][-3]
    later.append(el("r", None, el("rPr", None, el("rStyle", {"val": "FootnoteReference"})),
                    el("footnoteReference", {"id": "2"})))
    return doc.save(folder / "two-notes.docx")


def test_notes_match_by_reference_order_and_text_not_by_id(folder):
    """A return whose notes are renumbered (ids swapped, as a re-save may do): the group's
    marks land on the draft's note with the same text at the same reference, not on the
    note that happens to have the id."""
    need("pandoc")
    source = two_note_draft(folder)
    draft = consult.load_draft(source)
    returns = folder / "swapped"
    returns.mkdir()
    doc = NotesDocx.open(source)
    add_comment(doc, SECOND, "Link to the Offer.", "Group 1", "G", DATE, words="Local Offer")
    track_insert(doc, SECOND, "second", " short", "Group 1", DATE)
    for part, tag in ((doc.body, "footnote"), (doc.xml(doc.main), "footnoteReference")):
        for node in part.iter(w(tag)):
            node.set(w("id"), {"1": "2", "2": "1"}.get(node.get(w("id")), node.get(w("id"))))
    doc.save(returns / "Group 1.docx")
    col = consult.collate(draft, [returns])
    out = folder / "swapped-collated.docx"
    col.save(out)
    assert not [u for _, u in col.unplaced if u.item.story == "footnotes"], col.unplaced
    notes = note_tokens(out)
    assert len(notes) == 2
    first, second = sorted(notes, key=lambda n: SECOND in text_of(n, accept_all))
    assert changes_of(first) == [] and not [t for t in first if t[0] == "start"]
    assert changes_of(second) == [("ins", "Group 1", "short")]
    found = covered(second, lambda s: all(k == "del" for k, _ in s))
    assert [(v["author"], v["body"], v["text"]) for v in found.values()] == [
        ("Group 1", "Link to the Offer.", "Local Offer")]
    assert_valid(out)


def test_a_conflict_in_a_footnote_shows_each_change_and_a_note(folder):
    """Two groups delete overlapping, different words of a footnote: each group's deletion is
    shown under its name, and consult's conflict comment covers the text in dispute."""
    need("pandoc")
    draft = consult.load_draft(SAMPLE_DRAFT)
    returns = folder / "conflict"
    returns.mkdir()
    for group, words in (("Group 1", "and to any later revision of it"),
                         ("Group 2", "this document and to any")):
        doc = NotesDocx.open(SAMPLE_DRAFT)
        track_delete(doc, NOTE, words, group, DATE)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(draft, [returns])
    out = folder / "conflict-collated.docx"
    col.save(out)
    (tokens,) = [n for n in note_tokens(out) if "Special educational" in text_of(n, accept_all)]
    assert sorted(changes_of(tokens)) == [("del", "Group 1", "later revision of it"),
                                          ("del", "Group 1 & Group 2", "and to any"),
                                          ("del", "Group 2", "this document")]
    for group in GROUPS:
        (want,) = [text_of(n, accept_all) for n in note_tokens(returns / f"{group}.docx")]
        assert text_of(tokens, group_view(group, GROUPS)) == want, group
    found = covered(tokens, lambda s: all(k == "del" for k, _ in s))
    (conflict,) = [v for v in found.values() if v["author"] == "consult"]
    assert conflict["text"] == "this document and to any later revision of it"
    assert "Group 2: \u201clater revision of it\u201d" in conflict["body"]
    # it is one of the collation's conflicts, in section 1.3 (the reference's), named in the
    # comment and listed in the summary (read by pandoc)
    (c,) = list(col.conflicts)
    assert (c.section, c.note, c.draft_text) == ("1.3", "footnotes:0", conflict["text"])
    assert conflict["body"].startswith(f"Conflict {c.id}: ")
    text = subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(out)],
                          capture_output=True, text=True, check=True).stdout
    assert f"{c.id} (section 1.3, footnote 1): Group 1: \u201cthis document\u201d" in text
    assert_valid(out)

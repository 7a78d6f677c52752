"""Comments and changes groups make in a footnote are rows of the reports, filed under the
paragraph holding the note's reference ("… footnote 1"), and decisions on those rows decide
the note's tracked changes: the next draft's footnote read back by pandoc."""
from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser

import consult
from consult.accept import accept
from consult.report import write_reports
from conftest import SAMPLE_DRAFT, need
from edit_docx import Docx, track_delete, track_insert
from test_notes import NOTE, NotesDocx, accept_all, note_tokens, text_of, write_returns

DELETED = "and to any later revision of it"


def _collated(folder):
    returns = folder / "returns"
    returns.mkdir()
    write_returns(returns, SAMPLE_DRAFT, NOTE, NotesDocx)
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    col.save(folder / "c.docx")
    write_reports(col, folder / "rep")
    return col


def test_note_annotations_are_report_rows_and_decide_the_note(folder):
    need("pandoc")
    _collated(folder)
    rows = list(csv.DictReader(io.StringIO(
        (folder / "rep" / "report.csv").read_text(encoding="utf-8-sig"))))
    in_note = [r for r in rows if r["paragraph"].endswith("footnote 1")]
    got = sorted((r["group"], r["kind"], r["text"].strip()) for r in in_note)
    assert got == sorted([
        ("Group 1", "comment", "Which department now?"), ("Group 1", "delete", DELETED),
        ("Group 1", "insert", "the"),
        ("Group 2", "comment", "Is there a newer edition?"), ("Group 2", "delete", DELETED),
        ("Group 2", "insert", "(as amended)"), ("Group 2", "comment", "Say which amendments.")])
    assert all(r["status"] == "placed" and r["section"] for r in in_note)
    assert not [r for r in rows if r["status"] != "placed"]
    md = (folder / "rep" / "report.md").read_text(encoding="utf-8")
    assert "Which department now?" in md and "(as amended)" in md
    page = (folder / "rep" / "report.html").read_text(encoding="utf-8")
    data = json.loads(page.split('id="consult-data">', 1)[1].split("</script>", 1)[0])
    got = sorted((p["label"], p["groups"]) for p in data["proposals"].values()
                 if p["where"].endswith("footnote 1"))
    assert got == sorted([(f"in footnote 1: delete \u201c{DELETED}\u201d", ["Group 1", "Group 2"]),
                          ("in footnote 1: insert \u201c(as amended)\u201d", ["Group 2"]),
                          ("in footnote 1: insert \u201cthe\u201d", ["Group 1"])]), got
    threads = page.split('class="threads"')
    assert len(threads) > 1 and "Which department now?" in "".join(threads[1:]) \
        and "Say which amendments." in "".join(threads[1:])
    # decide: Group 1's insertion in, Group 2's out, the shared deletion rejected by both
    say = {("Group 1", "insert"): "accept", ("Group 2", "insert"): "reject",
           ("Group 1", "delete"): "reject", ("Group 2", "delete"): "reject"}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    for r in rows:
        writer.writerow(dict(r, decision=say.get((r["group"], r["kind"]), "")
                             if r in in_note else ""))
    (folder / "d.csv").write_text(out.getvalue(), encoding="utf-8")
    done = accept(folder / "c.docx", folder / "next.docx", decisions=folder / "d.csv")
    assert done.left == 0
    (note,) = [text_of(n, accept_all) for n in note_tokens(folder / "next.docx")]
    assert "Department for the" in note and DELETED in note and "(as amended)" not in note
    (draft_note,) = [text_of(n, accept_all) for n in note_tokens(SAMPLE_DRAFT)]
    assert note == draft_note.replace("Department for", "Department for the"), note


def test_accept_all_and_reject_all_resolve_the_notes(folder):
    need("pandoc")
    if not (folder / "c.docx").exists():
        _collated(folder)
    from consult.accept import reject
    (draft_note,) = [text_of(n, accept_all) for n in note_tokens(SAMPLE_DRAFT)]
    accept(folder / "c.docx", folder / "all.docx", mode="all")
    (note,) = [text_of(n, accept_all) for n in note_tokens(folder / "all.docx")]
    assert DELETED not in note and "Department for the" in note and "(as amended)" in note
    reject(folder / "c.docx", folder / "none.docx")
    (note,) = [text_of(n, accept_all) for n in note_tokens(folder / "none.docx")]
    assert note == draft_note


def test_a_note_row_decides_the_note_change_not_the_same_words_in_the_body(folder):
    """Group 1 inserts " the" in the body and in the footnote: the rows' paragraphs tell
    them apart (accepted in the body, rejected in the note)."""
    need("pandoc")
    from edit_docx import Docx, track_insert
    from test_notes import BODY_SNIPPET, DATE
    returns = folder / "same-words"
    returns.mkdir()
    doc = NotesDocx.open(SAMPLE_DRAFT)
    track_insert(doc, NOTE, "Department for", " the", "Group 1", DATE)
    body = Docx(doc.parts)
    body._xml = doc._xml
    track_insert(body, BODY_SNIPPET, "policy", " the", "Group 1", DATE)
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    col.save(folder / "s.docx")
    write_reports(col, folder / "srep")
    rows = list(csv.DictReader(io.StringIO(
        (folder / "srep" / "report.csv").read_text(encoding="utf-8-sig"))))
    ins = [r for r in rows if r["kind"] == "insert"]
    assert len(ins) == 2, ins
    for r in rows:
        r["decision"] = ("reject" if r["paragraph"].endswith("footnote 1") else "accept") \
            if r["kind"] == "insert" else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    (folder / "s.csv").write_text(out.getvalue(), encoding="utf-8")
    done = accept(folder / "s.docx", folder / "s-next.docx", decisions=folder / "s.csv")
    assert (done.accepted, done.rejected, done.left) == (1, 1, 0)
    (note,) = [text_of(n, accept_all) for n in note_tokens(folder / "s-next.docx")]
    (draft_note,) = [text_of(n, accept_all) for n in note_tokens(SAMPLE_DRAFT)]
    assert note == draft_note
    import subprocess
    text = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", str(folder / "s-next.docx")],
                          capture_output=True, text=True, check=True).stdout
    assert "This policy the sets out" in " ".join(text.split())


class _Ids(HTMLParser):
    """Every element id of a page, each proposal's (data-p, label) and the page's data, read
    by the standard library's HTML parser (not consult's templates)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.props: list[tuple[str, str]] = []
        self.data = ""
        self._in: list[str] = []            # "label" inside a proposal's label, "data"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "li" and "prop" in (a.get("class") or "").split():
            self.props.append((a.get("data-p", ""), ""))
        if tag == "span" and a.get("class") == "what" and self.props:
            self._in.append("label")
        elif tag == "script" and a.get("id") == "consult-data":
            self._in.append("data")
        elif self._in:
            self._in.append("")

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, text):
        if self._in and self._in[-1] == "label":
            pid, label = self.props[-1]
            self.props[-1] = (pid, label + text)
        elif self._in and self._in[-1] == "data":
            self.data += text


MOVED = "published on the school website"


def test_note_and_body_proposals_have_ids_of_their_own_and_a_note_decision_decides_the_note(
        folder):
    """A body move (two changes, one proposal) before the note's reference and two more body
    changes after it: the note's proposal used to take the id of the body's last one ("P4"
    twice), so deciding the note decided that body change. Every id on the page is unique
    and accepting only the note's proposal (the page's export, as page.js writes it) changes
    only the note."""
    need("pandoc")
    from edit_docx import track_replace
    from test_notes import DATE
    returns = folder / "moved"
    returns.mkdir()
    doc = NotesDocx.open(SAMPLE_DRAFT)
    track_insert(doc, NOTE, "Department for", " the", "Group 1", DATE)
    body = Docx(doc.parts)
    body._xml = doc._xml
    track_delete(body, "The policy should be read alongside", MOVED, "Group 1", DATE)
    track_insert(body, "This is a draft for consultation", "This is a draft for consultation",
                 " " + MOVED, "Group 1", DATE)
    track_replace(body, "Other guidance that shapes", "Teachers' Standards",
                  "Teachers' Standards 2011", "Group 1", DATE)
    track_replace(body, "Where the law or statutory", "brief staff", "brief all staff",
                  "Group 1", DATE)
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    col.save(folder / "m.docx")
    write_reports(col, folder / "mrep")
    page = _Ids()
    page.feed((folder / "mrep" / "report.html").read_text(encoding="utf-8"))
    dup = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert not dup, dup
    pids = [pid for pid, _ in page.props]
    assert len(pids) == len(set(pids)) == 4, page.props
    data = json.loads(page.data)["proposals"]
    assert sorted(data) == sorted(pids)
    for pid, label in page.props:
        assert data[pid]["label"] == " ".join(label.split()), (pid, label, data[pid])
    (note_pid,) = [pid for pid, label in page.props if "footnote 1" in label]
    assert data[note_pid]["rows"] and all(
        r["paragraph"].endswith("footnote 1") for r in data[note_pid]["rows"])
    # the export: every proposal's rows with its decision (only the note's accepted)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=json.loads(page.data)["columns"])
    writer.writeheader()
    for pid in sorted(data, key=lambda p: int(p[1:])):
        for row in data[pid]["rows"]:
            writer.writerow(dict(row, decision="accept" if pid == note_pid else "reject"))
    (folder / "m.csv").write_text(out.getvalue(), encoding="utf-8")
    done = accept(folder / "m.docx", folder / "m-next.docx", decisions=folder / "m.csv")
    assert done.left == 0
    (note,) = [text_of(n, accept_all) for n in note_tokens(folder / "m-next.docx")]
    (draft_note,) = [text_of(n, accept_all) for n in note_tokens(SAMPLE_DRAFT)]
    assert note == draft_note.replace("Department for", "Department for the"), note
    import subprocess
    text = " ".join(subprocess.run(["pandoc", "-f", "docx", "-t", "plain",
                                    str(folder / "m-next.docx")], capture_output=True,
                                   text=True, check=True).stdout.split())
    assert f"which is {MOVED} and updated" in text and "brief staff on" in text \
        and "Teachers' Standards, which" in text, text


def test_every_element_id_on_the_sample_page_is_unique(folder):
    """A conflict's proposals are listed in its card and on their paragraph: the element id
    (the proposal's) only once."""
    from conftest import SAMPLES
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [SAMPLES / "returns"])
    write_reports(col, folder / "sample-rep")
    page = _Ids()
    page.feed((folder / "sample-rep" / "report.html").read_text(encoding="utf-8"))
    dup = sorted({i for i in page.ids if page.ids.count(i) > 1})
    assert not dup, dup
    assert col.conflicts and set(json.loads(page.data)["proposals"]) == {
        pid for pid, _ in page.props} and all(pid in page.ids for pid, _ in page.props)

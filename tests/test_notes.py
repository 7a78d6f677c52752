"""Comments and tracked changes that groups make in a footnote reach the collated document's
footnote: each group's change under its name (an agreement once, under both), each comment on
the same words as in the return. Read back by pandoc (its Note inlines), not by consult."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import consult
from conftest import SAMPLE_DRAFT, VALIDATOR, need
from edit_docx import Docx, add_comment, track_delete, track_insert
from pandoc_marks import _blocks, accept_all, covered, group_view, norm

DATE = "2026-11-30T10:00:00Z"
NOTE = "Department for Education and Department of Health"       # the sample's footnote
GROUPS = {"Group 1", "Group 2"}


class NotesDocx(Docx):
    """A return edited in its footnotes: edit_docx's helpers find paragraphs in ``body``."""

    @property
    def body(self):
        return self.xml(self.related(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"))

    def next_id(self, tags, parts=()):
        note = self.related(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes")
        return super().next_id(tags, tuple(parts) + (note,))


def note_tokens(path) -> list[list[tuple]]:
    """Each footnote's tokens (text with its insertion/deletion stack, comment marks)."""
    out = subprocess.run(["pandoc", "-f", "docx", "-t", "json", "--track-changes=all",
                          str(path)], capture_output=True, check=True).stdout
    notes: list[list[tuple]] = []

    def walk(x):
        if isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, dict):
            if x.get("t") == "Note":
                tokens: list[tuple] = []
                _blocks(x["c"], (), tokens)
                notes.append(tokens)
                return
            for v in x.values():
                walk(v)
    walk(json.loads(out)["blocks"])
    return notes


def text_of(tokens, keep) -> str:
    return norm("".join(t[1] for t in tokens if t[0] == "text" and keep(t[2])))


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


def write_returns(folder, draft_path, note: str) -> dict:
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
        doc = NotesDocx.open(draft_path)
        words, body = p["comment"]
        add_comment(doc, note, body, group, "G", DATE, words=words)
        track_delete(doc, note, p["delete"], group, DATE)
        after, text, _ = p["insert"]
        track_insert(doc, note, after, text, group, DATE)
        paths[group] = doc.save(folder / f"{group}.docx")
    return plan


def test_footnote_annotations_reach_the_collated_footnote(folder):
    need("pandoc")
    draft = consult.load_draft(SAMPLE_DRAFT)
    returns = folder / "returns"
    returns.mkdir()
    plan = write_returns(returns, SAMPLE_DRAFT, NOTE)
    col = consult.collate(draft, [returns])
    out = folder / "collated.docx"
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
    # each comment covers the same words as in the return
    found = covered(tokens, lambda s: all(k == "del" for k, _ in s))
    by_body = {v["body"]: v for v in found.values()}
    for group, p in plan.items():
        words, body = p["comment"]
        assert body in by_body, (body, found)
        assert by_body[body]["author"] == group
        assert by_body[body]["text"] == words
    # nothing of the footnotes left unplaced, nothing lost
    assert not [u for _, u in col.unplaced if u.item.story == "footnotes"], col.unplaced
    # Word and LibreOffice open it
    if VALIDATOR.is_file():
        run = subprocess.run([sys.executable, str(VALIDATOR), str(out)], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr
    soffice = shutil.which("soffice")
    if soffice:
        pdf_dir = folder / "pdf"
        pdf_dir.mkdir()
        subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo",
                        "--convert-to", "pdf", "--outdir", str(pdf_dir), str(out)],
                       capture_output=True, timeout=180)
        assert (pdf_dir / "collated.pdf").is_file()

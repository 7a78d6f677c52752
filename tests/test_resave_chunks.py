"""A draft's imported chunk (w:altChunk: an HTML, text or Word file held as one part) is
made paragraphs by Word and LibreOffice when they open a pack, so a re-saved return holds
text the draft's paragraphs do not: where consult can read the chunk, those paragraphs are
the chunk, not the group's edit; where it cannot, they are listed as unplaced, with a warning.
Nothing invented, nothing lost. The LibreOffice re-save of the real CA009 draft (a Word
document chunk carrying a comment): tests/test_untracked_short.py (RESAVED)."""
from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import need
from make_hostile import base_docx, part, rezip
from tiny_docx import NAMESPACES, heading, para

from consult.chunks import GONE, UNREAD
from consult.ingest import ingest_one
from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft

RULES = [f"Rule {k} of the meeting says what members may do when the chair is away."
         for k in range(6)]
CHUNK = ["Imported heading of the chunk", "The chunk's first paragraph, from an HTML file.",
         "The chunk's second paragraph."]
HTML = ("<html><head><title>t</title><style>p {}</style></head><body>"
        f"<h1>{CHUNK[0]}</h1><p>{CHUNK[1]}</p><p>{CHUNK[2]}</p></body></html>")
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk"
TYPES = {"html": ("htm", "text/html"), "rtf": ("rtf", "application/rtf")}


def _body(middle: str) -> str:
    return (heading("Meetings") + "".join(para(t) for t in RULES[:3]) + middle +
            "".join(para(t) for t in RULES[3:]))


def _write(path: Path, body: str, chunk: tuple[str, bytes] | None = None) -> Path:
    base = base_docx()
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>')
    replace, add = {"word/document.xml": doc.encode()}, []
    if chunk:
        kind, data = chunk
        ext, ctype = TYPES[kind]
        ct = part(base, "[Content_Types].xml").decode().replace(
            "</Types>", f'<Override PartName="/word/chunk1.{ext}" ContentType="{ctype}"/></Types>')
        rels = part(base, "word/_rels/document.xml.rels").decode().replace(
            "</Relationships>", f'<Relationship Id="rIdChunk1" Type="{REL}" '
                                f'Target="chunk1.{ext}"/></Relationships>')
        replace.update({"[Content_Types].xml": ct.encode(),
                        "word/_rels/document.xml.rels": rels.encode()})
        add.append((f"word/chunk1.{ext}", data))
    path.write_bytes(rezip(base, replace, add))
    return path


def _draft(tmp: Path, kind: str = "html", data: bytes = HTML.encode()):
    return load_draft(_write(tmp / "draft.docx", _body('<w:altChunk r:id="rIdChunk1"/>'),
                             (kind, data)))


def _made_paragraphs(tmp: Path, lines: list[str], rules: list[str] = RULES) -> Path:
    """A return as Word or LibreOffice saves it: the chunk's text as paragraphs."""
    body = (heading("Meetings") + "".join(para(t) for t in rules[:3]) +
            "".join(para(t) for t in lines) + "".join(para(t) for t in rules[3:]))
    return _write(tmp / "Group 1.docx", body)


def _edits(ret) -> list[tuple]:
    return [(p.item.kind, p.item.text) for p in ret.placed if not p.item.tracked]


def test_the_draft_reads_its_html_chunk(tmp_path):
    draft = _draft(tmp_path)
    assert draft.alt_chunks == ((3, "html", tuple(CHUNK)),)
    assert [p.text for p in draft.paragraphs] == ["Meetings"] + RULES


def test_a_chunk_made_paragraphs_is_not_an_edit(tmp_path):
    ret = ingest_one(_draft(tmp_path), _made_paragraphs(tmp_path, CHUNK))
    assert (_edits(ret), ret.unplaced) == ([], ())
    assert any("they read as its text" in m.text for m in ret.messages)


def test_edits_beside_and_inside_a_chunk_made_paragraphs(tmp_path):
    """A word typed in the draft's text is the edit; a paragraph typed among the chunk's is
    an inserted paragraph; a chunk line the return no longer holds is unplaced (the draft's
    view holds it in no paragraph)."""
    rules = RULES[:4] + [RULES[4].replace("members", "all members")] + RULES[5:]
    ret = ingest_one(_draft(tmp_path), _made_paragraphs(
        tmp_path, [CHUNK[0], "A paragraph the group typed.", CHUNK[2]], rules))
    edits = _edits(ret)
    assert ("insert", "all ") in edits or ("insert", "all") in edits
    assert ("insert", "A paragraph the group typed.") in edits
    assert not any(CHUNK[0] in t or CHUNK[2] in t for _, t in edits)
    assert [(u.item.kind, u.item.text, u.reason) for u in ret.unplaced] == \
        [("delete", CHUNK[1], GONE)]


def test_a_return_that_keeps_the_chunk_has_no_edit(tmp_path):
    draft = _draft(tmp_path)
    pack = tmp_path / "pack.docx"
    build_pack(draft, Allocation("Group 1", tuple(s.id for s in draft.sections))).save(pack)
    ret = ingest_one(draft, pack)
    assert (_edits(ret), ret.unplaced) == ([], ())
    assert not any("imported chunk" in m.text for m in ret.messages)


def test_a_chunk_consult_cannot_read_is_not_compared_but_listed(tmp_path):
    draft = _draft(tmp_path, "rtf", b"{\\rtf1\\ansi Imported heading of the chunk\\par}")
    assert draft.alt_chunks == ((3, "rtf", None),)
    assert any(m.level == "warning" and "cannot read" in m.text for m in draft.messages)
    ret = ingest_one(draft, _made_paragraphs(tmp_path, CHUNK[:1]))
    assert _edits(ret) == []
    assert [(u.item.text, u.reason) for u in ret.unplaced] == \
        [(CHUNK[0], UNREAD.format(kind="rtf"))]


def test_libreoffice_drops_an_html_chunk_and_that_is_not_an_edit(tmp_path):
    """The independent reader: LibreOffice's own re-save of the pack (7.4 imports a Word
    document chunk, CA009's, as paragraphs, and drops an HTML one): no edit, and a message
    that the chunk is not in the return."""
    draft = _draft(tmp_path)
    pack = tmp_path / "pack" / "Group 1.docx"
    pack.parent.mkdir()
    build_pack(draft, Allocation("Group 1", tuple(s.id for s in draft.sections))).save(pack)
    out = tmp_path / "resaved"
    subprocess.run([need("soffice"), f"-env:UserInstallation=file://{tmp_path}/lo-profile",
                    "--headless", "--convert-to", "docx", "--outdir", str(out), str(pack)],
                   capture_output=True, check=True, timeout=600)
    ret = ingest_one(draft, out / pack.name)
    assert (_edits(ret), ret.unplaced) == ([], ())
    assert any("imported chunk (html) after paragraph 4 is not in this return" in m.text
               for m in ret.messages)

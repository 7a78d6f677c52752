"""A Code-of-Practice-sized draft, built from a seed with python-docx and the sample's helpers.

Eleven chapters (Heading 1), sections (Heading 2) and subsections (Heading 3) numbered
automatically 1 / 1.1 / 1.1.1, numbered paragraphs at the third or fourth level (1.1.1.1),
bullet and lettered lists, tables with a repeating header row, footnotes, a header and a footer
with a PAGE field. ``scale`` 1 gives about 110,000 words in about 2,000 paragraphs.
"""
from __future__ import annotations

import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from text import SAMPLES, Prose

if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))

import build_sample as bs                                 # noqa: E402  (samples/)
from docx import Document                                # noqa: E402
from docx.enum.text import WD_BREAK                      # noqa: E402
from docx.oxml import OxmlElement                        # noqa: E402
from docx.oxml.ns import qn                              # noqa: E402

CHAPTERS = 11
SECTIONS_PER_CHAPTER = 9        # at scale 1
TABLES = 40
CELL_WORDS = 6
TITLE = "Special educational needs and disability code of practice: 0 to 25 years (draft)"


@dataclass(frozen=True)
class Shape:
    """What the generator put in a draft beyond its text (words and paragraphs are counted
    by consult when the draft is read)."""

    tables: int
    footnotes: int
    subsections: int


def build_draft(path: Path, seed: int, scale: float = 1.0) -> Shape:
    """Write the draft to ``path``; the same seed and scale give the same bytes."""
    rng = random.Random(f"draft-{seed}-{scale}")
    prose = Prose(rng)
    doc = Document()
    bs.set_up_page(doc)
    bs.add_footnote_styles(doc)
    sections = max(2, round(SECTIONS_PER_CHAPTER * scale))
    plan = _plan(rng, sections)
    lettered = sum(1 for ch in plan for sec in ch for kind, _ in sec if kind == "lettered")
    ids = bs.add_numbering(doc, lettered)
    bs.link_heading_styles(doc, ids.headings)
    _link_heading3(doc, ids.headings)
    body_words = _body_words(plan, scale)
    writer = _Writer(doc, prose, rng, ids, body_words)
    doc.add_paragraph(TITLE, style="Title")
    writer.text(doc.add_paragraph(), prose.paragraph(60))
    tables = round(TABLES * scale)
    slots = sorted(rng.sample(range(CHAPTERS * sections), tables))
    for c, chapter in enumerate(plan, 1):
        if c > 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        doc.add_paragraph(f"{prose.title(2, 5)}", style="Heading 1")
        writer.text(doc.add_paragraph(), prose.paragraph(body_words))
        for s, section in enumerate(chapter):
            doc.add_paragraph(prose.title(), style="Heading 2")
            for kind, n in section:
                writer.block(kind, n)
            if (c - 1) * sections + s in slots:
                writer.table()
    bs.add_header_footer(doc)
    bs.add_footnotes(doc, writer.notes)
    bs.set_properties(doc)
    doc.core_properties.title = TITLE
    buffer = io.BytesIO()
    doc.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bs.fixed_zip(buffer.getvalue()))
    return Shape(tables, len(writer.notes), writer.h3)


def _plan(rng: random.Random, sections: int) -> list:
    """Per chapter, per section: blocks as (kind, count)."""
    plan = []
    for _ in range(CHAPTERS):
        chapter = []
        for _ in range(sections):
            blocks: list[tuple[str, int]] = [("para", 1)]
            if rng.random() < 0.5:
                for _ in range(rng.randint(2, 3)):
                    blocks += [("h3", 1), ("numbered4", rng.randint(2, 5))]
            else:
                blocks.append(("numbered3", rng.randint(7, 12)))
            if rng.random() < 0.35:
                blocks.append(("bullets", rng.randint(3, 6)))
            if rng.random() < 0.1:
                blocks.append(("lettered", rng.randint(2, 4)))
            chapter.append(blocks)
        plan.append(chapter)
    return plan


def _body_words(plan: list, scale: float) -> int:
    """Mean words per body paragraph so that the draft holds about 110,000 words at scale 1."""
    body = sum(n for ch in plan for sec in ch for kind, n in sec
               if kind in ("para", "numbered3", "numbered4")) + CHAPTERS + 1
    fixed = sum(n * 15 for ch in plan for sec in ch for kind, n in sec
                if kind in ("bullets", "lettered"))
    fixed += round(TABLES * scale) * 4 * 3 * CELL_WORDS
    return max(20, round((110_000 * scale - fixed) / body))


def _link_heading3(doc, num_id: int) -> None:
    num_pr = doc.styles["Heading 3"].element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 2
    num_pr.get_or_add_numId().val = num_id


class _Writer:
    """Writes blocks, collecting footnotes and counting subsections."""

    def __init__(self, doc, prose: Prose, rng: random.Random, ids, body_words: int) -> None:
        self.doc, self.prose, self.rng, self.ids = doc, prose, rng, ids
        self.mean = body_words
        self.notes: list[str] = []
        self.lettered = iter(ids.lettered)
        self.h3 = 0

    def length(self) -> int:
        return max(8, round(self.mean * self.rng.uniform(0.4, 1.6)))

    def text(self, paragraph, text: str) -> None:
        """Runs of text; about one paragraph in twelve gets a footnote after a sentence."""
        cut = text.find(". ")
        if cut < 0 or self.rng.random() > 1 / 12:
            paragraph.add_run(text)
            return
        paragraph.add_run(text[:cut + 1])
        self.notes.append(self.prose.sentence())
        run = paragraph.add_run()
        run._r.style = "FootnoteReference"
        run._r.append(OxmlElement("w:footnoteReference", {qn("w:id"): str(len(self.notes))}))
        paragraph.add_run(text[cut + 1:])

    def block(self, kind: str, n: int) -> None:
        doc = self.doc
        if kind == "para":
            self.text(doc.add_paragraph(), self.prose.paragraph(self.length()))
        elif kind == "h3":
            doc.add_paragraph(self.prose.title(), style="Heading 3")
            self.h3 += 1
        elif kind in ("numbered3", "numbered4"):
            ilvl = 2 if kind == "numbered3" else 3
            for _ in range(n):
                p = doc.add_paragraph()
                bs.set_numbering(p, self.ids.headings, ilvl)
                self.text(p, self.prose.paragraph(self.length()))
        elif kind == "bullets":
            for _ in range(n):
                self.text(doc.add_paragraph(style="List Bullet"), self.prose.sentence(15))
        elif kind == "lettered":
            num_id = next(self.lettered)
            for _ in range(n):
                p = doc.add_paragraph(style="List Paragraph")
                bs.set_numbering(p, num_id, 0)
                self.text(p, self.prose.sentence(15))

    def table(self) -> None:
        header = tuple(self.prose.title(1, 3) for _ in range(3))
        rows = tuple(tuple(self.prose.words_of(CELL_WORDS) for _ in range(3)) for _ in range(3))
        bs.write_table(self.doc, bs.Table(header, rows, (2300, 3926, 2800)))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-draft.docx")
    print(build_draft(out, int(sys.argv[2]) if len(sys.argv) > 2 else 1))

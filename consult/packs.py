"""Write one .docx pack per group: its sections, a cover page, Track Changes on."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .version import __version__
from .model import Allocation, Draft
from .ooxml.annotations import ANCHOR_PREFIX, read_file_annotations
from .ooxml.ns import qn
from .ooxml.comments_part import repair_threads
from .ooxml.build import (el, COVER_STYLE, NOTE_STYLE, add_consult_styles, page_break_paragraph,
                          paragraph, run_props, set_num, turn_on_tracking)
from .ooxml.document import DocParagraph, Document, facts, open_document
from .ooxml.edit import renumber_duplicates
from .ooxml.restart import add_pack_num
from .ooxml.revisions import complete_property_changes
from .ooxml.order import tidy
from .ooxml.package import Package
from .ooxml.parts import write_identity
from .ooxml.prune import drop_orphan_comments, remove_paragraphs, strip_comments
from .results import Messages

DEFAULT_PROMPTS = (
    "What is clear, and what is not?",
    "What is missing?",
    "What would you change, and why?",
    "What does this mean for our school, our pupils and their families?",
)
INSTRUCTIONS = (
    "Track Changes is switched on: type your changes straight into the text and they will be "
    "recorded. Use comments (Review > New Comment) to explain a change or raise a question. "
    "Please keep the sections in their order, and send the file back as a Word document "
    "(.docx)."
)
COVER_TITLE = "Consultation pack:"
YOUR_SECTIONS_NOTE = "Your group's sections start here."
REFERENCE_NOTE = "For reference only: the sections from here are for other groups."
NOTE_TEXTS = {YOUR_SECTIONS_NOTE, REFERENCE_NOTE}
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_filename(name: str, fallback: str = "group") -> str:
    """A file name made from a group name: no path separators, no leading dots."""
    text = unicodedata.normalize("NFC", name)
    text = UNSAFE.sub("-", text).strip().strip(".").strip()
    text = re.sub(r"\s+", " ", text)[:80].strip()
    return text or fallback


def read_prompts(path: str | Path | None) -> tuple[str, ...]:
    if path is None:
        return DEFAULT_PROMPTS
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    prompts = tuple(ln.strip() for ln in lines if ln.strip())
    return prompts or DEFAULT_PROMPTS


def write_packs(draft: Draft, allocations: list[Allocation], out_dir: str | Path,
                context: str = "sections", prompts: tuple[str, ...] = DEFAULT_PROMPTS,
                messages: Messages | None = None) -> list[Path]:
    """Write a pack for each allocation into ``out_dir``; return the paths in order."""
    keep_own = carries_own(draft)
    if keep_own and messages is not None:
        messages.info("the packs carry the draft's own tracked changes and comments, under "
                      "their authors", draft.path)
    elif draft.own_revisions and messages is not None:
        messages.warn("the draft's own tracked changes could not be lined up with its "
                      "paragraphs, so the packs show them accepted; its comments are kept",
                      draft.path)
    described = (facts(open_document(draft.path, accept=not keep_own))
                 if len(allocations) > 1 else None)
    paths = pack_paths(allocations, out_dir)
    for allocation, path in zip(allocations, paths):
        build_pack(draft, allocation, context, prompts, described).save(path)
    return paths


def pack_paths(allocations: list[Allocation], out_dir: str | Path) -> list[Path]:
    """Where ``write_packs`` puts each allocation's pack, in order."""
    out, paths, used = Path(out_dir), [], set()
    for n, allocation in enumerate(allocations, 1):
        base = safe_filename(allocation.group, f"group-{n}")
        name, k = base, 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        paths.append(out / f"{name}.docx")
    return paths


def build_pack(draft: Draft, allocation: Allocation, context: str = "sections",
               prompts: tuple[str, ...] = DEFAULT_PROMPTS,
               described: list[DocParagraph] | None = None) -> Package:
    """The pack for one group as a package in memory (``described``: the facts of the draft's
    paragraphs, from ``ooxml.document.facts``, to save describing it again)."""
    doc = open_document(draft.path, accept=not draft.own_revisions, described=described)
    groups = _draft_paragraphs(doc, draft)
    if groups is None:          # the draft's own changes do not line up: show them accepted
        doc = open_document(draft.path, accept=True)
        groups = _draft_paragraphs(doc, draft)
    owner = _owners(doc, groups)
    renumber_duplicates(doc.root)       # the draft's own ids, when it uses one twice
    if not doc.resolved_revisions:
        complete_property_changes(doc.root)
    mine = {i for sid in allocation.sections
            for i in range(draft.section(sid).start, draft.section(sid).end)}
    body = doc.body
    if context == "full":
        _mark_reference(groups, draft, allocation)
    else:
        _keep_numbers(doc, owner, mine)
        doomed = [dp.element for dp in doc.paragraphs if owner[dp.element] not in mine]
        remove_paragraphs(body, doomed)
    _anchor(doc, draft, groups, mine if context != "full" else set(range(len(groups))))
    pkg = doc.package
    if draft.own_comments:
        drop_orphan_comments(pkg, doc.root)
        repair_threads(pkg, doc.root)
    else:
        strip_comments(pkg, doc.root)
    add_consult_styles(pkg)
    for k, p in enumerate(_cover(draft, allocation, prompts, context)):
        body.insert(k, p)
    settings = pkg.related(pkg.main, "/settings")
    if settings:
        turn_on_tracking(pkg.xml(settings))
    tidy(pkg)
    write_identity(pkg, {"draft": draft.fingerprint, "group": allocation.group,
                         "sections": ";".join(allocation.sections), "context": context,
                         "version": __version__})
    return pkg


def carries_own(draft: Draft) -> bool:
    """True when the packs can show the draft's own tracked changes as they are: the draft's
    paragraphs are the same with its changes accepted or not (no paragraph joined or row
    removed by them), so the pack's paragraphs still line up with the draft's."""
    if not draft.own_revisions:
        return False
    return _draft_paragraphs(open_document(draft.path), draft) is not None


def _draft_paragraphs(doc: Document, draft: Draft) -> list[list] | None:
    """The w:p elements of each draft paragraph in ``doc`` (several where the draft's own
    changes join paragraphs), or None when they do not line up with the draft's."""
    if doc.resolved_revisions or not draft.own_revisions:
        groups = [[dp.element] for dp in doc.paragraphs]
    else:
        groups = read_file_annotations(doc.package, own=draft.own_keys).body.elements
    return groups if len(groups) == len(draft.paragraphs) else None


def _owners(doc: Document, groups: list[list]) -> dict:
    """The draft paragraph each w:p belongs to; one in a row the draft's author deleted
    belongs with the paragraph before it."""
    owner = {p: i for i, ps in enumerate(groups) for p in ps}
    last = 0
    for dp in doc.paragraphs:
        last = owner.setdefault(dp.element, last)
    return owner


def _anchor(doc: Document, draft: Draft, groups: list[list], keep: set[int]) -> None:
    """A hidden bookmark (_cp<index>) at the start of each kept paragraph with text: hints
    that survive Word and LibreOffice for mapping a return back (text alignment decides).
    Where the draft's own changes join paragraphs, it goes in the first w:p with text (one
    left empty by its author's deletions keeps no bookmark that readers would show)."""
    used = [int(b.get(qn("w:id"))) for b in doc.root.iter(qn("w:bookmarkStart"))
            if (b.get(qn("w:id")) or "").isdigit()]
    next_id = max(used + [0]) + 1
    for i in sorted(keep):
        if not draft.paragraphs[i].text.strip():
            continue
        p = next((q for q in groups[i] if q.find(f".//{qn('w:t')}") is not None),
                 groups[i][0])
        ppr = p.find(qn("w:pPr"))
        at = 0 if ppr is None else p.index(ppr) + 1
        p.insert(at, el("w:bookmarkStart", {"w:id": next_id, "w:name": f"{ANCHOR_PREFIX}{i}"}))
        p.insert(at + 1, el("w:bookmarkEnd", {"w:id": next_id}))
        next_id += 1


def _keep_numbers(doc: Document, owner: dict, mine: set[int]) -> None:
    """Give kept numbered paragraphs restarted lists so they show the draft's numbers."""
    numbering_part = doc.package.related(doc.package.main, "/numbering")
    if numbering_part is None:
        return
    root = doc.package.xml(numbering_part)
    current: dict[str, tuple[str, int]] = {}    # abstract list -> (numId in the pack, frozen)
    gap: dict[str, bool] = {}                   # a paragraph of this list was left out since
    for dp in doc.paragraphs:
        info = dp.num
        if info is None:
            continue
        key = info.abstract_id
        if owner[dp.element] not in mine:
            gap[key] = True
            continue
        frozen = current[key][1] if key in current else 0
        if gap.get(key) or (key in current and info.ilvl < frozen):
            current[key] = add_pack_num(root, info)
            gap[key] = False
        if key in current:
            set_num(dp.element, current[key][0], info.ilvl)


def _cover(draft: Draft, allocation: Allocation, prompts: tuple[str, ...],
           context: str) -> list:
    title = run_props(bold=True, size_half_points=36)
    bold = run_props(bold=True)
    name = Path(draft.path).name
    paras = [paragraph(f"{COVER_TITLE} {allocation.group}", COVER_STYLE, title),
             paragraph(f"Draft: {name} (reference {draft.fingerprint})", COVER_STYLE),
             paragraph("Your sections", COVER_STYLE, bold)]
    for sid in allocation.sections:
        s = draft.section(sid)
        pages = f"page {s.first_page}" if s.pages == 1 else f"pages {s.first_page}-{s.last_page}"
        approx = "about " if draft.pages_estimated else ""
        paras.append(paragraph(f"{s.number}\t{s.title} ({approx}{pages}, {s.words} words)"
                               if s.number else f"{s.title} ({s.words} words)", COVER_STYLE))
    if context == "full":
        paras.append(paragraph("The whole draft follows. Sections for other groups are marked "
                               "'for reference'; read them for context.", COVER_STYLE))
    paras.append(paragraph("How to respond", COVER_STYLE, bold))
    paras.append(paragraph(INSTRUCTIONS, COVER_STYLE))
    paras.append(paragraph("Questions to discuss", COVER_STYLE, bold))
    paras += [paragraph(f"\u2022\t{q}", COVER_STYLE) for q in prompts]
    brk = page_break_paragraph()
    brk.insert(0, paragraph("", COVER_STYLE)[0])
    paras.append(brk)
    return paras


def _mark_reference(groups: list[list], draft: Draft, allocation: Allocation) -> None:
    """In a full-context pack, put a note before each run of sections."""
    mine = set(allocation.sections)
    previous = None
    for s in draft.sections:
        state = s.id in mine
        if state == previous or s.end <= s.start:
            continue
        previous = state
        text = YOUR_SECTIONS_NOTE if state else REFERENCE_NOTE
        first = groups[s.start][0]
        first.addprevious(paragraph(text, NOTE_STYLE))

"""Scripted full-document returns on real drafts, collated: the cases for the round trip.

Each draft in ../shared/corpus/real/ with at least 25 plain paragraphs (body paragraphs with
text, not in tables; one file per distinct text) goes to four groups as a full pack; each
group marks it up with tests/edit_docx.py: comments inside one run, across runs and with two
paragraphs, a reply, the same words commented by two groups, tracked replacements, insertions,
a deletion and a new paragraph, an untracked edit, an agreement (two groups, the same change),
a conflict (two groups, different changes to the same words); Group 4's return is re-saved by
LibreOffice. One more case gives a draft its own author's comment and tracked change first.
A draft needs at least 11 paragraphs that can be edited (plain runs only, unique text); the
LIR numbering files (3,500 one-word list items) have none and are left out. A full pack can
have fewer than its draft (see ``slots``).
"""
from __future__ import annotations

import csv
import hashlib
import json
import shutil
import subprocess
import tempfile
import traceback
from pathlib import Path
from typing import Callable

import edit_docx as ed
import roundtrip as rt
from conftest import CORPUS, SAMPLE_DRAFT, SAMPLES

from consult.collate import collate
from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft

GROUPS = ("Group 1", "Group 2", "Group 3", "Group 4")
PEOPLE = {"Group 1": ("Priya Shah", "PS"), "Group 2": ("Aisha Khan", "AK"),
          "Group 3": ("Ben Walsh", "BW"), "Group 4": ("Carmen Diaz", "CD")}
REPLIER = ("Tom Reed", "TR")
DRAFTER = ("Dana Drafter", "DD")
DATE = "2026-11-20T10:00:00Z"
MIN_PLAIN, MIN_EDITABLE = 25, 11
OWN_MARKS = "own-marks"
RETURNS = SAMPLES / "returns"             # the case of a draft with its own comment and change


def sample_groups() -> list[dict]:
    """The groups of the bundled sample that returned a file (samples/returns/scenario.json)."""
    facts = json.loads((RETURNS / "scenario.json").read_text(encoding="utf-8"))
    return [g for g in facts["groups"] if g.get("returned") and g.get("file")]


def sample_case(folder: Path) -> rt.Case:
    """The bundled sample collated; each group's pack (sections only) rebuilt beside it."""
    draft = load_draft(SAMPLE_DRAFT)
    facts = json.loads((RETURNS / "scenario.json").read_text(encoding="utf-8"))
    groups = sample_groups()
    allocations = [Allocation(g["group"], tuple(g["sections"])) for g in groups]
    packs = {}
    for a in allocations:
        packs[a.group] = folder / f"pack {a.group}.docx"
        build_pack(draft, a).save(packs[a.group])
    out = folder / "sample-collated.docx"
    collate(draft, [RETURNS / g["file"] for g in groups], allocations).save(out)
    return rt.Case(out, {g["group"] for g in facts["groups"]},
                   {g["group"]: RETURNS / g["file"] for g in groups}, packs, SAMPLE_DRAFT)


def real_drafts() -> list[str]:
    """The corpus files the round trip runs on (see the module docstring), plus OWN_MARKS."""
    if not (CORPUS / "MANIFEST.tsv").is_file():
        return []
    seen, out = set(), []
    for path in sorted(CORPUS.glob("*.docx")):
        try:
            doc = ed.Docx.open(path)
            texts = [ed.paragraph_text(p) for p in doc.body.findall(ed.w("p"))]
            editable = ed.plain_paragraphs(doc)
        except Exception:           # a file edit_docx cannot read is not a draft for this
            continue
        texts = [t for t in texts if t.strip()]
        digest = hashlib.sha1("\n".join(texts).encode()).hexdigest()
        if len(texts) >= MIN_PLAIN and len(editable) >= MIN_EDITABLE and digest not in seen:
            seen.add(digest)
            out.append(path.name)
    return out + [OWN_MARKS] if out else []


def has_own_marks(name: str) -> bool:
    """Whether the corpus file carries tracked changes or comments (MANIFEST.tsv says)."""
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["file"] == name:
                keys = ("comments", "ins", "del", "moveFrom", "moveTo", "rPrChange",
                        "pPrChange")
                return any(int(row[k] or 0) for k in keys)
    return False


def own_marks_draft(name: str, out: Path) -> Path:
    """``name`` with a comment and a tracked replacement by its own author (not a group)."""
    doc = ed.Docx.open(CORPUS / name)
    plain = ed.plain_paragraphs(doc)
    a, b = plain[-1], plain[-2]
    s, e = ed.words_at(a, 0.3)
    ed.add_comment(doc, a, "The author's own note on this.", *DRAFTER, DATE, words=a[s:e])
    s, e = ed.words_at(b, 0.5, 1)
    ed.track_replace(doc, b, b[s:e], "revised", DRAFTER[0], DATE)
    return doc.save(out)


SLOTS = 11                              # paragraphs the script edits (plain[0] .. plain[10])
USES = {"Group 1": {0, 1, 2, 3, 9}, "Group 2": {4, 5, 6, 7}, "Group 3": {5, 8, 10},
        "Group 4": {0, 6, 10}}
SHARED = {0, 5, 6}     # on purpose: the same words commented twice, the agreement, the conflict


def slots(plain: list[str]) -> list[str]:
    """The paragraph texts the script edits: the pack's editable paragraphs; when a pack has
    fewer than SLOTS (its cover page lists the headings, so they are no longer unique; the
    draft's own tracked changes make their paragraphs not plain), each missing slot is the
    longest paragraph that neither the slot's group nor any group in SHARED already edits, so
    every edit the script promises is still made, on words of its own."""
    out = list(plain)
    for k in range(len(plain), SLOTS):
        owner = {g for g, used in USES.items() if k in used}
        busy = SHARED | {j for g in owner for j in USES[g] if j < len(plain)}
        free = [j for j in range(len(plain)) if j not in busy and plain[j] not in out[len(plain):]]
        if not free:
            raise ValueError(f"only {len(plain)} editable paragraphs in the pack")
        out.append(plain[max(free, key=lambda j: (len(plain[j].split()), -j))])
    return out


def script(doc: ed.Docx, group: str, plain: list[str]) -> None:
    """What ``group`` does to its copy of the pack (``plain``: editable paragraph texts)."""
    name, initials = PEOPLE[group]
    plain = slots(plain)

    def words(k: int, fraction: float, n: int = 2) -> str:
        s, e = ed.words_at(plain[k], fraction, n)
        return plain[k][s:e]

    if group == "Group 1":
        c = ed.add_comment(doc, plain[0], "Is this the right word?", name, initials, DATE,
                           words=words(0, 0.5))
        ed.add_comment(doc, None, "I think it is.", *REPLIER, DATE, reply_to=c)
        across = words(1, 0.3, 4)
        at = plain[1].index(across)
        ed.split_runs(doc, plain[1], [at + len(across) // 3, at + 2 * len(across) // 3])
        ed.add_comment(doc, plain[1], "This spans several runs.", name, initials, DATE,
                       words=across)
        ed.track_replace(doc, plain[2], words(2, 0.5, 1), "amended", name, DATE)
        ed.track_insert(doc, plain[3], words(3, 0.0, 1), " (as Group 1 adds)", name, DATE)
        ed.track_insert_paragraph_after(doc, plain[9], "A new paragraph from Group 1.", name,
                                        DATE)
    elif group == "Group 2":
        ed.untracked_replace(doc, plain[4], words(4, 0.6, 1), "rewritten")
        ed.track_replace(doc, plain[5], words(5, 0.4, 2), "agreed wording", name, DATE)
        ed.track_replace(doc, plain[6], words(6, 0.5, 1), "version two", name, DATE)
        ed.add_comment(doc, plain[7], "Group 2 asks why.\nAnd a second paragraph.", name,
                       initials, DATE, words=words(7, 0.2, 3))
    elif group == "Group 3":
        ed.track_replace(doc, plain[5], words(5, 0.4, 2), "agreed wording", name, DATE)
        ed.track_delete(doc, plain[8], words(8, 0.5, 3), name, DATE)
        ed.add_comment(doc, plain[10], "Group 3 likes this.", name, initials, DATE,
                       words=words(10, 0.0, 3))
    else:
        ed.track_replace(doc, plain[6], words(6, 0.5, 1), "version four", name, DATE)
        ed.add_comment(doc, plain[0], "Group 4 also asks about this.", name, initials, DATE,
                       words=words(0, 0.5))
        last = min(11, len(plain) - 1)
        ed.untracked_replace(doc, plain[last], words(last, 0.5, 1), "changed")


def build_cases(names: list[str], folder: Path) -> dict[str, "rt.Case | str"]:
    """Every case built and collated; a case that could not be built is its traceback."""
    cases: dict[str, rt.Case | str] = {}
    pending = []                    # (case folder, the return LibreOffice is to re-save)
    lo_in = folder / "lo-in"
    lo_in.mkdir(exist_ok=True)
    for k, name in enumerate(names):
        here = folder / f"case{k}"
        (here / "returns").mkdir(parents=True)
        try:
            if name == OWN_MARKS:
                draft_path = own_marks_draft(names[0] if names[0] != OWN_MARKS else name,
                                             here / "draft.docx")
            else:
                draft_path = here / "draft.docx"
                shutil.copyfile(CORPUS / name, draft_path)
            draft = load_draft(draft_path)
            everything = tuple(s.id for s in draft.sections)
            for group in GROUPS:
                pack = build_pack(draft, Allocation(group, everything), context="full")
                pack.save(here / f"pack {group}.docx")
                doc = ed.Docx.open(here / f"pack {group}.docx")
                script(doc, group, ed.plain_paragraphs(doc))
                if group == "Group 4":
                    doc.save(lo_in / f"case{k} {group}.docx")
                    pending.append((k, name, here, draft_path))
                else:
                    doc.save(here / "returns" / f"{group}.docx")
        except Exception:
            cases[name] = traceback.format_exc()
    _libreoffice_resave(lo_in, folder / "lo-out")
    for k, name, here, draft_path in pending:
        try:
            lo = folder / "lo-out" / f"case{k} Group 4.docx"
            sent = {"Group 4": lo_in / lo.name}
            if shutil.which("soffice") is None:         # no LibreOffice: as Word saved it
                lo, sent = lo_in / lo.name, None
            if not lo.is_file():
                raise RuntimeError(f"LibreOffice did not re-save {lo.name}")
            shutil.move(str(lo), here / "returns" / "Group 4.docx")
            draft = load_draft(draft_path)
            everything = tuple(s.id for s in draft.sections)
            out = here / "collated.docx"
            collate(draft, sorted((here / "returns").glob("*.docx")),
                    [Allocation(g, everything) for g in GROUPS]).save(out)
            cases[name] = rt.Case(out, set(GROUPS),
                                  {g: here / "returns" / f"{g}.docx" for g in GROUPS},
                                  None, draft_path,
                                  {g: here / f"pack {g}.docx" for g in GROUPS}, sent)
        except Exception:
            cases[name] = traceback.format_exc()
    return cases


def _libreoffice_resave(inbox: Path, outbox: Path) -> None:
    """One LibreOffice process re-saves every file in ``inbox`` as Word .docx."""
    soffice = shutil.which("soffice")
    files = sorted(inbox.glob("*.docx"))
    if soffice is None or not files:
        return
    profile = Path(tempfile.mkdtemp(prefix="consult-lo-profile-"))
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outbox),
                    *map(str, files)], capture_output=True, text=True, timeout=600)
    shutil.rmtree(profile, ignore_errors=True)


def case_of(cases: dict, name: str) -> "rt.Case":
    """The built case, or a failure saying why it could not be built."""
    case = cases[name]
    if isinstance(case, str):
        raise AssertionError(f"{name}: the case could not be built:\n{case}")
    return case


# -- drafts whose own tracked changes LibreOffice rewrites, in re-saved returns ------------------

# RP001-02 (a moved table, then deleted: LibreOffice drops the deletions nested in w:moveTo and
# writes the deleted rows as inserted) has too few plain paragraphs for ``script``; RP051
# (LibreOffice keeps none of its tracked changes, the deleted text as plain text) is in
# ``real_drafts`` too, where only Group 4 is re-saved.
RESAVED_OWN = ["Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx",
               "Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx"]


def resaved_own_case(name: str, folder: Path) -> rt.Case:
    """Two full packs of ``name``: Group 1 types over a word beside the draft's own changes
    and one in a plain paragraph (Track Changes off), replaces a word with Track Changes and
    comments on a third; Group 2 sends its pack back unedited; LibreOffice re-saves both."""
    here = folder / f"resaved-{Path(name).stem}"
    (here / "lo-in").mkdir(parents=True)
    draft_path = here / "draft.docx"
    shutil.copyfile(CORPUS / name, draft_path)
    draft = load_draft(draft_path)
    everything = tuple(s.id for s in draft.sections)
    groups = GROUPS[:2]
    packs, sent = {}, {}
    for group in groups:
        packs[group] = here / f"pack {group}.docx"
        build_pack(draft, Allocation(group, everything), context="full").save(packs[group])
        doc = ed.Docx.open(packs[group])
        if group == "Group 1":
            _retype_and_comment(doc, *PEOPLE[group])
        sent[group] = doc.save(here / "lo-in" / f"{group}.docx")
    _libreoffice_resave(here / "lo-in", here / "returns")
    returns = {g: here / "returns" / f"{g}.docx" for g in groups}
    missing = [g for g, p in returns.items() if not p.is_file()]
    if missing:
        raise RuntimeError(f"LibreOffice did not re-save {missing}")
    out = here / "collated.docx"
    collate(draft, list(returns.values()), [Allocation(g, everything) for g in groups]).save(out)
    return rt.Case(out, set(groups), returns, None, draft_path, packs, sent)


def _retype_and_comment(doc: ed.Docx, name: str, initials: str) -> None:
    import re
    plain = [t for t in ed.plain_paragraphs(doc) if re.search(r"\w{4,}", t)]
    ed.retype_beside_own_change(doc, "retyped")
    unique = ed.unique_words(doc)
    word = [next(x for x in re.findall(r"\w{4,}", t) if x in unique) for t in plain[:2]]
    ed.untracked_replace(doc, plain[0], word[0], "changed")
    ed.track_replace(doc, plain[1], word[1], "amended", name, DATE)
    s, e = ed.words_at(plain[2], 0.5)
    ed.add_comment(doc, plain[2], "Group 1 asks about this.", name, initials, DATE,
                   words=plain[2][s:e])


# -- edit scripts from hypothesis ---------------------------------------------------------------

EDIT_KINDS = ("comment", "replace", "delete", "insert", "untracked", "reply")


def apply_edit(doc: ed.Docx, group: str, plain: list[str], edit: tuple) -> bool:
    """One generated edit: (kind, paragraph, fraction, words, text); False if it cannot be
    made there (the words sit inside a change already made, say)."""
    kind, k, fraction, n, text = edit
    name, initials = PEOPLE[group]
    para = plain[k % len(plain)]
    s, e = ed.words_at(para, fraction, n)
    words = para[s:e]
    try:
        if kind == "comment":
            ed.add_comment(doc, para, f"{group}: {text}", name, initials, DATE, words=words)
        elif kind == "reply":
            c = ed.add_comment(doc, para, f"{group} asks: {text}", name, initials, DATE,
                               words=words)
            ed.add_comment(doc, None, f"{group} answers: {text}", *REPLIER, DATE, reply_to=c)
        elif kind == "replace":
            ed.track_replace(doc, para, words, text, name, DATE)
        elif kind == "delete":
            ed.track_delete(doc, para, words, name, DATE)
        elif kind == "insert":
            ed.track_insert(doc, para, words, " " + text, name, DATE)
        else:
            ed.untracked_replace(doc, para, words, text)
    except (ValueError, LookupError):
        return False
    return True


def generated_case(draft_path: Path, here: Path, scripts: dict[str, list[tuple]]) -> rt.Case:
    """Full packs of ``draft_path`` for each group in ``scripts``, edited, and collated."""
    here.mkdir(parents=True, exist_ok=True)
    for old in here.glob("*.docx"):
        old.unlink()

    def edit(doc: ed.Docx, group: str) -> None:
        plain = ed.plain_paragraphs(doc)
        for one in scripts[group]:
            apply_edit(doc, group, plain, one)
    return edited_case(draft_path, here, list(scripts), edit, here / "collated.out.docx")


def edited_case(draft_path: Path, here: Path, groups: list[str],
                edit: Callable[[ed.Docx, str], None], out: Path) -> rt.Case:
    """A full pack of ``draft_path`` for each of ``groups``, changed by ``edit(doc, group)``,
    saved as the group's return in ``here``, and all of them collated into ``out``."""
    _, returns = edit_and_collate(draft_path, here, groups, edit, out)
    return rt.Case(out, set(groups), returns, None, draft_path)


def edit_and_collate(draft_path: Path, here: Path, groups: list[str],
                     edit: Callable[[ed.Docx, str], None], out: Path):
    """``edited_case``'s work: the Collation (saved to ``out``) and each group's return."""
    draft = load_draft(draft_path)
    everything = tuple(s.id for s in draft.sections)
    returns = {}
    for group in groups:
        pack = here / f"pack {group}.docx"
        build_pack(draft, Allocation(group, everything), context="full").save(pack)
        doc = ed.Docx.open(pack)
        edit(doc, group)
        returns[group] = doc.save(here / f"{group}.docx")
    col = collate(draft, list(returns.values()), [Allocation(g, everything) for g in groups])
    col.save(out)
    return col, returns


# -- the issue's draft with its author's own tracked changes, returned as sent -----------------

ISSUE_DRAFT = "Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx"   # 8 deletions by its author


def returned_as_sent_case(folder: Path, groups: int = 5) -> rt.Case:
    """Issue 12's draft that carries its author's tracked deletions: each group sends the
    draft itself back, with one comment of its own; the deletions are the draft's."""
    here = folder / "as-sent"
    (here / "returns").mkdir(parents=True, exist_ok=True)
    draft_path = here / "draft.docx"
    shutil.copyfile(CORPUS / ISSUE_DRAFT, draft_path)
    names = [f"group-{k}" for k in range(1, groups + 1)]
    returns = {}
    for k, group in enumerate(names):
        doc = ed.Docx.open(draft_path)
        plain = ed.plain_paragraphs(doc, min_words=2)
        if plain:
            para = plain[k % len(plain)]
            s, e = ed.words_at(para, 0.5)
            ed.add_comment(doc, para, f"{group} comments here.", f"Person {k + 1}", "P", DATE,
                           words=para[s:e])
        returns[group] = doc.save(here / "returns" / f"{group}.docx")
    draft = load_draft(draft_path)
    everything = tuple(s.id for s in draft.sections)
    out = here / "collated.docx"
    collate(draft, list(returns.values()), [Allocation(g, everything) for g in names]).save(out)
    return rt.Case(out, set(names), returns, None, draft_path)

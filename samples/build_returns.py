"""Build samples/returns/: the sample draft's packs as seven groups marked them up (or not).

Run ``python samples/build_returns.py [FOLDER]``. The scenario below is the one source of truth:
it is applied to the packs with tests/edit_docx.py and written out as SCENARIO.md and
scenario.json, so tests can assert exactly what each group did.

Every file is the same bytes on every run except Group 6's, which LibreOffice saves (it stamps
its own ids and times); ``build(folder, libreoffice=False)`` leaves that one out.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (REPO, REPO / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import edit_docx as ed                              # noqa: E402  (tests/edit_docx.py)
from consult.allocate import allocate               # noqa: E402
from consult.model import Allocation, Draft        # noqa: E402
from consult.allocate import allocation_csv          # noqa: E402
from consult.packs import write_packs               # noqa: E402
from consult.split import load_draft                # noqa: E402

DRAFT = HERE / "sen-policy-draft.docx"
OUTPUT = HERE / "returns"
GROUPS = [f"Group {n}" for n in range(1, 8)]
SHARED = "3.2"          # given to Groups 2, 3 and 4, so that they can agree and conflict
LO_PROFILE = "file:///tmp/lo-profile-returns"
LO_TIMEOUT = 180        # seconds for one conversion, first start of a profile included


@dataclass(frozen=True)
class Person:
    name: str
    initials: str


@dataclass(frozen=True)
class Edit:
    """One thing a group did, in the draft paragraph that holds ``para``.

    ``old``: the words taken out (replace, delete) or the whole paragraph (delete-paragraph).
    ``new``: the words put in (replace, insert, insert-paragraph-after/-before).
    ``anchor``: the words commented on (comment); the words the new text follows (insert);
    the words that start the second part (split-paragraph). A reply has no anchor of its own.
    """

    kind: str
    para: str = ""
    old: str = ""
    new: str = ""
    anchor: str = ""
    comment: str = ""
    by: Person | None = None
    date: str = ""
    reply_to: str = ""          # the text of the comment replied to
    resolved: bool = False
    tracked: bool = True


@dataclass(frozen=True)
class Plan:
    """What one group sent back: ``file`` None means nothing came back."""

    group: str
    file: str | None
    author: Person | None
    date: str
    edits: tuple[Edit, ...] = ()
    libreoffice: bool = False


PRIYA, TOM = Person("Priya Shah", "PS"), Person("Tom Reed", "TR")
AISHA, BEN = Person("Aisha Khan", "AK"), Person("Ben Walsh", "BW")
CARMEN, DAN = Person("Carmen Diaz", "CD"), Person("Dan Hughes", "DH")
EVE, SAM = Person("Eve Morgan", "EM"), Person("Sam Okafor", "SO")
G1_QUESTION = ("Should we explain what 'SEN support' means here, for parents who are new to "
               "it?")
G6_QUESTION = "Several secondary schools now ask to start in the spring term of Year 6."

AGREED = Edit("replace", "The SEN governor meets the SENCO at least once a term", "once", "twice")
BOARD_SENTENCE = (" The board as a whole approves this policy, publishes the SEN information "
                  "report each year and monitors the accessibility plan.")

SCENARIO = (
    Plan("Group 1", "Group 1 - SEN policy comments.docx", PRIYA, "2026-10-05T10:00:00Z", (
        Edit("comment", "This policy sets out how",
             anchor="special educational needs and disabilities (SEND)", comment=G1_QUESTION),
        Edit("reply", comment="Agreed. A one-line definition, pointing to 2.1, would do.",
             by=TOM, date="2026-10-05T11:30:00Z", reply_to=G1_QUESTION),
        Edit("comment", "This policy is written to meet", anchor="Children and Families Act 2014",
             comment="Check this reference against the local authority's model policy.",
             resolved=True),
        Edit("replace", "We believe that every child", "broad and balanced",
             "broad, balanced and ambitious"),
        Edit("replace", "The SENCO will brief staff", "brief staff",
             "brief all staff and governors"),
        Edit("insert-paragraph-after", "These aims are reviewed by governors each year",
             new="Pupils and their parents will also be asked each year how well we are "
                 "meeting these aims."),
    )),
    Plan("Group 2", "Group 2.docx", AISHA, "2026-10-06T14:00:00Z", (
        AGREED,
        Edit("replace", "The governing board must use its best endeavours", "best endeavours",
             "all reasonable efforts"),
        Edit("replace", "The board as a whole approves this policy", "each year",
             "every autumn term"),
        Edit("comment", "The special educational needs co-ordinator (SENCO) is",
             anchor="protected time each week",
             comment="How many hours a week? Parents will want to know."),
    )),
    Plan("Group 3", "Group 3 response.docx", BEN, "2026-10-06T15:30:00Z", (
        AGREED,
        Edit("insert", "The headteacher also makes sure", anchor="dealt with promptly and fairly",
             new=", in line with the complaints procedure in 10.1"),
        Edit("insert-paragraph-before", "Teaching assistants work under the direction",
             new="Support staff are trained before they deliver an intervention, and the SENCO "
                 "checks that the training is kept up to date."),
    )),
    Plan("Group 4", "Group 4.docx", CARMEN, "2026-10-07T09:15:00Z", (
        Edit("replace", "The governing board must use its best endeavours", "best endeavours",
             "full powers"),
        Edit("delete", "and reports to the full board.", BOARD_SENTENCE),
        Edit("comment", "The effectiveness of the support and its impact",
             anchor="at least three times a year",
             comment="Is three reviews a year realistic for every pupil on SEN support?"),
    )),
    Plan("Group 5", "Group 5.docx", DAN, "2026-10-07T16:45:00Z", (
        Edit("delete-cover", tracked=False),
        Edit("replace", "A pupil is removed from the SEN register", "at least two terms",
             "at least one full term", tracked=False),
        Edit("replace", "An EHC plan is reviewed at least every", "twelve months", "12 months",
             tracked=False),
        Edit("delete-paragraph", "Parents may also request an assessment themselves.",
             tracked=False),
        Edit("split-paragraph", "The parents of a pupil receiving SEN support are invited",
             anchor="These meetings are longer", tracked=False),
        Edit("comment", "The local authority must decide within six weeks",
             anchor="no more than twenty weeks",
             comment="Parents tell us it often takes longer. What does the school do while "
                     "they wait?"),
    )),
    Plan("Group 6", "Group 6 (LibreOffice).docx", EVE, "2026-10-08T11:00:00Z", (
        Edit("replace", "Children who join at other times of the year", "four weeks",
             "two weeks"),
        Edit("insert", "Pupils are asked for their views at every stage", anchor="talking mats",
             new=", photographs"),
        Edit("delete", "Pupils who need them are given additional transition visits",
             "often in a small group with a familiar adult, "),
        Edit("comment", "The SENCO contacts the SENCOs of the receiving secondary schools",
             anchor="during the summer term of Year 6", comment=G6_QUESTION),
        Edit("reply", comment="Agreed, and earlier still for pupils with EHC plans.", by=SAM,
             date="2026-10-08T12:00:00Z", reply_to=G6_QUESTION),
    ), libreoffice=True),
    Plan("Group 7", None, None, ""),
)


# -- allocation and packs ---------------------------------------------------------------------

def allocations(draft: Draft) -> list[Allocation]:
    """The balanced allocation, with SHARED also given to the groups either side of it."""
    plain = allocate(draft, GROUPS, coverage=1)
    order = [s.id for s in draft.sections]
    out = []
    for a in plain:
        ids = set(a.sections)
        if a.group in ("Group 2", "Group 3", "Group 4"):
            ids.add(SHARED)
        out.append(Allocation(a.group, tuple(sorted(ids, key=order.index))))
    return out


# -- applying the scenario --------------------------------------------------------------------

def apply_plan(pack: Path, plan: Plan, out: Path) -> Path:
    """``plan``'s edits made to a copy of ``pack``, saved as ``out``."""
    doc = ed.Docx.open(pack)
    comment_ids: dict[str, int] = {}
    for edit in plan.edits:
        _apply(doc, edit, plan, comment_ids)
    ed.set_author_in_core(doc, plan.author.name, plan.date)
    return doc.save(out)


def _apply(doc: ed.Docx, e: Edit, plan: Plan, comment_ids: dict[str, int]) -> None:
    who, date = e.by or plan.author, e.date or plan.date
    if e.kind in ("comment", "reply"):
        parent = comment_ids[e.reply_to] if e.kind == "reply" else None
        comment_ids[e.comment] = ed.add_comment(doc, e.para or None, e.comment, who.name,
                                                who.initials, date, reply_to=parent,
                                                resolved=e.resolved, words=e.anchor or None)
    elif e.kind == "replace" and e.tracked:
        ed.track_replace(doc, e.para, e.old, e.new, who.name, date)
    elif e.kind == "replace":
        ed.untracked_replace(doc, e.para, e.old, e.new)
    elif e.kind == "delete":
        ed.track_delete(doc, e.para, e.old, who.name, date)
    elif e.kind == "insert":
        ed.track_insert(doc, e.para, e.anchor, e.new, who.name, date)
    elif e.kind == "insert-paragraph-after":
        ed.track_insert_paragraph_after(doc, e.para, e.new, who.name, date)
    elif e.kind == "insert-paragraph-before":
        ed.track_insert_paragraph_before(doc, e.para, e.new, who.name, date)
    elif e.kind == "delete-paragraph":
        ed.untracked_delete_paragraph(doc, e.para)
    elif e.kind == "split-paragraph":
        ed.untracked_split_paragraph(doc, e.para, e.anchor)
    elif e.kind == "delete-cover":
        ed.delete_cover_page(doc)
    else:
        raise ValueError(f"unknown edit kind {e.kind!r}")


def libreoffice_resave(src: Path, dest: Path, soffice: str = "soffice") -> Path:
    """Open ``src`` in LibreOffice and save it as Word 2007-365 .docx at ``dest``."""
    with tempfile.TemporaryDirectory() as tmp:
        inbox, outbox = Path(tmp, "in"), Path(tmp, "out")
        inbox.mkdir()
        source = inbox / dest.name
        shutil.copyfile(src, source)
        cmd = [soffice, f"-env:UserInstallation={LO_PROFILE}", "--headless", "--convert-to",
               "docx:MS Word 2007 XML", "--outdir", str(outbox), str(source)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=LO_TIMEOUT)
        except FileNotFoundError:
            raise RuntimeError(f"{soffice!r} was not found: install LibreOffice, or build "
                               "without Group 6 with build(folder, libreoffice=False).") from None
        result = outbox / dest.name
        if not result.exists():
            raise RuntimeError(f"LibreOffice did not convert {src.name}: "
                               f"{(done.stderr or done.stdout).strip()}")
        shutil.move(str(result), dest)
    return dest


# -- the scenario as facts --------------------------------------------------------------------

def facts(draft: Draft, allocs: list[Allocation]) -> dict:
    """Everything SCENARIO.md says, in the shape of scenario.json."""
    sections = {a.group: list(a.sections) for a in allocs}
    groups, edits = [], []
    for plan in SCENARIO:
        groups.append({"group": plan.group, "sections": sections[plan.group],
                       "file": plan.file, "returned": plan.file is not None,
                       "author": plan.author.name if plan.file else None,
                       "date": plan.date or None, "libreoffice": plan.libreoffice,
                       "threads_kept": plan.file is not None and not plan.libreoffice,
                       "cover_page": not any(e.kind == "delete-cover" for e in plan.edits)})
        edits += [_fact(draft, plan, e) for e in plan.edits]
    agree, conflict = _overlaps(edits)
    return {"draft": DRAFT.name, "fingerprint": draft.fingerprint, "shared_section": SHARED,
            "groups": groups, "edits": edits, "agreements": agree, "conflicts": conflict}


def _fact(draft: Draft, plan: Plan, e: Edit) -> dict:
    """One edit as facts; a reply is placed where the comment it answers is."""
    who = e.by or plan.author
    at = next(c for c in plan.edits if c.comment == e.reply_to) if e.kind == "reply" else e
    where = _where(draft, at)
    text = draft.paragraphs[where].text if where is not None else ""
    start, end = _span(text, at)
    is_comment = e.kind in ("comment", "reply")
    return {"group": plan.group, "file": plan.file, "kind": e.kind,
            "section": draft.section_of(where).id if where is not None else None,
            "paragraph": where, "start": start, "end": end,
            "tracked": None if is_comment else e.tracked,
            "author": who.name, "initials": who.initials, "date": e.date or plan.date,
            "old": text if e.kind == "delete-paragraph" else e.old, "new": e.new,
            "anchor": at.anchor, "comment": e.comment, "reply_to": e.reply_to or None,
            "resolved": e.resolved, "libreoffice": plan.libreoffice}


def _where(draft: Draft, e: Edit) -> int | None:
    """The index of the one draft paragraph holding ``e.para`` (None for whole-file edits)."""
    if not e.para:
        return None
    found = [i for i, p in enumerate(draft.paragraphs) if e.para in p.text]
    if len(found) != 1:
        raise ValueError(f"{len(found)} draft paragraphs hold {e.para!r}; make it unique.")
    return found[0]


def _span(text: str, e: Edit) -> tuple[int | None, int | None]:
    """Character offsets in the draft paragraph that the edit touches."""
    if not e.para:
        return None, None
    at = text.index(e.para)
    words = e.old or e.anchor
    if e.kind == "delete-paragraph":
        return 0, len(text)
    if e.kind == "insert-paragraph-after":
        return len(text), len(text)
    if e.kind == "insert-paragraph-before":
        return 0, 0
    start = text.index(words, at)
    if e.kind == "insert":
        return start + len(words), start + len(words)
    if e.kind == "split-paragraph":
        return start, start
    return start, start + len(words)


def _overlaps(edits: list[dict]) -> tuple[list[dict], list[dict]]:
    """Text changes by different groups that touch the same draft text: same change or not."""
    changes = [e for e in edits if e["kind"] in ("replace", "delete", "insert")]
    agree, conflict = [], []
    for k, a in enumerate(changes):
        for b in changes[k + 1:]:
            if a["group"] == b["group"] or a["paragraph"] != b["paragraph"]:
                continue
            same_point = a["start"] == a["end"] == b["start"] == b["end"]
            if not (same_point or (a["start"] < b["end"] and b["start"] < a["end"])):
                continue
            pair = {"section": a["section"], "paragraph": a["paragraph"],
                    "groups": [a["group"], b["group"]],
                    "changes": [{key: x[key] for key in ("group", "kind", "start", "end", "old",
                                                         "new")} for x in (a, b)]}
            same = all(a[key] == b[key] for key in ("kind", "start", "end", "old", "new"))
            (agree if same else conflict).append(pair)
    return agree, conflict


def scenario_markdown(f: dict) -> str:
    """SCENARIO.md: the same facts as scenario.json, for people."""
    lines = ["# Sample returns: what each group did", "",
             f"Built by `python samples/build_returns.py` from `samples/{f['draft']}` "
             f"(reference {f['fingerprint']}); `scenario.json` holds the same facts. Packs were "
             f"allocated to seven groups with coverage 1, and section {f['shared_section']} was "
             "also given to Groups 2 and 4 so that Groups 2, 3 and 4 all read it.", "",
             "Every file is byte-for-byte reproducible except the LibreOffice one (Group 6): "
             "LibreOffice writes its own ids, rsids and save times, and may split or join "
             "runs, so only its content is stable. Dates are UTC. Offsets (`start`, `end`) "
             "are characters in the draft paragraph's text (`paragraph` is its index in "
             "`load_draft(...).paragraphs`); a reply is placed on the text of the comment it "
             "answers. Comments have no `tracked` value.", "",
             "LibreOffice 7.4 keeps comments, replies' text and tracked changes (authors and "
             "dates too) but writes no `commentsExtended.xml`: in Group 6's file the reply is "
             "a separate comment on the same text and no comment is resolved "
             "(`threads_kept: false` in scenario.json).", ""]
    for g in f["groups"]:
        state = (f"returned as `{g['file']}` by {g['author']} ({g['date']})" if g["returned"]
                 else "**did not return its pack**")
        extra = "; saved by LibreOffice" if g["libreoffice"] else ""
        extra += "" if g["cover_page"] else "; cover page deleted"
        lines += [f"## {g['group']}", "", f"Sections {', '.join(g['sections'])}; {state}{extra}.",
                  ""]
        mine = [e for e in f["edits"] if e["group"] == g["group"]]
        if mine:
            lines += ["| kind | section | tracked | by | old | new / comment |",
                      "|---|---|---|---|---|---|"]
            lines += [_row(e) for e in mine] + [""]
    lines += ["## Agreements and conflicts", ""]
    for title, rows in (("Agree", f["agreements"]), ("Conflict", f["conflicts"])):
        for r in rows:
            said = "; ".join(f"{c['group']} {c['kind']} \"{c['old']}\""
                             + (f" -> \"{c['new']}\"" if c["new"] else "") for c in r["changes"])
            lines.append(f"- {title} in {r['section']}: {said}.")
    return "\n".join(lines) + "\n"


def _row(e: dict) -> str:
    tracked = {None: "", True: "yes", False: "no"}[e["tracked"]]
    if e["kind"] in ("comment", "reply"):
        flags = (f" (reply to \"{e['reply_to']}\")" if e["reply_to"] else "")
        flags += " (resolved)" if e["resolved"] else ""
        old, new = (f"on \"{e['anchor']}\"" if e["anchor"] else ""), f"\"{e['comment']}\"{flags}"
    elif e["kind"] == "split-paragraph":
        old, new = "", f"new paragraph starts at \"{e['anchor']}\""
    elif e["kind"] == "insert":
        old, new = f"after \"{e['anchor']}\"", f"\"{e['new']}\""
    else:
        old = f"\"{e['old']}\"" if e["old"] else ""
        new = f"\"{e['new']}\"" if e["new"] else ""
    cells = [e["kind"], e["section"] or "", tracked, e["author"], old, new]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


# -- the build ---------------------------------------------------------------------------------

def build(folder: str | Path = OUTPUT, libreoffice: bool = True) -> list[Path]:
    """Write the returns, SCENARIO.md and scenario.json into ``folder``; return the paths."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    draft = load_draft(DRAFT)
    allocs = allocations(draft)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        packs = dict(zip(GROUPS, write_packs(draft, allocs, tmp)))
        for plan in SCENARIO:
            if plan.file is None or (plan.libreoffice and not libreoffice):
                continue
            if plan.libreoffice:
                edited = apply_plan(packs[plan.group], plan, Path(tmp, "edited.docx"))
                written.append(libreoffice_resave(edited, out / plan.file))
            else:
                written.append(apply_plan(packs[plan.group], plan, out / plan.file))
    f = facts(draft, allocs)
    (out / "scenario.json").write_text(json.dumps(f, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    (out / "SCENARIO.md").write_text(scenario_markdown(f), encoding="utf-8")
    (out / "allocation.csv").write_text(allocation_csv(draft, allocs), encoding="utf-8")
    return written + [out / "scenario.json", out / "SCENARIO.md", out / "allocation.csv"]


if __name__ == "__main__":
    for path in build(sys.argv[1] if len(sys.argv) > 1 else OUTPUT):
        print(f"wrote {path}")

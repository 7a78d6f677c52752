"""Ingest annotated returns: find every annotation and its place in the draft."""
from __future__ import annotations

import glob
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .align import Alignment, Locator, align, norm
from .errors import ConsultError, InputError, UsageError
from .model import (Allocation, Draft, IngestResult, Placed, Pos, Rejected, Return, Revision,
                    Unplaced, Place)
from .boxes import in_boxes
from .notes import place_in_notes
from .chunks import ALT_CHUNK, settle
from .fields import as_draft, by_paragraph
from .notes_diff import untracked_in_notes
from .notes_new import place_new_notes
from .ooxml.annotations import TEXT_BOX_STORY, FileAnnotations, read_file_annotations
from .ooxml.comments_read import comment_key
from .ooxml.objects import carry, uses_parts
from .ooxml.build import OUR_STYLES, SUMMARY_STYLE
from .ooxml.package import Limits, Package
from .ooxml.parts import read_identity
from .packs import COVER_TITLE, NOTE_TEXTS
from .results import Message, Messages, safe_text
from .textdiff import similarity
from .untracked import deleted_at, differences
from .untracked_pictures import untracked_pictures
from .words import agree, count

MIN_SHARE_KNOWN = 0.5       # a pack of this draft must match at least this share of paragraphs
MIN_SHARE_UNKNOWN = 0.3     # a file with no pack identity must match at least this share
CARRIED = ("object-insert", "object-delete", "row-insert")    # see _with_objects
DOCX_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")


def expand_inputs(items: Iterable[str | Path]) -> list[Path]:
    """Files, folders (their .docx files) and glob patterns, sorted and without duplicates."""
    out: list[Path] = []
    for item in items:
        text = str(item)
        path = Path(text)
        if path.is_dir():
            out += sorted(p for p in path.iterdir()
                          if not p.is_dir() and not p.name.startswith(("~$", "."))
                          and p.suffix.lower() in DOCX_SUFFIXES + (".doc", ".odt"))
        elif any(ch in text for ch in "*?[") and not path.exists():
            out += sorted(Path(p) for p in glob.glob(text))
        else:
            out.append(path)
    seen, unique = set(), []
    for p in out:
        key = os.path.abspath(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def ingest(draft: Draft, returns: Iterable[str | Path],
           allocations: list[Allocation] | None = None, limits: Limits = Limits(),
           progress: Callable[[Path], None] | None = None, jobs: int = 1) -> IngestResult:
    """Read each return and place its annotations on ``draft``; bad files are rejected.

    With ``jobs`` > 1 the returns are read in that many processes; results keep input order.
    """
    if jobs < 1:
        raise UsageError("the number of jobs must be at least 1.")
    result = IngestResult()
    paths = expand_inputs(returns)
    for path, outcome in zip(paths, _read_each(draft, paths, allocations, limits, jobs,
                                               progress)):
        if isinstance(outcome, Return):
            result.returns.append(outcome)
        else:
            result.rejected.append(Rejected(safe_text(path), outcome))
    _drop_superseded(result)
    return result


def _read_each(draft: Draft, paths: list[Path], allocations, limits: Limits, jobs: int,
               progress) -> Iterator[Return | str]:
    """Each path's Return, or the reason it was rejected, in input order."""
    if jobs == 1 or len(paths) < 2:
        for path in paths:
            if progress:
                progress(path)
            yield _attempt(draft, path, allocations, limits)
        return
    with ProcessPoolExecutor(min(jobs, len(paths)), initializer=_start_worker,
                             initargs=(draft, allocations, limits)) as pool:
        try:
            for path, outcome in zip(paths, pool.map(_work, paths)):
                if progress:
                    progress(path)
                yield outcome
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise


def _attempt(draft: Draft, path: Path, allocations, limits: Limits) -> Return | str:
    try:
        return ingest_one(draft, path, allocations, limits)
    except ConsultError as exc:
        return _reason(exc, path)


_WORKER: tuple = ()         # (draft, allocations, limits) in a pool process


def _start_worker(draft: Draft, allocations, limits: Limits) -> None:
    global _WORKER
    _WORKER = (draft, allocations, limits)


def _work(path: Path) -> Return | str:
    draft, allocations, limits = _WORKER
    return _attempt(draft, path, allocations, limits)


def _reason(exc: ConsultError, path: Path) -> str:
    if isinstance(exc, InputError):
        return exc.problem
    return str(exc)


def ingest_one(draft: Draft, path: str | Path, allocations: list[Allocation] | None = None,
               limits: Limits = Limits()) -> Return:
    """One return mapped onto the draft; raise InputError when it cannot be used."""
    pkg = Package.open(path, limits)
    messages = Messages()
    identity = read_identity(pkg)
    found = read_file_annotations(pkg, own=draft.own_keys)
    if SUMMARY_STYLE in found.body.styles:
        raise InputError(path, "is a collated document written by consult, not a group's "
                               "return; leave it out of the returns.")
    messages.extend(found.messages)
    found, own_comments = _without_own_comments(draft, found)
    found, undone = _without_undone(found)
    if undone:
        messages.info(f"{count(undone, 'deletion')} of text inserted in the same return "
                      f"{agree(undone, 'changes', 'change')} nothing in the draft and "
                      f"{agree(undone, 'was', 'were')} left out (the rest of "
                      f"{agree(undone, 'the', 'each')} insertion is kept)",
                      str(path))
    if found.own_revisions or own_comments:
        what = [w for w, n in (("the draft's own tracked changes", found.own_revisions),
                               (f"{own_comments} of the draft's own comments", own_comments))
                if n]
        messages.info(f"it carries {' and '.join(what)}; they are the draft's, not the "
                      "group's", str(path))
    ret = found.body.paragraphs
    texts, norms, norm_set = _draft_text(draft)
    ret_norms = [norm(t) for t in ret]
    skip = _our_paragraphs(found, norm_set, ret_norms)
    alignment = align(texts, 0, len(texts), ret, skip, found.body.hints, norms, ret_norms)
    same_draft = identity.get("draft") == draft.fingerprint
    if identity.get("draft") and not same_draft:
        messages.warn("this pack was made from a different version of the draft "
                      f"({identity['draft']}, draft is {draft.fingerprint})", str(path))
    share = alignment.matched_share
    if share < (MIN_SHARE_KNOWN if identity.get("draft") else MIN_SHARE_UNKNOWN) and not (
            same_draft and not ret):
        raise InputError(path, f"only {share:.0%} of its paragraphs match this draft: it is "
                               "a response to a different document. Check that you collate "
                               "the right draft.")
    group, how = _group(path, identity, allocations)
    sections = _sections(draft, identity, alignment, ret)
    more = _restrict(draft, alignment, sections, texts, ret)
    if more:
        if identity.get("sections"):
            messages.info(f"it edits text outside its sections (section {', '.join(more)}); "
                          "the edits are kept", str(path))
        sections = [s.id for s in draft.sections if s.id in set(sections) | set(more)]
    author = _core(pkg, "lastModifiedBy")
    alignment, in_chunks, said = settle(draft, ret, alignment, author or group, bool(
        draft.alt_chunks) and pkg.body().find(f".//{ALT_CHUNK}") is not None)
    locate = Locator(texts, ret, alignment)
    compared = as_draft(texts, {p.index: list(p.fields) for p in draft.paragraphs if p.fields},
                        ret, by_paragraph(found.body.fields), alignment)
    extra, revived = differences(texts, compared, alignment, author or group,
                                 _own_deleted(draft))
    placed, unplaced = _place(draft, found, locate, skip)
    placed, uncopied = _with_objects(pkg, placed)
    unplaced += uncopied
    in_notes, unplaced = place_in_notes(draft, pkg, unplaced)
    note_edits, note_left = untracked_in_notes(draft, pkg, author or group, set(sections))
    in_notes += note_edits
    whole, unplaced = place_new_notes(draft, pkg, unplaced + note_left, locate)
    in_notes += whole
    boxed, unplaced, box_untracked = in_boxes(draft, pkg, unplaced, locate, author or group)
    in_notes += boxed
    extra, dropped = _lost_own_changes(draft, found, alignment, extra)
    unplaced += _converted(dropped, revived, messages, str(path))
    unplaced += in_chunks
    for text in said:
        messages.info(text, str(path))
    pictures, pictures_left = untracked_pictures(draft, pkg, found.body.elements, locate,
                                                 alignment, author or group)
    placed += pictures
    unplaced += pictures_left
    placed += [Placed(r, _place_of(draft, r)) for r in extra if r.start is not None]
    unplaced += [Unplaced(r, "text typed without Track Changes where no paragraph of the "
                             "return matches the draft on either side, so it has no place")
                 for r in extra if r.start is None]
    untracked = (len(extra) + len(note_edits) + len(note_left) + box_untracked + len(pictures)
                 + len(pictures_left))
    if untracked:
        messages.info(f"{count(untracked, 'edit')} {agree(untracked, 'was', 'were')} made "
                      "without Track Changes" + (
            f" ({len(note_edits) + len(note_left)} in footnotes or endnotes)"
            if note_edits or note_left else "") + (f" ({box_untracked} in text boxes)"
                                                   if box_untracked else ""), str(path))
    found_count = len(found.comments) + len(found.revisions) + untracked
    return Return(safe_text(path), group, tuple(sections), how, tuple(placed), tuple(unplaced),
                  found_count, tuple(messages), _core(pkg, "modified"), tuple(in_notes))


REVIVED = ("text the draft's own tracked changes deleted, which this return holds again: a "
           "converter such as LibreOffice dropped or rewrote the deletion (or the group typed "
           "it again without Track Changes); not counted as the group's edit")


def _converted(dropped: list[Unplaced], revived: list[Revision], messages: Messages,
               where: str) -> list[Unplaced]:
    """What a converter did to the draft's own changes, listed as unplaced, with a warning."""
    if dropped:
        messages.warn(f"some of the draft's own tracked changes are gone from this return (a "
                      "converter such as LibreOffice may have dropped them); "
                      f"{count(len(dropped), 'piece')} of the text they inserted, missing "
                      f"here, {agree(len(dropped), 'is', 'are')} listed as unplaced, not counted "
                      "as the group's edits", where)
    if revived:
        n = len(revived)
        messages.warn(f"{count(n, 'piece')} of text that the draft's own tracked changes "
                      f"deleted {agree(n, 'is', 'are')} back in this return (a converter such "
                      "as LibreOffice may have dropped or rewritten the deletions); "
                      f"{agree(n, 'it is', 'they are')} listed as unplaced, not counted as the "
                      "group's edits", where)
    return dropped + [Unplaced(r, REVIVED) for r in revived]
_DELETED: tuple = (None, {})     # (draft, its own deleted text by place) of the last draft


def _own_deleted(draft: Draft) -> dict:
    global _DELETED
    if _DELETED[0] is not draft:
        _DELETED = (draft, deleted_at(draft.own_deleted))
    return _DELETED[1]


_TEXT: tuple = (None,)      # (draft, texts, normalised texts, their set) of the last draft


def _draft_text(draft: Draft) -> tuple[list[str], list[str], set[str]]:
    """The draft's paragraph texts, normalised, and their set: worked out once a draft."""
    global _TEXT
    if _TEXT[0] is not draft:
        texts = [p.text for p in draft.paragraphs]
        norms = [norm(t) for t in texts]
        _TEXT = (draft, texts, norms, set(norms))
    return _TEXT[1], _TEXT[2], _TEXT[3]


def _our_paragraphs(found: FileAnnotations, draft_texts: set[str],
                    normed: list[str]) -> set[int]:
    """Cover page and notes that consult added to the pack (by style, else by text);
    ``normed``: the return's paragraphs, normalised."""
    skip = {i for i, s in enumerate(found.body.styles) if s in OUR_STYLES}
    skip |= {i for i, t in enumerate(normed) if t in NOTE_TEXTS}
    if normed and normed[0].startswith(COVER_TITLE) and 0 not in skip:
        for i, t in enumerate(normed):
            if t in draft_texts and t:
                break
            skip.add(i)
    return skip


def _group(path, identity: dict, allocations: list[Allocation] | None) -> tuple[str, str]:
    names = [a.group for a in allocations] if allocations else []
    if identity.get("group") and (not names or identity["group"] in names):
        return identity["group"], "pack"
    stem = Path(path).stem
    key = _key(stem)
    for name in sorted(names, key=len, reverse=True):
        k = _key(name)
        if k and (key == k or re.search(rf"(^|[^a-z0-9]){re.escape(k)}($|[^a-z0-9])",
                                         _spaced(stem))):
            return name, "file name"
    return (safe_text(identity.get("group") or stem),
            "pack" if identity.get("group") else "file name")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _spaced(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).replace(" ", "")


def _sections(draft: Draft, identity: dict, alignment: Alignment, ret: list[str]) -> list[str]:
    ids = [s.id for s in draft.sections]
    wanted = [s for s in identity.get("sections", "").split(";") if s in ids]
    if wanted:
        return wanted
    chars: dict[str, int] = {}
    hits: dict[str, int] = {}
    for r, d in alignment.pairs.items():
        sid = draft.section_of(d).id
        chars[sid] = chars.get(sid, 0) + len(norm(ret[r]))
        hits[sid] = hits.get(sid, 0) + 1
    out = []
    for s in draft.sections:
        total = sum(len(norm(p.text)) for p in draft.paragraphs[s.start:s.end])
        if total == 0:
            if hits.get(s.id, 0) == s.end - s.start:     # an empty section, all there
                out.append(s.id)
        elif chars.get(s.id, 0) >= min(40, total) or chars.get(s.id, 0) / total >= 0.25:
            out.append(s.id)
    return out


EDITED_SIMILARITY = 0.5     # a draft paragraph this like a return paragraph was edited, not left out
MAX_GAP_PAIRS = 400         # compare at most this many paragraph pairs in one gap


def _restrict(draft: Draft, alignment: Alignment, sections: list[str], texts: list[str],
              ret: list[str]) -> list[str]:
    """Forget matches and gaps outside the return's sections, except draft paragraphs the
    return holds edited (a heading with a changed word): return the sections those are in."""
    inside = set()
    for sid in sections:
        s = draft.section(sid)
        inside.update(range(s.start, s.end))
    edited = _edited_outside(alignment, inside, texts, ret)
    inside |= edited
    more = sorted({draft.section_of(d).id for d in edited if draft.section_of(d)} -
                  set(sections))
    for r, d in list(alignment.pairs.items()):
        if d not in inside:
            del alignment.pairs[r]
    for gap in alignment.gaps:
        gap.draft = [d for d in gap.draft if d in inside]
    for gap in alignment.gaps:
        if gap.after is not None and gap.after not in inside:
            gap.after = None
        if gap.before is not None and gap.before not in inside:
            gap.before = None
    return more


def _edited_outside(alignment: Alignment, inside: set[int], texts: list[str],
                    ret: list[str]) -> set[int]:
    """Draft paragraphs outside ``inside`` that a return paragraph of the same gap is an
    edited copy of."""
    out: set[int] = set()
    for gap in alignment.gaps:
        outside = [d for d in gap.draft if d not in inside and norm(texts[d])]
        if not outside or not gap.ret or len(outside) * len(gap.ret) > MAX_GAP_PAIRS:
            continue
        normed = [norm(ret[r]) for r in gap.ret if norm(ret[r])]
        for d in outside:
            text = norm(texts[d])
            if any(_alike(text, r) for r in normed):
                out.add(d)
    return out


def _alike(a: str, b: str) -> bool:
    """``b`` is an edited copy of ``a``: similar lengths, shared words, similar text."""
    if not 0.5 <= len(a) / len(b) <= 2:
        return False
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if len(wa & wb) * 3 < min(len(wa), len(wb)):
        return False
    return similarity(a, b) >= EDITED_SIMILARITY


def _without_own_comments(draft: Draft, found: FileAnnotations) -> tuple[FileAnnotations, int]:
    """The return's annotations without the comments the draft itself carries; a reply to
    one of those stays, as a comment of its own."""
    if not draft.own_keys:
        return found, 0
    own = {c.id for c in found.comments
           if comment_key(c.author, c.date, c.text) in draft.own_keys}
    if not own:
        return found, 0
    kept = [c if c.parent not in own else replace(c, parent=None)
            for c in found.comments if c.id not in own]
    return replace(found, comments=kept), len(own)


def _lost_own_changes(draft: Draft, found: FileAnnotations, alignment: Alignment,
                      extra: list[Revision]) -> tuple[list[Revision], list[Unplaced]]:
    """Where a return paragraph no longer holds the draft's own tracked changes that the
    draft paragraph has, text missing from what the draft's authors inserted there is what
    a converter dropped (or the group rejecting the draft's change), not what the group
    typed. (Their deleted text coming back is found by the diff, see untracked.differences.)"""
    if not draft.own_paragraphs or not extra:
        return extra, []
    held = {alignment.pairs[r] for r in found.own_paragraphs if r in alignment.pairs}
    for gap in alignment.gaps:
        if any(r in found.own_paragraphs for r in gap.ret):
            held.update(gap.draft)
    lost = draft.own_paragraphs - held
    spans: dict[int, list[tuple[int, int]]] = {}
    for para, offset, text in draft.own_inserted:
        if para in lost:
            spans.setdefault(para, []).append((offset, offset + len(text)))
    keep, dropped = [], []
    for r in extra:
        if r.kind == "delete" and r.start is not None and r.start.para == r.end.para \
                and _within(spans.get(r.start.para, []), r.start.offset, r.end.offset):
            dropped.append(Unplaced(r, "it is text the draft's own tracked changes inserted, "
                                       "in a paragraph of the return that no longer holds "
                                       "them: a converter may have dropped it"))
        else:
            keep.append(r)
    return keep, dropped


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside the spans, adjacent ones joined."""
    at = start
    for s, e in sorted(spans):
        if s <= at < e:
            at = e
        if at >= end:
            return True
    return False


def _without_undone(found: FileAnnotations) -> tuple[FileAnnotations, int]:
    """Without the text deleted inside the return's own insertions (in neither the draft nor
    the return's accepted text: it changes nothing)."""
    kept = [r for r in found.revisions if not _undone(r)]
    if len(kept) == len(found.revisions):
        return found, 0
    return replace(found, revisions=kept), len(found.revisions) - len(kept)


def _undone(r: Revision) -> bool:
    return r.kind == "delete" and r.start == r.end and bool(r.text)


def _place(draft: Draft, found: FileAnnotations, locate: Locator, skip: set[int]):
    placed: list[Placed] = []
    unplaced: list[Unplaced] = []
    for item in list(found.comments) + list(found.revisions):
        where = _where(draft, item, locate, skip)
        if isinstance(where, str):
            unplaced.append(Unplaced(item, where))
        else:
            placed.append(Placed(item, where))
    return placed, unplaced


def _where(draft: Draft, item, locate: Locator, skip: set[int]) -> Place | str:
    if item.story == TEXT_BOX_STORY:
        return "it is in a text box that does not match any text box of the draft"
    if item.story != "body":
        return (f"it is in the {item.story}, and consult places annotations in the body text "
                "only")
    if item.start is None:
        return "the comment is not anchored anywhere in the document"
    if item.start.para in skip:
        return "it is on the pack's cover page or notes, which are not part of the draft"
    start = locate(item.start.para, item.start.offset)
    end = locate(item.end.para, item.end.offset) if item.end else start
    if start is None:
        return "it is in text that does not match any part of the draft"
    if end is None or end < start:
        end = start
    section = draft.section_of(start[0])
    return Place(section.id if section else "", start[0], start[1], end[1], end[0])


def _with_objects(pkg: Package, placed: list[Placed]) -> tuple[list[Placed], list[Unplaced]]:
    """Placed revisions with each inserted image or shape (or table row holding one) bundled
    with the parts it uses (a deleted one needs only its place and description); one that
    uses parts consult does not copy is listed instead, with the reason."""
    keep: list[Placed] = []
    out: list[Unplaced] = []
    for p in placed:
        item = p.item
        if not isinstance(item, Revision) or item.kind not in CARRIED \
                or (item.kind == "row-insert" and not uses_parts(item.props)):
            keep.append(p)
        elif item.kind == "object-delete":
            keep.append(Placed(replace(item, props=""), p.place))
        else:
            bundle, why = carry(pkg, item.props)
            if why:
                what = (f"an image or shape inserted with Track Changes ({item.text})"
                        if item.kind == "object-insert" else "a table row inserted with Track "
                        "Changes that holds an image or shape")
                out.append(Unplaced(item, f"{what} that consult cannot copy: {why}"))
            else:
                keep.append(Placed(replace(item, props=bundle), p.place))
    return keep, out


def _place_of(draft: Draft, r: Revision) -> Place:
    section = draft.section_of(r.start.para)
    return Place(section.id if section else "", r.start.para, r.start.offset, r.end.offset,
                 r.end.para)


def _core(pkg: Package, name: str) -> str | None:
    part = "docProps/core.xml"
    if part not in pkg.parts:
        return None
    try:
        root = pkg.xml(part)
    except InputError:
        return None
    for el in root:
        if isinstance(el.tag, str) and el.tag.endswith("}" + name):
            return (el.text or "").strip() or None
    return None


def _mtime(path: str) -> float:
    """When the file was last changed; 0 when it has gone since it was read."""
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


def _drop_superseded(result: IngestResult) -> None:
    """When one group returned more than once, keep the newest and say so."""
    by_group: dict[str, list[tuple]] = {}
    for k, r in enumerate(result.returns):
        by_group.setdefault(r.group, []).append(
            (r.modified or "", _mtime(r.path), r.path, k))
    drop: list[int] = []
    for group, items in by_group.items():
        if len(items) < 2:
            continue
        items.sort()
        newest = items[-1][2]
        for *_, old_path, k in items[:-1]:
            drop.append(k)
            result.rejected.append(Rejected(old_path, f"superseded by the newer return "
                                                      f"{Path(newest).name} from {group}"))
            result.messages.append(Message(
                "warning", f"{group} returned more than once; {Path(newest).name} (the "
                f"newest) was used and {Path(old_path).name} was set aside", old_path))
    for k in sorted(drop, reverse=True):
        del result.returns[k]


__all__ = ["ingest", "ingest_one", "expand_inputs", "Pos"]

"""Ingest annotated returns: find every annotation and its place in the draft."""
from __future__ import annotations

import gc
import glob
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .align import Locator, align, norm
from .errors import ConsultError, InputError, UsageError
from .model import Allocation, Draft, IngestResult, Placed, Pos, Rejected, Return, Unplaced
from .boxes import in_boxes
from .notes import place_in_notes
from .chunks import ALT_CHUNK, settle
from .fields import as_draft, by_paragraph, without
from .gcwindow import THRESHOLDS, fewer_passes
from .frames import framed
from .ingest_match import (EDITED_SIMILARITY, MAX_GAP_PAIRS, _bare_text, _draft_fields,  # noqa: F401
                           _draft_text, _group, _our_paragraphs, _restrict, _sections)
from .ingest_own import (REVIVED, _converted, _lost_own_changes, _own_deleted,  # noqa: F401
                         _without_own_comments, _without_undone)
from .ingest_place import CARRIED, _place, _place_of, _with_objects  # noqa: F401
from .notes_diff import untracked_in_notes
from .notes_new import place_new_notes
from .ooxml.annotations import read_file_annotations
from .ooxml.build import SUMMARY_STYLE
from .ooxml.package import Limits, Package
from .ooxml.parts import read_identity
from .results import Message, Messages, safe_text
from .untracked import differences, only_revived
from .untracked_pictures import untracked_pictures
from .words import agree, count

MIN_SHARE_KNOWN = 0.5       # a pack of this draft must match at least this share of paragraphs
MIN_SHARE_UNKNOWN = 0.3     # a file with no pack identity must match at least this share
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
    with fewer_passes():
        return _ingest(draft, returns, allocations, limits, progress, jobs)


def _ingest(draft: Draft, returns, allocations, limits: Limits, progress,
            jobs: int) -> IngestResult:
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
    gc.set_threshold(*THRESHOLDS)       # a worker of consult's own: see gcwindow


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
    draft_fields, ret_fields = _draft_fields(draft), by_paragraph(found.body.fields)
    if draft_fields and ret_fields:     # matched with the fields' results left out
        bare, ret_bare = _bare_text(draft, texts, draft_fields), without(ret, ret_fields)
        alignment = align(bare[0], 0, len(texts), ret_bare, skip, found.body.hints, bare[1],
                          [norm(t) for t in ret_bare])
    else:
        alignment = align(texts, 0, len(texts), ret, skip, found.body.hints, norms, ret_norms)
    same_draft = identity.get("draft") == draft.fingerprint
    if identity.get("draft") and not same_draft:
        messages.warn("this pack was made from a different version of the draft "
                      f"({identity['draft']}, draft is {draft.fingerprint})", str(path))
    share, least = alignment.matched_share, (MIN_SHARE_KNOWN if identity.get("draft")
                                              else MIN_SHARE_UNKNOWN)
    if share < least and draft.own_deleted:     # a converter undid the draft's deletions
        share += only_revived(texts, ret, alignment, _own_deleted(draft)) / max(
            1, len(alignment.pairs) + sum(len(g.ret) for g in alignment.gaps))
    if share < least and not (same_draft and not ret):
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
    ret, in_frames = framed(draft, pkg, norms, ret, alignment)     # gaps inside the sections
    author = _core(pkg, "lastModifiedBy")
    alignment, in_chunks, said = settle(draft, ret, alignment, author or group, bool(
        draft.alt_chunks) and pkg.body().find(f".//{ALT_CHUNK}") is not None)
    locate = Locator(texts, ret, alignment)
    compared = as_draft(texts, draft_fields, ret, ret_fields, alignment)
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
    boxed, unplaced, box_untracked = in_boxes(draft, pkg, unplaced, locate, author or group,
                                              in_frames)
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

"""The next draft: accept or reject a collated document's tracked changes, drop the comments."""
from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .errors import InputError, UsageError
from .ooxml.document import from_package
from .ooxml.nextdraft import (FAMILY, Change, comment_facts, find_changes, prune_comments,
                              remove_styled_blocks, story_roots, tracking_off)
from .ooxml.package import Limits, Package
from .ooxml.revisions import reject_all, resolve
from .results import Message, Messages

MODES = ("default", "all", "none")
CHOICES = {"accept": "accept", "accepted": "accept", "reject": "reject",
           "rejected": "reject", "leave": "leave", "left": "leave", "keep": "leave"}
CONSULT_AUTHOR = "consult"          # who signs conflict comments
CONFLICT_PREFIX = "Conflict"        # how their text starts
CONSULT_STYLES = "Consult"          # style ids of consult's cover, notes and summary
UNTRACKED = " (untracked)"
JOIN = " & "
NEEDED = ("group", "kind", "text", "decision")


@dataclass(frozen=True)
class Decision:
    """One row of a decisions file: what to do with one group's change."""

    line: int
    group: str
    kind: str
    text: str
    paragraph: str
    decision: str           # accept | reject | leave


@dataclass(frozen=True)
class NextDraft:
    """What accept / reject did: changes accepted, rejected and left, comments and blocks."""

    path: str
    accepted: int
    rejected: int
    left: int
    comments_removed: int
    comments_kept: int
    blocks_removed: int
    messages: tuple[Message, ...] = ()


def accept(collated_path: str | Path, out_path: str | Path, mode: str = "default",
           groups: Iterable[str] | None = None, decisions: str | Path | None = None,
           limits: Limits = Limits()) -> NextDraft:
    """Accept tracked changes and remove comments and consult's blocks: the next draft.

    Each change gets, in this order of precedence:

    * the decision of the ``decisions`` CSV rows that match it. A row (columns group, kind,
      text, decision; paragraph optional) matches a change when the group is one of the
      change's authors (``"Group 1 & Group 2"`` and ``"Group 1 (untracked)"`` both include
      Group 1), the kinds are alike (insert, paragraph-insert, move-to and row-insert are
      insertions; likewise deletions; format and paragraph-format are formatting), and the
      texts are equal with runs of white space (and ¶) as one space. Failing that: changes
      whose text holds the row's; then changes whose texts lie within the row's, when
      together they make up at least half of it (one proposal written in pieces); a row
      whose text is only a paragraph mark takes the changes that hold one. When several
      changes match and the row gives a paragraph (the number Word shows, or the 1-based
      position in the original text), only those in that paragraph are taken. Rows that
      disagree about a change leave it tracked; a row with an empty decision is ignored;
    * with ``groups``: accepted when one of its authors is in ``groups``, else rejected;
    * with ``mode``: "all" accepts it, "none" rejects it, and "default" accepts it unless it
      is in conflict (inside the range of a comment by "consult" whose text starts with
      "Conflict"), when it is left tracked and its conflict comment kept.
    """
    return next_draft(collated_path, out_path, "accept", mode, groups, decisions, limits)


def reject(collated_path: str | Path, out_path: str | Path, mode: str = "default",
           groups: Iterable[str] | None = None, decisions: str | Path | None = None,
           limits: Limits = Limits()) -> NextDraft:
    """As ``accept`` with the roles swapped: ``groups``' changes and, by mode, the rest are
    rejected ("none" accepts everything); decisions rows still mean what they say."""
    return next_draft(collated_path, out_path, "reject", mode, groups, decisions, limits)


def next_draft(path: str | Path, out_path: str | Path, verb: str, mode: str,
               groups: Iterable[str] | None, decisions: str | Path | None,
               limits: Limits = Limits()) -> NextDraft:
    """Resolve every change as ``verb`` and the options say, tidy up and save."""
    if mode not in MODES:
        raise UsageError(f"mode {mode!r} is not one of {', '.join(MODES)}.")
    groups = [g.strip() for g in groups or [] if g.strip()]
    rows = read_decisions(decisions) if decisions else []
    pkg = Package.open(path, limits)
    flagged = {cid for cid, (author, text) in comment_facts(pkg).items()
               if author == CONSULT_AUTHOR and text.startswith(CONFLICT_PREFIX)}
    roots = story_roots(pkg)
    changes = [c for k, root in enumerate(roots) for c in find_changes(root, flagged, k == 0)]
    labels = original_labels(path, limits) if any(r.paragraph for r in rows) else []
    messages = Messages()
    by_change = match_decisions(rows, changes, labels, messages, str(decisions))
    choice_of, counts, keep = {}, Counter(), set()
    for k, change in enumerate(changes):
        choice = choose(change, verb, mode, groups, by_change.get(k, set()))
        counts[choice] += 1
        keep |= change.comments if choice == "leave" else set()
        choice_of.update((node, choice) for node in change.elements)
    fallback = verb if mode != "none" else _other(verb)
    for root in roots:
        resolve(root, lambda node: choice_of.get(node, fallback))
    removed, kept = prune_comments(pkg, roots, keep)
    blocks = remove_styled_blocks(roots[0], CONSULT_STYLES)
    if not counts["leave"]:
        tracking_off(pkg)
    pkg.save(out_path)
    if counts["leave"]:
        messages.info(f"{counts['leave']} changes were left as tracked changes"
                      + (f" with {kept} comments" if kept else ""), str(out_path))
    return NextDraft(str(out_path), counts["accept"], counts["reject"], counts["leave"],
                     removed, kept, blocks, tuple(messages))


def choose(change: Change, verb: str, mode: str, groups: list[str], rows: set[str]) -> str:
    """accept, reject or leave for one change (see ``accept``)."""
    if rows:
        return next(iter(rows)) if len(rows) == 1 else "leave"
    if groups:
        return verb if any(in_group(change.author, g) for g in groups) else _other(verb)
    if mode == "all":
        return verb
    if mode == "none":
        return _other(verb)
    return "leave" if change.comments else verb


def _other(verb: str) -> str:
    return "reject" if verb == "accept" else "accept"


def author_groups(author: str) -> list[str]:
    """The groups a collated change is credited to."""
    name = author[:-len(UNTRACKED)] if author.endswith(UNTRACKED) else author
    return [g.strip() for g in name.split(JOIN) if g.strip()]


def in_group(author: str, group: str) -> bool:
    """Whether ``group`` is one of the authors ("Group 1 (Priya Shah)" counts as Group 1)."""
    want = group.strip().casefold()
    return any(g.casefold() == want or g.casefold().startswith(want + " (")
               for g in author_groups(author))


# -- decisions --------------------------------------------------------------------------------
def read_decisions(path: str | Path) -> list[Decision]:
    """The rows of a decisions CSV that carry a decision."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(path, "file not found.") from None
    except UnicodeDecodeError:
        raise InputError(path, "is not UTF-8 text; save it as 'CSV UTF-8'.") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc}).") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    missing = [f for f in NEEDED if f not in fields]
    if missing:
        raise InputError(path, f"has no {', '.join(missing)} column; decisions need the "
                               f"columns {', '.join(NEEDED)} (and optionally paragraph).")
    out = []
    for row in reader:
        get = lambda name: (row.get(fields.get(name, ""), "") or "").strip()  # noqa: E731
        value = get("decision").lower()
        if not value:
            continue
        if value not in CHOICES:
            raise InputError(path, f"line {reader.line_num}: decision {value!r} is not accept, "
                                   "reject or leave.")
        out.append(Decision(reader.line_num, get("group"), get("kind").lower(),
                            (row.get(fields["text"]) or ""), get("paragraph"), CHOICES[value]))
    return out


def match_decisions(rows: list[Decision], changes: list[Change], labels: list[str],
                    messages: Messages, where: str = "") -> dict[int, set[str]]:
    """change index -> the decisions of the rows that match it (rule in ``accept``)."""
    out: dict[int, set[str]] = {}
    unmatched = []
    for row in rows:
        family = FAMILY.get(row.kind)
        if family is None:
            continue                            # comments and replies have no change
        found = _matching(row, family, changes, labels)
        if not found:
            unmatched.append(str(row.line))
        for k in found:
            out.setdefault(k, set()).add(row.decision)
    if unmatched:
        messages.warn(f"{len(unmatched)} decisions matched no tracked change (lines "
                      f"{', '.join(unmatched)}); those changes follow the mode", where)
    split = sum(1 for v in out.values() if len(v) > 1)
    if split:
        messages.warn(f"{split} changes have rows with different decisions; they were left "
                      "tracked", where)
    return out


def _matching(row: Decision, family: str, changes: list[Change], labels: list[str]) -> list[int]:
    cands = [k for k, c in enumerate(changes)
             if c.family == family and in_group(c.author, row.group)]
    want = _norm(row.text)
    texts = {k: _norm(changes[k].text) for k in cands}
    for rule in (lambda t: t == want, lambda t: bool(want) and want in t):
        found = [k for k in cands if rule(texts[k])]
        if found:
            return _narrow(row, found, changes, labels)
    if not want:                                # a bare paragraph mark
        return _narrow(row, [k for k in cands if "\n" in changes[k].text], changes, labels)
    pieces = _narrow(row, [k for k in cands if texts[k] and texts[k] in want], changes, labels)
    return pieces if 2 * sum(len(texts[k]) for k in pieces) >= len(want) else []


def _narrow(row: Decision, found: list[int], changes: list[Change], labels: list[str]) -> list[int]:
    """Those of ``found`` in the row's paragraph, when it gives one and there are several."""
    if not row.paragraph or len(found) < 2:
        return found
    return [k for k in found if _in_paragraph(row.paragraph, changes[k].paragraph, labels)] \
        or found


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00b6", " ").split())


def _in_paragraph(value: str, index: int, labels: list[str]) -> bool:
    value = value.strip().rstrip(".")
    if index < 0:
        return False
    label = labels[index].strip().rstrip(".") if index < len(labels) else ""
    return value == str(index + 1) or (bool(label) and value == label)


def original_labels(path: str | Path, limits: Limits = Limits()) -> list[str]:
    """The list number of each paragraph of the document with every change rejected."""
    pkg = Package.open(path, limits)
    resolve(pkg.xml(pkg.main), reject_all)
    return [p.num.label if p.num else "" for p in from_package(pkg).paragraphs]


__all__ = ["accept", "reject", "next_draft", "NextDraft", "Decision", "read_decisions",
           "match_decisions", "author_groups", "in_group", "MODES"]

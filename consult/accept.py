"""The next draft: accept or reject a collated document's tracked changes, drop the comments."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .decide import Names, Outcome, author_parts, settle
from .decisions import (Decision, check_groups, disagreements, match_decisions,
                        original_labels, read_decisions)
from .errors import UsageError
from .ooxml.nextdraft import (Change, author_of, comment_facts, find_changes, prune_comments,
                              remove_styled_blocks, story_roots, summary_groups, tracking_off)
from .ooxml.boxes_part import box_names
from .ooxml.notes_part import note_names
from .ooxml.package import Limits, Package
from .ooxml.notes_add import drop_orphan_notes, follow_references
from .ooxml.revisions import resolve
from .results import Message, Messages
from .words import agree, count

MODES = ("default", "all", "none")
CONSULT_AUTHOR = "consult"          # who signs conflict comments
CONFLICT_PREFIX = "Conflict"        # how their text starts
CONSULT_STYLES = "Consult"          # style ids of consult's cover, notes and summary
GROUP_COLUMNS = ("Assigned", "Groups assigned", "Returned")   # the summary table's group
# columns ("Groups assigned" in documents collated before the summary was resized)
CONFLICT_NAME = re.compile(r"Conflict\s+(\S+?):")


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
    left_why: tuple[str, ...] = ()      # "conflict C1, C2: no decision", "1 as decided"

    def closing_line(self) -> str:
        """"Accepted 31 changes, rejected 4, left 2 (conflict C1, C2: no decision)"."""
        word = "change" if self.accepted == 1 else "changes"
        why = f" ({'; '.join(self.left_why)})" if self.left_why else ""
        return f"Accepted {self.accepted} {word}, rejected {self.rejected}, left {self.left}{why}"


def accept(collated_path: str | Path, out_path: str | Path, mode: str = "default",
           groups: Iterable[str] | None = None, decisions: str | Path | None = None,
           limits: Limits = Limits()) -> NextDraft:
    """Accept tracked changes and remove comments and consult's blocks: the next draft.

    A change credited to several groups (an agreement, author ``"Group 2 & Group 4"``) is
    each of those groups' proposal: it is accepted when any of them accepts it, rejected
    when all of them reject it, and undecided while one of them is undecided. Each group's
    say on a change comes from:

    * the ``decisions`` CSV rows that match it. A row (columns group, kind, text, decision;
      paragraph optional) matches a change when the group is one of the change's authors
      (``"Group 1 & Group 2"`` and ``"Group 1 (untracked)"`` both include Group 1), the kinds
      are alike (insert, paragraph-insert, move-to and row-insert are insertions; likewise
      deletions; format and paragraph-format are formatting), and the texts are equal with
      runs of white space (and ¶) as one space. Failing that: changes whose text holds the
      row's; then changes whose texts lie within the row's, when together they make up at
      least half of it (one proposal written in pieces); a row whose text is only a
      paragraph mark takes the changes that hold one. When several changes match and the
      row gives a paragraph (the number Word shows, or the 1-based position in the original
      text), only those in that paragraph are taken. Rows of one group that disagree about a
      change leave it tracked; rows of different groups that disagree about a shared change
      apply the accepting group's version and say so in a message; a row with an empty
      decision is ignored;
    * else, with ``groups``: the projection. Those groups' changes are accepted and every
      other group's change is rejected; changes whose authors are no group (the draft's own
      tracked changes) are accepted. ``accept(groups=["Group 2"])`` is the draft as Group 2
      proposed it.

    An undecided change follows ``mode``: "all" accepts it, "none" rejects it, and "default"
    accepts it unless it is in a conflict (inside the range of a comment by "consult" whose
    text starts with "Conflict") that two or more groups still contest, when it is left
    tracked with its conflict comment. A conflict in which changes of groups that share none
    of them were all accepted is left tracked whole.

    The groups are those the collated document's summary lists, and every name in an
    agreement or an untracked label (without a summary: every author; in a document
    collated with author mode "person", whose labels name people the summary does not list,
    every author too, so ``groups`` then names people). A group name, in ``groups`` or in a
    row, that is neither a group nor an author is an error naming the groups and the
    closest one.
    """
    return next_draft(collated_path, out_path, "accept", mode, groups, decisions, limits)


def reject(collated_path: str | Path, out_path: str | Path, mode: str = "default",
           groups: Iterable[str] | None = None, decisions: str | Path | None = None,
           limits: Limits = Limits()) -> NextDraft:
    """As ``accept`` with the roles swapped: ``groups``' changes are rejected and every other
    change is accepted (an agreement of a rejected group with another stays in, as the other
    group's proposal; a conflict two groups not rejected still contest is left tracked).
    Without ``groups`` the mode rejects what is undecided ("none" accepts everything);
    decisions rows still mean what they say."""
    return next_draft(collated_path, out_path, "reject", mode, groups, decisions, limits)


def next_draft(path: str | Path, out_path: str | Path, verb: str, mode: str,
               groups: Iterable[str] | None, decisions: str | Path | None,
               limits: Limits = Limits()) -> NextDraft:
    """Resolve every change as ``verb`` and the options say, tidy up and save."""
    if mode not in MODES:
        raise UsageError(f"mode {mode!r} is not one of {', '.join(MODES)}.")
    wanted = [g.strip() for g in groups or [] if g.strip()]
    if wanted and mode != "default":
        raise UsageError(f"--all cannot be combined with --group: {verb} --group decides each "
                         "group's changes, and conflicts the others still contest stay "
                         "tracked; use a decisions file to settle them.")
    rows = read_decisions(decisions) if decisions else []
    pkg = Package.open(path, limits)
    facts = comment_facts(pkg)
    flagged = {cid for cid, (author, text) in facts.items()
               if author == CONSULT_AUTHOR and text.startswith(CONFLICT_PREFIX)}
    roots = story_roots(pkg)
    changes = [c for k, root in enumerate(roots) for c in find_changes(root, flagged, k == 0)]
    if any("note" in r.paragraph or "text box" in r.paragraph for r in rows):
        firsts = [c.elements[0] if c.elements else None for c in changes]
        for change, note, box in zip(changes, note_names(pkg, firsts), box_names(pkg, firsts)):
            change.note = note or box
    names = Names.of(summary_groups(roots[0], CONSULT_STYLES, GROUP_COLUMNS),
                     [c.author for c in changes])
    document = Path(path).name
    wanted = _known(wanted, names, document)
    rows = check_groups(rows, names, str(decisions), document)
    messages = Messages()
    outcome = _settle(changes, names, wanted, rows, facts, verb, mode, messages,
                      labels=original_labels(path, limits) if any(r.paragraph for r in rows)
                      else [], where=(str(path), str(decisions)))
    choice_of, counts, keep = {}, Counter(outcome.choices), set()
    for change, choice in zip(changes, outcome.choices):
        keep |= change.comments if choice == "leave" else set()
        choice_of.update((node, choice) for node in change.elements)
    unseen = _unseen(names, wanted, verb, mode)
    followed = follow_references(pkg, roots[0], choice_of)  # a whole note: one change
    for change, choice in zip(changes, outcome.choices):
        if change.elements and all(e in followed for e in change.elements):
            counts[choice] -= 1                 # counted with its reference
    for root in roots:
        resolve(root, lambda node: choice_of.get(node) or unseen(author_of(node)))
    drop_orphan_notes(pkg, roots)
    removed, kept = prune_comments(pkg, roots, keep)
    blocks = remove_styled_blocks(roots[0], CONSULT_STYLES)
    if not counts["leave"]:
        tracking_off(pkg)
    pkg.save(out_path)
    if counts["leave"]:
        n = counts["leave"]
        messages.info(f"{count(n, 'change')} {agree(n, 'was', 'were')} left as tracked "
                      f"{agree(n, 'change', 'changes')}"
                      + (f" with {count(kept, 'comment')}" if kept else ""), str(out_path))
    return NextDraft(str(out_path), counts["accept"], counts["reject"], counts["leave"],
                     removed, kept, blocks, tuple(messages), tuple(outcome.left_why))


def _settle(changes: list[Change], names: Names, wanted: list[str], rows: list[Decision],
            facts: dict[str, tuple[str, str]], verb: str, mode: str, messages: Messages,
            labels: list[str], where: tuple[str, str]) -> Outcome:
    """Each change's choice from ``--group``, the decisions rows and the mode, with messages
    on groups without changes, rows that disagree and conflicts accepted twice."""
    document, decisions = where
    credits = [names.credits(c.author) for c in changes]
    for g in wanted:
        if not any(g in c for c in credits) and names.people:
            raise UsageError(f"{g}: {Path(document).name} credits its changes to people, not "
                             "groups (collated with --author person); name one of "
                             f"{', '.join(names.credited)}.")
        if not any(g in c for c in credits):
            messages.warn(f"{g} has no tracked changes", document)
    decided = [_group_say(c, wanted, names.groups, verb) for c in credits]
    conflicts = [[_conflict_name(cid, facts) for cid in sorted(c.comments, key=_id_order)]
                 for c in changes]
    splits: dict[str, None] = {}
    for k, said in match_decisions(rows, changes, credits, labels, messages, decisions).items():
        decided[k].update(said)
        split = disagreements(said, credits[k])
        if split:
            at = conflicts[k][0] if conflicts[k] else f"\u201c{_short(changes[k].text)}\u201d"
            splits[f"{at}: {split}"] = None
    for text in splits:
        messages.warn(text, decisions)
    outcome = settle(credits, decided, conflicts, _fallback(verb, mode, bool(wanted)),
                     mode == "default")
    for note in outcome.notes:
        messages.warn(note, document)
    return outcome


def _unseen(names: Names, wanted: list[str], verb: str, mode: str):
    """How to resolve a revision that is part of no change found: by its author's groups
    with ``--group``, else by the mode."""
    plain = verb if mode != "none" else _other(verb)
    if not wanted:
        return lambda _author: plain
    def choose(author: str) -> str:
        credits = names.credits(author)
        return settle([credits], [_group_say(credits, wanted, names.groups, verb)], [[]],
                      "accept", False).choices[0]
    return choose


def _known(wanted: list[str], names: Names, document: str) -> list[str]:
    """The groups asked for, as the document names them; a UsageError for an unknown one."""
    out = []
    for g in wanted:
        known = names.find(g)
        if known is None:
            raise UsageError(names.unknown(g, document))
        out.append(known)
    return out


def _group_say(credits: list[str], wanted: list[str], groups: list[str], verb: str) -> dict:
    """What ``--group`` says about each group of one change (nothing for the undecided)."""
    if not wanted:
        return {}
    if verb == "reject":
        return {g: "reject" for g in credits if g in wanted}
    return {g: "accept" if g in wanted else "reject" for g in credits
            if g in wanted or g in groups}


def _fallback(verb: str, mode: str, with_groups: bool) -> str:
    """What an undecided change becomes."""
    if with_groups or (verb == "reject" and mode == "none"):
        return "accept"
    return "reject" if verb == "accept" and mode == "none" else verb


def _conflict_name(cid: str, facts: dict[str, tuple[str, str]]) -> str:
    found = CONFLICT_NAME.match(facts.get(cid, ("", ""))[1])
    return found.group(1) if found else f"comment {cid}"


def _id_order(cid: str) -> tuple:
    return (0, int(cid), "") if cid.isdigit() else (1, 0, cid)


def _short(text: str, most: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[:most - 1] + "\u2026"


def _other(verb: str) -> str:
    return "reject" if verb == "accept" else "accept"


def author_groups(author: str) -> list[str]:
    """The groups a collated change is credited to."""
    return author_parts(author)


def in_group(author: str, group: str) -> bool:
    """Whether ``group`` is one of the authors ("Group 1 (Priya Shah)" counts as Group 1)."""
    want = group.strip().casefold()
    return any(g.casefold() == want or g.casefold().startswith(want + " (")
               for g in author_groups(author))


__all__ = ["accept", "reject", "next_draft", "NextDraft", "Decision", "read_decisions",
           "match_decisions", "author_groups", "in_group", "MODES"]

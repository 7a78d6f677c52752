"""Settle each tracked change from its groups' decisions: agreements, conflicts, what is left."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field


ACCEPT, REJECT, LEAVE = "accept", "reject", "leave"
UNTRACKED = " (untracked)"
JOIN = " & "
NO_DECISION, PARTLY, TWICE, SETTLED = ("no decision", "partly decided",
                                       "accepted for more than one group", "settled")


def author_parts(author: str) -> list[str]:
    """The names a collated change's author credits ("A & B (untracked)" -> A, B)."""
    name = author[:-len(UNTRACKED)] if author.endswith(UNTRACKED) else author
    return [g.strip() for g in name.split(JOIN) if g.strip()]


@dataclass
class Names:
    """The groups of a collated document and every name its changes credit."""

    groups: list[str]                       # the known groups, in the document's order
    credited: list[str] = field(default_factory=list)   # every canonical author name
    people: bool = False        # consult's labels ("A & B", "(untracked)") credit names
                                # the summary does not list: collated with --author person

    @classmethod
    def of(cls, listed: list[str] | None, authors: list[str]) -> "Names":
        """From the groups the summary lists (None: no summary) and the changes' authors.

        Without a summary every author is taken for a group; with one, the listed groups
        and every name in an agreement ("A & B") or an untracked label are groups."""
        groups = list(listed or [])
        names = cls(groups)
        parts_of = {names.canonical(p) for a in authors for p in author_parts(a)}
        labels = any(JOIN in a or a.endswith(UNTRACKED) for a in authors)
        if listed and labels and not parts_of & set(listed):
            names.people, listed = True, None   # consult's labels, on names it lists not
        for author in authors:
            parts = author_parts(author)
            consult_label = JOIN in author or author.endswith(UNTRACKED) or listed is None
            for part in parts:
                name = names.canonical(part)
                if consult_label and name not in groups:
                    groups.append(name)
                if name not in names.credited:
                    names.credited.append(name)
        return names

    def canonical(self, part: str) -> str:
        """The known group an author part names ("Group 1 (Priya Shah)" is Group 1)."""
        low = part.casefold()
        for g in self.groups:
            if low == g.casefold() or low.startswith(g.casefold() + " ("):
                return g
        return part

    def credits(self, author: str) -> list[str]:
        """The canonical names a change's author credits, each once."""
        out: list[str] = []
        for part in author_parts(author):
            name = self.canonical(part)
            if name not in out:
                out.append(name)
        return out

    def find(self, name: str) -> str | None:
        """The known name ``name`` means (case and spacing aside), or None."""
        want = " ".join(name.split()).casefold()
        for known in self.groups + self.credited:
            if " ".join(known.split()).casefold() == want:
                return known
        return None

    def unknown(self, name: str, document: str) -> str:
        """One line on why ``name`` is not a group here and which one it may mean."""
        guess = closest(name, self.groups)
        listed = ", ".join(shown(g) for g in self.groups) or "none"
        return (f"{shown(name)}: " + (f"did you mean {shown(guess)}?" if guess else
                                      "no such group.")
                + f" The groups in {shown(document)} are {listed}.")


def shown(text: str) -> str:
    """``text`` with control characters escaped, so that a message stays one line."""
    return "".join(f"\\x{ord(c):02x}" if ord(c) < 32 or 0x7f <= ord(c) < 0xa0 else c
                   for c in text)


def closest(name: str, choices: list[str]) -> str | None:
    """The one choice nearest to ``name``, when one is clearly nearest."""
    low = name.casefold()
    scored = sorted(((difflib.SequenceMatcher(None, low, c.casefold()).ratio(), c)
                     for c in choices), reverse=True)
    if not scored or scored[0][0] < 0.6:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return scored[0][1]


@dataclass
class Outcome:
    """accept / reject / leave for each change, and why the ones left were left."""

    choices: list[str]
    left_why: list[str]          # "conflict C1, C2: no decision", "1 as decided"
    notes: list[str]             # conflicts two accepted groups fought over


def settle(credits: list[list[str]], decided: list[dict[str, str]], conflicts: list[list[str]],
           fallback: str, leave_contested: bool) -> Outcome:
    """Each change's choice.

    A change is accepted when any group it credits accepts it (an agreement is each of its
    groups' proposal), rejected when all of them reject it, left when one says leave. An
    undecided change follows ``fallback`` unless it sits in a conflict that nobody decided
    anything in, or that two or more groups still contest (they have changes in it that
    nobody rejected): then it is left when ``leave_contested``. A conflict in which changes
    of groups that share none of them were accepted is left tracked whole."""
    combined = [_combine(c, d) for c, d in zip(credits, decided)]
    state = _conflict_states(credits, decided, conflicts, combined)
    choices: list[str] = []
    why: dict[str, list[str]] = {}
    decided_left = 0
    for k, choice in enumerate(combined):
        twice = [c for c in conflicts[k] if state[c] == TWICE]
        open_ = [c for c in conflicts[k] if state[c] != SETTLED]
        if twice and choice != REJECT:
            choice, because = LEAVE, twice
        elif choice is None and open_ and leave_contested:
            choice, because = LEAVE, open_
        else:
            because = []
            decided_left += choice == LEAVE
            choice = fallback if choice is None else choice
        for c in because:
            if c not in why.setdefault(state[c], []):
                why[state[c]].append(c)
        choices.append(choice)
    notes = [f"{c}: changes of groups that disagree were all accepted; the conflict was "
             "left tracked" for c in why.get(TWICE, [])]
    reasons = [f"conflict {', '.join(names)}: {reason}" for reason, names in why.items()]
    if decided_left:
        reasons.append(f"{decided_left} as decided")
    return Outcome(choices, reasons, notes)


def _combine(credits: list[str], decided: dict[str, str]) -> str | None:
    values = [decided.get(g) for g in credits]
    if ACCEPT in values:
        return ACCEPT
    if LEAVE in values:
        return LEAVE
    if values and all(v == REJECT for v in values):
        return REJECT
    return None


def _conflict_states(credits: list[list[str]], decided: list[dict[str, str]],
                     conflicts: list[list[str]], combined: list[str | None]) -> dict[str, str]:
    """Each conflict's state: settled, no decision, partly decided or accepted twice."""
    members: dict[str, list[int]] = {}
    for k, names in enumerate(conflicts):
        for name in names:
            members.setdefault(name, []).append(k)
    state = {}
    for name, ks in members.items():
        accepted = [set(credits[k]) for k in ks if combined[k] == ACCEPT]
        alive = {g for k in ks for g in credits[k] if decided[k].get(g) != REJECT}
        if accepted and not set.intersection(*accepted):
            state[name] = TWICE
        elif not any(decided[k] for k in ks):
            state[name] = NO_DECISION
        elif len(alive) < 2:
            state[name] = SETTLED
        else:
            state[name] = PARTLY
    return state


__all__ = ["Names", "Outcome", "settle", "author_parts", "closest", "ACCEPT", "REJECT", "LEAVE"]

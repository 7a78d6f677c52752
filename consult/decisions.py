"""A decisions CSV (the report with a decision column): its rows and the changes they decide."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .decide import LEAVE, Names, shown
from .errors import InputError
from .ooxml.document import from_package
from .ooxml.nextdraft import FAMILY, Change
from .ooxml.package import Limits, Package
from .ooxml.revisions import reject_all, resolve
from .results import Messages
from .words import agree, count

CHOICES = {"accept": "accept", "accepted": "accept", "reject": "reject",
           "rejected": "reject", "leave": "leave", "left": "leave", "keep": "leave"}
NEEDED = ("group", "kind", "text", "decision")
IN_NOTE = re.compile(r"\b(footnote|endnote|text box) (\d+)\b")  # "6.14 footnote 2" | "text box 1"


@dataclass(frozen=True)
class Decision:
    """One row of a decisions file: what to do with one group's change."""

    line: int
    group: str
    kind: str
    text: str
    paragraph: str
    decision: str           # accept | reject | leave


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


def check_groups(rows: list[Decision], names: Names, path: str, document: str) -> list[Decision]:
    """The rows with their groups as the document names them; an InputError for a row whose
    group is not one of the document's (naming the line and the closest group)."""
    out = []
    for row in rows:
        if FAMILY.get(row.kind) is None:
            out.append(row)                     # comments and replies decide no change
            continue
        known = names.find(row.group)
        if not row.group:
            raise InputError(path, f"line {row.line}: no group given. The groups in "
                                   f"{shown(document)} are "
                                   f"{', '.join(map(shown, names.groups)) or 'none'}.")
        if known is None:
            raise InputError(path, f"line {row.line}: {names.unknown(row.group, document)}")
        out.append(Decision(row.line, known, row.kind, row.text, row.paragraph, row.decision))
    return out


def match_decisions(rows: list[Decision], changes: list[Change], credits: list[list[str]],
                    labels: list[str], messages: Messages,
                    where: str = "") -> dict[int, dict[str, str]]:
    """change index -> group -> the decision of that group's rows that match the change (see
    ``consult.accept.accept`` for the rule); a group whose rows disagree about it: leave."""
    found_for: dict[int, dict[str, set[str]]] = {}
    unmatched = []
    for row in rows:
        family = FAMILY.get(row.kind)
        if family is None:
            continue
        found = _matching(row, family, changes, credits, labels)
        if not found:
            unmatched.append(str(row.line))
        for k in found:
            found_for.setdefault(k, {}).setdefault(row.group, set()).add(row.decision)
    if unmatched:
        n = len(unmatched)
        messages.warn(f"{count(n, 'decision')} matched no tracked change "
                      f"({agree(n, 'line', 'lines')} {', '.join(unmatched)}); "
                      f"{agree(n, 'that change follows', 'those changes follow')} the mode",
                      where)
    split = sum(1 for per in found_for.values() for v in per.values() if len(v) > 1)
    if split:
        messages.warn(f"{count(split, 'change')} {agree(split, 'has', 'have')} rows of one "
                      "group with different decisions; "
                      f"{agree(split, 'it was', 'they were')} left tracked", where)
    return {k: {g: (next(iter(v)) if len(v) == 1 else LEAVE) for g, v in per.items()}
            for k, per in found_for.items()}


def _matching(row: Decision, family: str, changes: list[Change], credits: list[list[str]],
              labels: list[str]) -> list[int]:
    cands = [k for k, c in enumerate(changes) if c.family == family and row.group in credits[k]]
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
    """Those of ``found`` in the row's paragraph, when it gives one and there are several (a
    row "6.14 footnote 2": those in that note)."""
    if not row.paragraph or len(found) < 2:
        return found
    note = IN_NOTE.search(row.paragraph)
    if note:
        return [k for k in found if changes[k].note == note.group(0)] or found
    return [k for k in found if not changes[k].note and      # a body row: not a note's
            _in_paragraph(row.paragraph, changes[k].paragraph, labels)] or found


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


def disagreements(decided: dict[str, str], credits: list[str]) -> str:
    """"Group 2 accepted, Group 4 rejected: Group 2's version applied" when the groups of one
    shared change decided it differently, else ""."""
    order = {"accept": 0, "leave": 1, "reject": 2}
    said = sorted(((g, decided[g]) for g in credits if g in decided),
                  key=lambda gd: order[gd[1]])
    if len({d for _g, d in said}) < 2:
        return ""
    verbs = {"accept": "accepted", "reject": "rejected", "leave": "left it"}
    text = ", ".join(f"{g} {verbs[d]}" for g, d in said)
    winners = [g for g, d in said if d == "accept"]
    if winners:
        return f"{text}: {' and '.join(winners)}'s version applied"
    return f"{text}: left tracked"


__all__ = ["Decision", "read_decisions", "check_groups", "match_decisions", "original_labels",
           "disagreements", "CHOICES"]

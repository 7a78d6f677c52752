"""Pair the paragraphs of two drafts: equal ones in order, then edited ones, then the rest."""
from __future__ import annotations

import re
from collections import Counter

from diff_match_patch import diff_match_patch

from .textdiff import EQUAL, similarity

MIN_PARAGRAPH_SIMILARITY = 0.5  # paragraphs at least this similar are one edited paragraph
MIN_LONE_SIMILARITY = 0.25      # ... or this, when one paragraph stands in for one other
MAX_GAP_CELLS = 4000            # larger unmatched stretches are not searched for edited pairs
ROUGH_SHARE = 0.8               # texts sharing fewer words than this (x the bar) are not compared
_WORD = re.compile(r"\w+")


def pair_paragraphs(old: list[str], new: list[str], old_places: list | None = None,
                    new_places: list | None = None) -> list[tuple]:
    """Merge two lists of paragraph texts: ("same", i, j), ("delete", i, None), ("insert", None, j).

    Equal paragraphs (whitespace aside) in the same place (``old_places`` / ``new_places``:
    (table depth, column), as consult.ooxml.redline.table_place gives) are matched in order;
    between them, paragraphs at least MIN_PARAGRAPH_SIMILARITY alike (MIN_LONE_SIMILARITY
    for one paragraph in place of one other, or in table cells) pair up as edited; the rest
    are deleted (first) and inserted.
    """
    old_keys = list(zip(old_places or [(0, -1)] * len(old), [_norm(t) for t in old]))
    new_keys = list(zip(new_places or [(0, -1)] * len(new), [_norm(t) for t in new]))
    out: list[tuple] = []
    for tag, i1, i2, j1, j2 in _slide(sequence_opcodes(old_keys, new_keys), old_keys, new_keys):
        if tag == "equal":
            out += [("same", i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            out += _pair_gap(old_keys, new_keys, old, new, (i1, i2, j1, j2))
    return out


def sequence_opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """("equal" | "change", i1, i2, j1, j2) runs of a minimal diff of two lists of keys.

    diff-match-patch's Myers diff (no time limit, so deterministic) over one character
    per distinct key: it keeps the most items in order, even in repetitive documents.
    """
    codes: dict = {}
    text_a = "".join(_code(codes, k) for k in a)
    text_b = "".join(_code(codes, k) for k in b)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    out, i, j = [], 0, 0
    for op, chars in dmp.diff_main(text_a, text_b, False):
        n = len(chars)
        if op == EQUAL:
            out.append(("equal", i, i + n, j, j + n))
        elif out and out[-1][0] == "change":
            _t, i1, i2, j1, j2 = out.pop()
            out.append(("change", i1, i2 + (n if op < 0 else 0), j1, j2 + (n if op > 0 else 0)))
        else:
            out.append(("change", i, i + (n if op < 0 else 0), j, j + (n if op > 0 else 0)))
        i, j = i + (n if op <= 0 else 0), j + (n if op >= 0 else 0)
    return out


def _slide(ops: list, old_keys: list, new_keys: list) -> list:
    """Slide each run only deleted (or only inserted) up while the paragraph before it equals
    its last one, as long as it ends with body paragraphs after table paragraphs: a table then
    ends the run, instead of leaving paragraphs after it that no mark could be resolved for."""
    ops = [list(op) for op in ops]
    for k in range(1, len(ops)):
        tag, i1, i2, j1, j2 = ops[k]
        before = ops[k - 1]
        if tag != "change" or before[0] != "equal" or (i1 < i2 and j1 < j2):
            continue
        keys, a, b = (old_keys, 1, 2) if i1 < i2 else (new_keys, 3, 4)    # the run's side
        while (before[2] > before[1] and keys[ops[k][a] - 1] == keys[ops[k][b] - 1]
               and keys[ops[k][b] - 1][0][0] == 0
               and any(key[0][0] for key in keys[ops[k][a]:ops[k][b]])):
            ops[k][1:] = [x - 1 for x in ops[k][1:]]
            before[2], before[4] = before[2] - 1, before[4] - 1
            if k + 1 < len(ops) and ops[k + 1][0] == "equal":
                ops[k + 1][1], ops[k + 1][3] = ops[k + 1][1] - 1, ops[k + 1][3] - 1
            else:
                ops.insert(k + 1, ["equal", ops[k][2], ops[k][2] + 1, ops[k][4], ops[k][4] + 1])
    return [tuple(op) for op in ops if op[2] > op[1] or op[4] > op[3]]


def _code(codes: dict, key) -> str:
    """One private-use character per distinct key."""
    if key not in codes:
        n = len(codes)
        codes[key] = chr(0xE000 + n) if n < 0x1900 else chr(0xF0000 + n - 0x1900)
    return codes[key]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pair_gap(old_keys: list, new_keys: list, old: list[str], new: list[str],
              span: tuple[int, int, int, int]) -> list:
    """Edited pairs in an unmatched stretch (best total similarity, in order), then the rest."""
    i1, i2, j1, j2 = span
    m, n = i2 - i1, j2 - j1
    least = MIN_LONE_SIMILARITY if (m, n) == (1, 1) else MIN_PARAGRAPH_SIMILARITY
    sims = {}
    if m and n and m * n <= MAX_GAP_CELLS:
        for a in range(m):
            for b in range(n):
                x, y = old[i1 + a], new[j1 + b]
                place = old_keys[i1 + a][0]
                if place != new_keys[j1 + b][0]:
                    continue
                bar = MIN_LONE_SIMILARITY if place[0] else least
                score = similarity(x, y) if rough(x, y) >= ROUGH_SHARE * bar else 0.0
                if score >= bar:
                    sims[a, b] = score
    pairs = _best_chain(sims, m, n) if sims else []
    out, a0, b0 = [], 0, 0
    for a, b in pairs + [(m, n)]:
        out += [("delete", i1 + k, None) for k in range(a0, a)]
        out += [("insert", None, j1 + k) for k in range(b0, b)]
        if (a, b) != (m, n):
            out.append(("same", i1 + a, j1 + b))
        a0, b0 = a + 1, b + 1
    return out


def _best_chain(sims: dict, m: int, n: int) -> list[tuple[int, int]]:
    """The in-order set of pairs with the largest total similarity."""
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for a in range(m):
        for b in range(n):
            here = max(best[a][b + 1], best[a + 1][b])
            if (a, b) in sims:
                here = max(here, best[a][b] + sims[a, b])
            best[a + 1][b + 1] = here
    pairs, a, b = [], m, n
    while a and b:
        if (a - 1, b - 1) in sims and best[a][b] == best[a - 1][b - 1] + sims[a - 1, b - 1]:
            pairs.append((a - 1, b - 1))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs[::-1]


def bound(a: str, b: str) -> float:
    """The highest similarity two texts of these lengths can have."""
    return 2 * min(len(a), len(b)) / (len(a) + len(b)) if a or b else 1.0


def rough(a: str, b: str) -> float:
    """A cheap estimate of ``similarity``: the share of words the texts have in common."""
    wa, wb = Counter(_WORD.findall(a)), Counter(_WORD.findall(b))
    total = sum(wa.values()) + sum(wb.values())
    return min(bound(a, b), 2 * sum((wa & wb).values()) / total if total else 1.0)


__all__ = ["pair_paragraphs", "sequence_opcodes", "bound", "rough"]

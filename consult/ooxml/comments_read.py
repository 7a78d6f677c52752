"""Read comments from comments.xml and commentsExtended.xml, placed by their range markers."""
from __future__ import annotations

from ..model import Comment
from ..results import Messages
from .ns import NS, qn
from .package import Package
from .textview import W_NS, accepted_text, body_paragraphs, rev_info

W14_PARA_ID = f"{{{NS['w14']}}}paraId"
W15 = NS["w15"]


def comment_key(author: str, date: str | None, text: str) -> tuple:
    """What identifies one of the draft's own comments in a return."""
    return ("comment", author, (date or "")[:16], " ".join(text.split()))


def element_key(comment) -> tuple:
    """``comment_key`` of a w:comment element, its text read as ``read_comments`` reads it."""
    author, date = rev_info(comment)
    return comment_key(author, date, "\n".join(accepted_text(p)
                                               for p in body_paragraphs(comment)))


def read_comments(pkg: Package, walkers: list, messages: Messages) -> list[Comment]:
    """The comments of the package, each located by its markers in the walked stories
    (``walkers``: annotations._Walker objects, with their marks, references and text)."""
    part = pkg.related(pkg.main, "/comments")
    if part is None:
        refs = [cid for w in walkers for cid in w.seen_refs]
        if refs:
            messages.warn(f"{len(refs)} comment references point at a missing comments part",
                          pkg.path)
        return []
    extended = _extended(pkg)
    root = pkg.xml(part)
    raw = []
    for c in root.findall(W_NS + "comment"):
        cid = c.get(qn("w:id")) or ""
        paras = list(body_paragraphs(c))
        last = paras[-1].get(W14_PARA_ID) if paras else None
        raw.append((c, cid, "\n".join(accepted_text(p) for p in paras), last))
    out = []
    known = {cid for _, cid, _, _ in raw}
    ids = _unique_ids([cid for _, cid, _, _ in raw], messages, pkg.path)
    para_to_id = {para: ids[k] for k, item in enumerate(raw) for para in _paragraph_ids(item[0])}
    occurrence: dict[str, int] = {}
    for k, (c, cid, text, last) in enumerate(raw):
        n = occurrence[cid] = occurrence.get(cid, -1) + 1
        parent_para, done = extended.get(last or "", (None, False))
        start, end, story, anchor = _locate(walkers, cid, n)
        author, date = rev_info(c)
        split = [w.story.name for w in walkers if any(
            w.marks.get((kind, cid)) for kind in ("commentRangeStart", "commentRangeEnd"))]
        if len(split) > 1:
            messages.warn(f"comment {cid} by {author or 'unknown'} starts in one part of the "
                          f"document and ends in another ({' and '.join(split)}); it was "
                          f"read as a comment on a point in the {story}", pkg.path)
        parent = para_to_id.get(parent_para) if parent_para else None
        if parent == ids[k]:
            messages.warn(f"comment {cid} by {author or 'unknown'} is marked as a reply to "
                          "itself; it was read as a comment of its own", pkg.path)
            parent = None
        out.append(Comment(ids[k], author, c.get(qn("w:initials")), date, text, anchor,
                           parent, done, start, end, story))
    missing = {cid for w in walkers for cid in w.seen_refs} - known
    if missing:
        messages.warn(f"comment references {', '.join(sorted(missing))} have no comment in "
                      "comments.xml; they were ignored", pkg.path)
    return out


def _paragraph_ids(comment) -> list[str]:
    return [p.get(W14_PARA_ID) for p in body_paragraphs(comment) if p.get(W14_PARA_ID)]


def _unique_ids(ids: list[str], messages: Messages, where) -> list[str]:
    """The comment ids, a repeated one replaced by a new number (with a warning): the k-th
    comment with an id is anchored on the k-th range with that id."""
    taken = set(ids)
    numbers = [int(i) for i in ids if i.isdigit()]
    fresh = max(numbers, default=0) + 1
    seen: set[str] = set()
    out = []
    for cid in ids:
        if cid in seen:
            while str(fresh) in taken:
                fresh += 1
            messages.warn(f"two comments share the id {cid}; the second was read as comment "
                          f"{fresh}, on its own range", where)
            taken.add(str(fresh))
            out.append(str(fresh))
            continue
        seen.add(cid)
        out.append(cid)
    return out


def _extended(pkg: Package) -> dict[str, tuple[str | None, bool]]:
    part = pkg.related(pkg.main, "/commentsExtended")
    if part is None:
        return {}
    out = {}
    for ex in pkg.xml(part).iter(f"{{{W15}}}commentEx"):
        out[ex.get(f"{{{W15}}}paraId") or ""] = (ex.get(f"{{{W15}}}paraIdParent"),
                                                  ex.get(f"{{{W15}}}done") in ("1", "true"))
    return out


def _locate(walkers: list, cid: str, n: int = 0):
    """Start, end, story and anchor text of a comment from its markers (``n``: the how-manyth
    comment with this id, for files that repeat ids)."""
    def nth(found):
        return None if not found else found[min(n, len(found) - 1)]

    for w in walkers:
        start = nth(w.marks.get(("commentRangeStart", cid)))
        end = nth(w.marks.get(("commentRangeEnd", cid)))
        ref = nth(w.marks.get(("commentReference", cid)))
        if start is None and end is None and ref is None:
            continue
        start = start or end or ref
        end = end or ref or start
        if (end[0].para, end[0].offset) < (start[0].para, start[0].offset):
            start, end = end, start
        anchor = w.acc_text[start[1]:end[1]] if end[1] > start[1] else ""
        return start[0], end[0], w.story.name, anchor
    return None, None, "body", ""

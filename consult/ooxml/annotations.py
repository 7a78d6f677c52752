"""Read comments and tracked changes from a package, placed in its original text."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model import Comment, Revision
from ..results import Messages, safe_text
from .dates import real_date
from .ns import NS, qn
from .package import Package
from .comments_read import read_comments
from .story import (DELETE_KINDS, INSERT_KINDS, MOVES, OBJECT_KINDS, REVISION_TAGS,  # noqa: F401
                    TAG_KINDS, Own, StoryText, _Piece, own_key, own_keys)
from .textview import W_NS, body_paragraphs, first_child
from .walk_marks import _props, _row_xml  # noqa: F401
from .walker import ANCHOR_PREFIX, BOOKMARK, PARA, SPECIAL, _Walker  # noqa: F401

W14_PARA_ID = f"{{{NS['w14']}}}paraId"
W15 = NS["w15"]
STORIES = (("footnotes", "/footnotes"), ("endnotes", "/endnotes"))
MC_FALLBACK = f"{{{NS['mc']}}}Fallback"
TEXT_BOX = W_NS + "txbxContent"


@dataclass
class FileAnnotations:
    """What one file holds: its stories' original text, comments and revisions."""

    body: StoryText
    comments: list[Comment]
    revisions: list[Revision]
    messages: Messages
    own_revisions: int = 0      # revision elements recognised as the draft's own
    own_paragraphs: frozenset = frozenset()     # body paragraphs (base view) holding them
    own_deleted: tuple = ()     # ((Pos, text), ...): what they deleted, in the body's base view
    own_inserted: tuple = ()    # ((Pos, text), ...): what they inserted, there


def read_file_annotations(pkg: Package, style_of=None, own: Own = frozenset()
                          ) -> FileAnnotations:
    """Every comment and revision in the package, located in its stories' base text: the
    original text, with the draft's own revisions (``own``: their ``own_key``s) accepted
    and left out of the revisions."""
    messages = Messages()
    style_of = style_of or _style_id
    walkers = []
    body_walker = _Walker("body", style_of, own, messages)
    body_walker.scan(pkg.body())
    for p in body_paragraphs(pkg.body()):
        body_walker.paragraph(p)
    body_walker.close()
    walkers.append(body_walker)
    roots = [pkg.body()]
    for story, suffix in STORIES + _header_footer_stories(pkg):
        part = suffix if "/" in suffix and suffix in pkg.parts else pkg.related(pkg.main, suffix)
        if not part:
            continue
        w = _Walker(story, style_of, own, messages)
        root = pkg.xml(part)
        roots.append(root)
        w.scan(root)
        containers = [root] if root.tag.endswith(("}hdr", "}ftr")) else list(root)
        for container in containers:
            for p in body_paragraphs(container):
                w.paragraph(p)
            w.close()
        walkers.append(w)
    boxes = _text_box_walker(roots, style_of, own, messages)
    if boxes is not None:
        walkers.append(boxes)
    revisions = [Revision(f"{w.story.name}:{k}:{pc.rid}", pc.kind, pc.author, pc.date, pc.text,
                          pc.start, pc.end, True, w.story.name, pc.props, pc.old_props,
                          pc.move_name)
                 for w in walkers for k, pc in enumerate(w.pieces)]
    revisions = _lone_moves(revisions, messages, pkg.path)
    comments = read_comments(pkg, walkers, messages)
    revisions = _checked_dates(revisions, messages, pkg.path)
    comments = _checked_dates(comments, messages, pkg.path)
    seen = sum(len(w.own_seen) for w in walkers)
    return FileAnnotations(body_walker.story, comments, revisions, messages, seen,
                           frozenset(body_walker.own_paragraphs),
                           tuple(body_walker.own_deleted), tuple(body_walker.own_inserted))


TEXT_BOX_STORY = "text box"


def _text_box_walker(roots: list, style_of, own: Own, messages: Messages):
    """One walker over every text box (w:txbxContent) of the stories, each read once: the
    fallback copy Word keeps for older readers (mc:Fallback) is left out."""
    boxes = []
    for root in roots:
        for box in root.iter(TEXT_BOX):
            node = box.getparent()
            while node is not None and node.tag != MC_FALLBACK:
                node = node.getparent()
            if node is None:
                boxes.append(box)
    if not boxes:
        return None
    w = _Walker(TEXT_BOX_STORY, style_of, own, messages)
    for box in boxes:
        w.scan(box)
        for p in body_paragraphs(box):
            w.paragraph(p)
        w.close()
    return w


def _lone_moves(revisions: list[Revision], messages: Messages, where) -> list[Revision]:
    """A move whose other half is missing is a deletion (or an insertion), with a warning."""
    halves = {"move-from": "move-to", "move-to": "move-from"}
    names = {(r.kind, r.move_name or (r.author, r.date)) for r in revisions
             if r.kind in halves}
    out = []
    for r in revisions:
        if r.kind in halves and (halves[r.kind], r.move_name or (r.author, r.date)) not in names:
            kind = "delete" if r.kind == "move-from" else "insert"
            messages.warn(f"a moved passage has no {'destination' if kind == 'delete' else 'origin'}"
                          f" (w:{'moveTo' if kind == 'delete' else 'moveFrom'}); it was read as "
                          f"{'a deletion' if kind == 'delete' else 'an insertion'} by "
                          f"{r.author or 'unknown'}: {r.text[:60]!r}", where)
            r = Revision(r.id, kind, r.author, r.date, r.text, r.start, r.end, r.tracked,
                         r.story, r.props, r.old_props, "")
        out.append(r)
    return out


def _checked_dates(items: list, messages: Messages, where: str) -> list:
    """Items whose date does not exist (2026-13-45T99:99:99Z) lose it, with a warning."""
    bad = [k for k, item in enumerate(items) if item.date and real_date(item.date) is None]
    example = safe_text(items[bad[0]].date)[:40] if bad else ""
    for k in bad:
        items[k] = dataclasses.replace(items[k], date=None)
    if bad:
        kind = "comments" if isinstance(items[0], Comment) else "changes"
        messages.warn(f"{len(bad)} {kind} had dates that do not exist (such as {example}); "
                      "those dates were dropped", where)
    return items


def _header_footer_stories(pkg: Package) -> tuple:
    out = []
    for rtype, target in sorted(pkg.rels(pkg.main).values(), key=lambda r: r[1]):
        if rtype.endswith(("/header", "/footer")) and target in pkg.parts:
            out.append((target.rsplit("/", 1)[-1].split(".")[0], target))
    return tuple(out)


def _style_id(p) -> str:
    style = first_child(first_child(p, W_NS + "pPr"), W_NS + "pStyle")
    return style.get(qn("w:val")) or "" if style is not None else ""

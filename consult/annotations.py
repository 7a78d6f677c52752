"""Read every comment and tracked change in a .docx, without any draft."""
from __future__ import annotations

from pathlib import Path

from .model import Annotations, Comment, Revision
from .ooxml.annotations import read_file_annotations
from .ooxml.package import Limits, Package
from .words import count


def read_annotations(path: str | Path, limits: Limits = Limits()) -> Annotations:
    """Comments (with replies and resolved state) and revisions of every kind in ``path``."""
    pkg = Package.open(path, limits)
    found = read_file_annotations(pkg)
    return Annotations(str(path), tuple(found.comments), tuple(found.revisions),
                       tuple(found.messages))


def comment_json(c: Comment) -> dict:
    return {"id": c.id, "author": c.author, "initials": c.initials, "date": c.date,
            "text": c.text, "anchor": c.anchor, "parent": c.parent, "resolved": c.resolved}


def revision_json(r: Revision) -> dict:
    return {"kind": r.kind, "author": r.author, "date": r.date, "text": r.text}


def annotations_json(a: Annotations) -> dict:
    """The stable JSON shape of ``consult annotations --json``."""
    return {"file": a.file, "comments": [comment_json(c) for c in a.comments],
            "revisions": [revision_json(r) for r in a.revisions]}


def annotations_text(a: Annotations) -> str:
    """A readable listing."""
    lines = [f"{a.file}: {count(len(a.comments), 'comment')}, "
             f"{count(len(a.revisions), 'revision')}"]
    for c in a.comments:
        who = c.author + (f" ({c.initials})" if c.initials else "")
        flags = (" [reply]" if c.parent else "") + (" [resolved]" if c.resolved else "")
        anchor = f' on "{_short(c.anchor)}"' if c.anchor else " (point comment)"
        lines.append(f"  comment {c.id} by {who}{flags}{anchor}: {_short(c.text, 200)}")
    for r in a.revisions:
        lines.append(f"  {r.kind} by {r.author or '(unknown)'}: {_short(r.text.replace(chr(10), '¶'))}")
    return "\n".join(lines)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"

"""Write comments.xml and commentsExtended.xml (threads and resolved state)."""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .build import el, text_run
from .edit import clean_date
from .ns import CT_COMMENTS, CT_COMMENTS_EXT, NS, REL_COMMENTS, REL_COMMENTS_EXT, W, qn
from .package import Package
from .parts import add_part

W14_PARA_ID = f"{{{NS['w14']}}}paraId"
W14_TEXT_ID = f"{{{NS['w14']}}}textId"
W15 = NS["w15"]
MC_IGNORABLE = f"{{{NS['mc']}}}Ignorable"


@dataclass
class NewComment:
    id: str
    author: str
    initials: str
    date: str | None
    text: str
    parent: str | None = None       # id of the comment this one replies to
    resolved: bool = False


class CommentsWriter:
    """Adds comments to a package's comments part, creating the parts when missing."""

    def __init__(self, pkg: Package, used_para_ids: set[str]) -> None:
        self.pkg = pkg
        self.used = set(used_para_ids)
        self.next_para = 0x10000000
        part = pkg.related(pkg.main, "/comments")
        if part is None:
            root = etree.Element(qn("w:comments"), nsmap=_nsmap())
            root.set(MC_IGNORABLE, "w14 w15")
            add_part(pkg, pkg.main, "word/comments.xml", root, CT_COMMENTS, REL_COMMENTS)
            part = "word/comments.xml"
        self.root = pkg.xml(part)
        for p in self.root.iter(qn("w:p")):
            if p.get(W14_PARA_ID):
                self.used.add(p.get(W14_PARA_ID))
        ext = pkg.related(pkg.main, "/commentsExtended")
        if ext is None:
            ext_root = etree.Element(f"{{{W15}}}commentsEx",
                                     nsmap={"w15": W15, "mc": NS["mc"]})
            ext_root.set(MC_IGNORABLE, "w15")
            add_part(pkg, pkg.main, "word/commentsExtended.xml", ext_root, CT_COMMENTS_EXT,
                     REL_COMMENTS_EXT)
            ext = "word/commentsExtended.xml"
        self.ext = pkg.xml(ext)
        self.last_para: dict[str, str] = {}
        for c in self.root.findall(qn("w:comment")):
            paras = c.findall(qn("w:p"))
            if paras and paras[-1].get(W14_PARA_ID):
                self.last_para[c.get(qn("w:id"))] = paras[-1].get(W14_PARA_ID)

    def existing_ids(self) -> set[int]:
        return {int(c.get(qn("w:id"))) for c in self.root.findall(qn("w:comment"))
                if (c.get(qn("w:id")) or "").lstrip("-").isdigit()}

    def para_id(self) -> str:
        while True:
            self.next_para += 1
            value = f"{self.next_para:08X}"
            if value not in self.used:
                self.used.add(value)
                return value

    def add(self, c: NewComment) -> None:
        attrs = {"w:id": c.id, "w:author": c.author or "Unknown"}
        if clean_date(c.date):
            attrs["w:date"] = c.date
        if c.initials:
            attrs["w:initials"] = c.initials
        comment = el("w:comment", attrs)
        lines = c.text.split("\n") or [""]
        last = ""
        for k, line in enumerate(lines):
            p = el("w:p")
            last = self.para_id()
            p.set(W14_PARA_ID, last)
            p.set(W14_TEXT_ID, "77777777")
            if k == 0:
                p.append(el("w:r", None, el("w:annotationRef")))
            if line:
                p.append(text_run(line))
            comment.append(p)
        self.root.append(comment)
        self.last_para[c.id] = last
        ex = etree.SubElement(self.ext, f"{{{W15}}}commentEx")
        ex.set(f"{{{W15}}}paraId", last)
        if c.parent and c.parent in self.last_para:
            ex.set(f"{{{W15}}}paraIdParent", self.last_para[c.parent])
        ex.set(f"{{{W15}}}done", "1" if c.resolved else "0")


def _nsmap() -> dict:
    return {"w": W, "w14": NS["w14"], "w15": W15, "mc": NS["mc"], "r": NS["r"]}

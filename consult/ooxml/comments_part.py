"""Write comments.xml, commentsExtended.xml and, when the package has them, commentsIds.xml,
commentsExtensible.xml and people.xml, in step."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from lxml import etree

from .build import el, text_run
from .comments_read import element_key
from .edit import clean_date
from .ns import CT_COMMENTS, CT_COMMENTS_EXT, NS, REL_COMMENTS, REL_COMMENTS_EXT, W, qn
from .package import Package
from .parts import add_part
from .prune import drop_dangling_threads
from .stream import declarations, fragment, shell

W14_PARA_ID = f"{{{NS['w14']}}}paraId"
W14_TEXT_ID = f"{{{NS['w14']}}}textId"
W15 = NS["w15"]
MC_IGNORABLE = f"{{{NS['mc']}}}Ignorable"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
FIRST_DURABLE = 0x10000000          # durable ids count up from here (Word wants < 0x7FFFFFFF)


@dataclass
class NewComment:
    id: str
    author: str
    initials: str
    date: str | None
    text: str
    parent: str | tuple | None = None   # id of the comment this one replies to (a key:
    # one of the draft's own comments, see CommentsWriter.thread_to)
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
        self.had_threads = ext is not None      # the draft's own commentsExtended.xml
        if ext is None:
            ext_root = etree.Element(f"{{{W15}}}commentsEx",
                                     nsmap={"w15": W15, "mc": NS["mc"]})
            ext_root.set(MC_IGNORABLE, "w15")
            add_part(pkg, pkg.main, "word/commentsExtended.xml", ext_root, CT_COMMENTS_EXT,
                     REL_COMMENTS_EXT)
            ext = "word/commentsExtended.xml"
        self.ext = pkg.xml(ext)
        self.parts = (part, ext)
        # Word's later parts, kept in step only when the package already has them
        self.ids_part = pkg.related(pkg.main, "/commentsIds")
        self.cex_part = pkg.related(pkg.main, "/commentsExtensible")
        self.people_part = pkg.related(pkg.main, "/people")
        self.durable_used = {d.lower() for name in (self.ids_part, self.cex_part) if name
                             for e in pkg.xml(name).iter()
                             for k, d in e.attrib.items() if k.endswith("}durableId")}
        self.authors: list[str] = []        # the authors written, for people.xml
        self.last_para: dict[str, str] = {}
        for c in self.root.findall(qn("w:comment")):
            paras = c.findall(qn("w:p"))
            if paras and paras[-1].get(W14_PARA_ID):
                self.last_para[c.get(qn("w:id"))] = paras[-1].get(W14_PARA_ID)
        self.dropped = drop_dangling_threads(pkg)   # a draft's broken thread entries
        self.own: dict[tuple, object] = {}          # the draft's comments by comment_key
        self.threaded = {e.get(f"{{{W15}}}paraId") for e in self.ext.iter(f"{{{W15}}}commentEx")}
        self.repaired = 0       # comments a draft's commentsExtended.xml left out, given one
        self.identified = {e.get(f"{{{W16CID}}}paraId") for e in
                           pkg.xml(self.ids_part).iter(f"{{{W16CID}}}commentId")} \
            if self.ids_part else set()
        for c in self.root.findall(qn("w:comment")):
            self.own.setdefault(element_key(c), c)
            self._ensure_thread(c)

    def thread_to(self, key) -> str | None:
        """The id of the draft's own comment with this ``comment_key`` (None: there is
        none), for a reply to it; every such comment has a thread entry (``_ensure_thread``)."""
        c = self.own.get(key)
        if c is None:
            return None
        cid = c.get(qn("w:id"))
        return cid if cid in self.last_para else None

    def _ensure_thread(self, c) -> None:
        """Give a comment already in the document a w14:paraId on its last paragraph and a
        thread entry (in every comment part the package has) when it lacks them: a draft
        made without commentsExtended.xml, or one that left a comment out of it."""
        cid = c.get(qn("w:id"))
        paras = c.findall(qn("w:p"))
        if cid is None or not paras:
            return
        pid = paras[-1].get(W14_PARA_ID)
        if pid and pid in self.threaded:
            return
        if not pid:
            if NS["w14"] not in self.root.nsmap.values():
                return          # no w14 prefix to write one with (an old part): left as it is
            pid = self.para_id()
            self.used.add(pid)
            paras[-1].set(W14_PARA_ID, pid)
        self.last_para[cid] = pid
        self.threaded.add(pid)
        self.repaired += self.had_threads
        self._thread_entry(NewComment(cid, "", "", None, ""), pid, self.ext)
        if self.ids_part and pid not in self.identified:
            did = next(_counter(FIRST_DURABLE, self.durable_used))
            self.durable_used.add(did.lower())
            etree.SubElement(self.pkg.xml(self.ids_part), f"{{{W16CID}}}commentId",
                             {f"{{{W16CID}}}paraId": pid, f"{{{W16CID}}}durableId": did})
            if self.cex_part:
                attrs = {f"{{{W16CEX}}}durableId": did}
                if clean_date(c.get(qn("w:date"))):
                    attrs[f"{{{W16CEX}}}dateUtc"] = c.get(qn("w:date"))
                etree.SubElement(self.pkg.xml(self.cex_part),
                                 f"{{{W16CEX}}}commentExtensible", attrs)

    def existing_ids(self) -> set[int]:
        return {int(c.get(qn("w:id"))) for c in self.root.findall(qn("w:comment"))
                if (c.get(qn("w:id")) or "").lstrip("-").isdigit()}

    def para_id(self) -> str:
        """A new w14:paraId (they only count up, so only the document's own need avoiding)."""
        while True:
            self.next_para += 1
            value = f"{self.next_para:08X}"
            if value not in self.used:
                return value

    def add(self, c: NewComment) -> None:
        """Add one comment (and its thread entry) to the parts' trees."""
        self._elements(c, self.root, self.ext)

    def stream(self, records: Callable[[], Iterable[list[NewComment]]]) -> None:
        """Write the comments ``records()`` gives after the existing ones when the package is
        written, one at a time: the parts are never held as whole trees.

        ``records()`` yields lists of comments; a reply's parent is earlier in its own list
        or already in the document (what a list says is forgotten after it). Each part
        reads them again and gives them the same paragraph and durable ids.
        """
        start = (self.next_para, dict(self.last_para))
        comments_part, ext_part = self.parts
        roots = {0: self.root, 1: self.ext}
        if self.ids_part:
            roots[2] = self.pkg.xml(self.ids_part)
        if self.cex_part:
            roots[3] = self.pkg.xml(self.cex_part)

        def write(fh, which: int) -> None:
            self.next_para, self.last_para = start[0], dict(start[1])
            durable = _counter(FIRST_DURABLE, self.durable_used)
            root = roots[which]
            holder = etree.Element(root.tag, nsmap=root.nsmap)
            head, tail = shell(root)
            declared = declarations(root)
            fh.write(head)
            for child in root:
                fh.write(fragment(child, declared))
            for batch in records():
                for c in batch:
                    made = self._entry(which, c, holder, durable)
                    if which == 0 and c.author not in self.authors:
                        self.authors.append(c.author or "Unknown")
                    fh.write(fragment(made, declared))
                    holder.remove(made)
                for c in batch:
                    if c.id not in start[1]:
                        self.last_para.pop(c.id, None)
            fh.write(tail)

        for which, name in ((0, comments_part), (1, ext_part), (2, self.ids_part),
                            (3, self.cex_part)):
            if name:
                self.pkg.stream(name, lambda fh, k=which: write(fh, k))

    def _entry(self, which: int, c: NewComment, holder, durable):
        """What part ``which`` (comments, extended, ids, extensible) says of ``c``."""
        if which == 0:
            return self._comment(c, holder)
        last = self._para_ids(c)[-1]
        if which == 1:
            return self._thread_entry(c, last, holder)
        did = next(durable)
        if which == 2:
            return etree.SubElement(holder, f"{{{W16CID}}}commentId",
                                    {f"{{{W16CID}}}paraId": last, f"{{{W16CID}}}durableId": did})
        attrs = {f"{{{W16CEX}}}durableId": did}
        if clean_date(c.date):
            attrs[f"{{{W16CEX}}}dateUtc"] = c.date
        return etree.SubElement(holder, f"{{{W16CEX}}}commentExtensible", attrs)

    def stream_people(self, authors: Callable[[], Iterable[str]]) -> None:
        """Keep people.xml (when there is one) naming every author consult writes: those of
        the comments and ``authors()`` (read when the part is written, last in the zip)."""
        if not self.people_part:
            return
        name, pkg = self.people_part, self.pkg
        pkg.parts[name] = pkg.parts.pop(name)       # written after every part naming authors
        root = pkg.xml(name)
        w15 = f"{{{W15}}}"

        def write(fh) -> None:
            have = {p.get(w15 + "author") for p in root.iter(w15 + "person")}
            head, tail = shell(root)
            declared = declarations(root)
            holder = etree.Element(root.tag, nsmap=root.nsmap)
            fh.write(head)
            for child in root:
                fh.write(fragment(child, declared))
            for author in [*self.authors, *authors()]:
                if author in have:
                    continue
                have.add(author)
                person = etree.SubElement(holder, w15 + "person", {w15 + "author": author})
                etree.SubElement(person, w15 + "presenceInfo",
                                 {w15 + "providerId": "None", w15 + "userId": author})
                fh.write(fragment(person, declared))
                holder.remove(person)
            fh.write(tail)

        pkg.stream(name, write)

    def _elements(self, c: NewComment, root, ext) -> tuple:
        """The w:comment for ``c`` appended to ``root``, its w15:commentEx to ``ext``."""
        comment = self._comment(c, root)
        return comment, self._thread_entry(c, comment[-1].get(W14_PARA_ID), ext)

    def _para_ids(self, c: NewComment) -> list[str]:
        """New paragraph ids for the comment's paragraphs (one a line)."""
        ids = [self.para_id() for _ in (c.text.split("\n") or [""])]
        self.last_para[c.id] = ids[-1]
        return ids

    def _comment(self, c: NewComment, root):
        attrs = {"w:id": c.id, "w:author": c.author or "Unknown"}
        if clean_date(c.date):
            attrs["w:date"] = c.date
        if c.initials:
            attrs["w:initials"] = c.initials
        comment = el("w:comment", attrs)
        root.append(comment)
        for k, (line, pid) in enumerate(zip(c.text.split("\n") or [""], self._para_ids(c))):
            p = etree.SubElement(comment, qn("w:p"))
            p.set(W14_PARA_ID, pid)
            p.set(W14_TEXT_ID, "77777777")
            if k == 0:
                p.append(el("w:r", None, el("w:annotationRef")))
            if line:
                p.append(text_run(line))
        return comment

    def _thread_entry(self, c: NewComment, last: str, ext):
        """The w15:commentEx: the thread (its parent's last paragraph) and resolved state."""
        ex = etree.SubElement(ext, f"{{{W15}}}commentEx")
        ex.set(f"{{{W15}}}paraId", last)
        if c.parent and c.parent in self.last_para:
            ex.set(f"{{{W15}}}paraIdParent", self.last_para[c.parent])
        ex.set(f"{{{W15}}}done", "1" if c.resolved else "0")
        return ex


def repair_threads(pkg: Package, root) -> int:
    """Give each comment that the package's commentsExtended.xml leaves out its thread entry
    (a w14:paraId and a w15:commentEx, as ``CommentsWriter`` does): a pack must not copy a
    draft's inconsistency. Returns how many; 0 when the package has no such part."""
    if pkg.related(pkg.main, "/comments") is None or \
            pkg.related(pkg.main, "/commentsExtended") is None:
        return 0
    used = {p.get(W14_PARA_ID) for p in root.iter(qn("w:p")) if p.get(W14_PARA_ID)}
    return CommentsWriter(pkg, used).repaired


def _counter(first: int, used: set[str]):
    """Hex ids from ``first`` up, skipping ``used`` (lower case)."""
    n = first
    while True:
        value = f"{n:08X}"
        n += 1
        if value.lower() not in used:
            yield value


def _nsmap() -> dict:
    return {"w": W, "w14": NS["w14"], "w15": W15, "mc": NS["mc"], "r": NS["r"]}

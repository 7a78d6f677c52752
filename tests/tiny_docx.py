"""Tiny .docx files from body XML snippets (and an optional comments.xml), for reader tests."""
from __future__ import annotations

from pathlib import Path

from make_hostile import base_docx, part, rezip

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'mc:Ignorable="w14 w15 wps"')
DATE = "2026-11-30T10:00:00Z"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_EXT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_EXT = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"


def para(text: str = "", inner: str = "") -> str:
    """A paragraph of plain ``text`` followed by raw ``inner`` XML."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{run}{inner}</w:p>"


def heading(text: str, level: int = 1) -> str:
    return (f'<w:p><w:pPr><w:pStyle w:val="Heading{level}"/></w:pPr>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')


def rev(tag: str, author: str, inner: str, rid: int, date: str = DATE) -> str:
    return f'<w:{tag} w:id="{rid}" w:author="{author}" w:date="{date}">{inner}</w:{tag}>'


def run(text: str, deleted: bool = False) -> str:
    t = "delText" if deleted else "t"
    return f'<w:r><w:{t} xml:space="preserve">{text}</w:{t}></w:r>'


def comment(cid: str, author: str, text: str, para_id: str = "") -> str:
    pid = f' w14:paraId="{para_id}"' if para_id else ""
    return (f'<w:comment w:id="{cid}" w:author="{author}" w:date="{DATE}" w:initials="X">'
            f'<w:p{pid}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:comment>')


def write(path: Path, body: str, comments: str | None = None,
          extended: str | None = None) -> Path:
    """A .docx at ``path`` whose body is ``body`` (paragraph XML), with optional comment
    parts (the inner XML of w:comments and w15:commentsEx)."""
    base = base_docx()
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>')
    replace = {"word/document.xml": doc.encode()}
    add = []
    if comments is not None:
        ct = part(base, "[Content_Types].xml").decode()
        rels = part(base, "word/_rels/document.xml.rels").decode()
        ct = ct.replace("</Types>", f'<Override PartName="/word/comments.xml" '
                                    f'ContentType="{CT_COMMENTS}"/></Types>')
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdC1" Type="{REL}" '
                                                f'Target="comments.xml"/></Relationships>')
        add.append(("word/comments.xml", f"<w:comments {NAMESPACES}>{comments}</w:comments>"
                    .encode()))
        if extended is not None:
            ct = ct.replace("</Types>", f'<Override PartName="/word/commentsExtended.xml" '
                                        f'ContentType="{CT_EXT}"/></Types>')
            rels = rels.replace("</Relationships>",
                                f'<Relationship Id="rIdC2" Type="{REL_EXT}" '
                                f'Target="commentsExtended.xml"/></Relationships>')
            add.append(("word/commentsExtended.xml",
                        f"<w15:commentsEx {NAMESPACES}>{extended}</w15:commentsEx>".encode()))
        replace["[Content_Types].xml"] = ct.encode()
        replace["word/_rels/document.xml.rels"] = rels.encode()
    path.write_bytes(rezip(base, replace, add))
    return path

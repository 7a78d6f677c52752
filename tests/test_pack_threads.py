"""A pack keeping the draft's comments leaves out the draft's thread entries naming no comment.

python-docx's comments-rich-para.docx has a w15:commentEx (and commentsIds entry) for paragraph
0DD3EE46, which is no comment's last paragraph; Word reads such an entry as broken.
"""
from __future__ import annotations

import zipfile

from lxml import etree

from conftest import corpus_file

from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft

RICH = "python-docx__features_steps_test_files_comments-rich-para.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"


def test_a_pack_drops_the_drafts_dangling_thread_entries(tmp_path):
    # before: the pack kept 0DD3EE46 in commentsExtended.xml and commentsIds.xml
    draft = load_draft(corpus_file(RICH))
    out = tmp_path / "Group 1.docx"
    build_pack(draft, Allocation("Group 1", tuple(s.id for s in draft.sections))).save(out)
    z = zipfile.ZipFile(out)
    comments = etree.fromstring(z.read("word/comments.xml"))
    lasts = {c.findall(f"{{{W}}}p")[-1].get(f"{{{W14}}}paraId")
             for c in comments.iter(f"{{{W}}}comment")}
    ext = etree.fromstring(z.read("word/commentsExtended.xml"))
    named = [e.get(f"{{{W15}}}paraId") for e in ext.iter(f"{{{W15}}}commentEx")]
    assert len(lasts) == 4 and sorted(named) == sorted(lasts)

"""The rule checker (wordcheck.rules_ok) passes a consistent package and names each break."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import SAMPLES
from wordcheck import rules_ok

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
      'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
      'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
      'xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MSREL = {"commentsExtended": "http://schemas.microsoft.com/office/2011/relationships/"
                             "commentsExtended",
         "commentsIds": "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
         "commentsExtensible": "http://schemas.microsoft.com/office/2018/08/relationships/"
                               "commentsExtensible",
         "people": "http://schemas.microsoft.com/office/2011/relationships/people",
         "stylesWithEffects": "http://schemas.microsoft.com/office/2007/relationships/"
                              "stylesWithEffects"}
CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

DOCUMENT = (
    f'<w:document {NS}><w:body>'
    '<w:p w14:paraId="00000001" w14:textId="00000001"><w:commentRangeStart w:id="0"/>'
    '<w:r><w:t>Some </w:t></w:r><w:ins w:id="1" w:author="Group 1"><w:r><w:t>new </w:t></w:r>'
    '</w:ins><w:del w:id="2" w:author="Group 2"><w:r><w:delText>old</w:delText></w:r></w:del>'
    '<w:r><w:t>words</w:t></w:r><w:commentRangeEnd w:id="0"/>'
    '<w:r><w:commentReference w:id="0"/></w:r></w:p>'
    '<w:p w14:paraId="00000002"><w:bookmarkStart w:id="0" w:name="a"/><w:r><w:t>More</w:t>'
    '</w:r><w:bookmarkEnd w:id="0"/></w:p></w:body></w:document>')
COMMENTS = (f'<w:comments {NS}><w:comment w:id="0" w:author="Group 1" w:initials="G1">'
            '<w:p w14:paraId="0000000A"><w:r><w:t>Why?</w:t></w:r></w:p></w:comment>'
            '</w:comments>')
EXTENDED = (f'<w15:commentsEx {NS}><w15:commentEx w15:paraId="0000000A" w15:done="0"/>'
            '</w15:commentsEx>')
IDS = (f'<w16cid:commentsIds {NS}><w16cid:commentId w16cid:paraId="0000000A" '
       'w16cid:durableId="11111111"/></w16cid:commentsIds>')
EXTENSIBLE = (f'<w16cex:commentsExtensible {NS}><w16cex:commentExtensible '
              'w16cex:durableId="11111111" w16cex:dateUtc="2026-01-01T00:00:00Z"/>'
              '</w16cex:commentsExtensible>')
PEOPLE = (f'<w15:people {NS}><w15:person w15:author="Group 1"/><w15:person w15:author='
          '"Group 2"/></w15:people>')
STYLES = (f'<w:styles {NS}><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val='
          '"Normal"/></w:style><w:style w:type="paragraph" w:styleId="ConsultNote"><w:name '
          'w:val="Consult Note"/></w:style></w:styles>')

PARTS = {"word/document.xml": (DOCUMENT, f"{CT}.document.main+xml", None),
         "word/comments.xml": (COMMENTS, f"{CT}.comments+xml", f"{REL}/comments"),
         "word/commentsExtended.xml": (EXTENDED, f"{CT}.commentsExtended+xml",
                                       MSREL["commentsExtended"]),
         "word/commentsIds.xml": (IDS, f"{CT}.commentsIds+xml", MSREL["commentsIds"]),
         "word/commentsExtensible.xml": (EXTENSIBLE, f"{CT}.commentsExtensible+xml",
                                         MSREL["commentsExtensible"]),
         "word/people.xml": (PEOPLE, f"{CT}.people+xml", MSREL["people"]),
         "word/styles.xml": (STYLES, f"{CT}.styles+xml", f"{REL}/styles"),
         "word/stylesWithEffects.xml": (STYLES, "application/vnd.ms-word.stylesWithEffects+xml",
                                        MSREL["stylesWithEffects"])}


def package(path: Path, edits: dict[str, tuple[str, str] | list] | None = None,
            drop: tuple[str, ...] = (), extra_rel: str = "", no_type: str = "") -> Path:
    """The consistent package, with ``edits`` (part -> (old, new) text replaced, or a list of
    them), parts dropped, a relationship added or a content type left out."""
    parts = {name: xml for name, (xml, _, _) in PARTS.items() if name not in drop}
    for name, change in (edits or {}).items():
        for old, new in ([change] if isinstance(change, tuple) else change):
            assert old in parts[name], (name, old)
            parts[name] = parts[name].replace(old, new)
    overrides = "".join(f'<Override PartName="/{n}" ContentType="{ct}"/>'
                        for n, (_, ct, _) in PARTS.items() if n != no_type)
    rels = "".join(f'<Relationship Id="rId{k}" Type="{rtype}" Target="{n[5:]}"/>'
                   for k, (n, (_, _, rtype)) in enumerate(PARTS.items()) if rtype) + extra_rel
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   f'package.relationships+xml"/>{overrides}</Types>')
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships">{rels}</Relationships>')
        for name, xml in parts.items():
            z.writestr(name, xml)
    return path


DOC, CMT = "word/document.xml", "word/comments.xml"
END = '<w:commentRangeEnd w:id="0"/>'
REF = '<w:r><w:commentReference w:id="0"/></w:r>'
START = '<w:commentRangeStart w:id="0"/>'

BREAKS = {
    "range ends before it starts": dict(edits={DOC: (START + "<w:r><w:t>Some </w:t></w:r>",
                                                     "<w:r><w:t>Some </w:t></w:r>" + END + REF
                                                     + START)}, expect="ends before it starts"),
    "reference before the end": dict(edits={DOC: (END + REF, REF + END)},
                                     expect="reference comes before its range ends"),
    "a start with no end": dict(edits={DOC: (END, "")}, expect="range start only"),
    "a range without a reference": dict(edits={DOC: (REF, "")}, expect="no reference"),
    "a range for a missing comment": dict(edits={CMT: ('w:id="0"', 'w:id="5"')},
                                          expect="not in comments.xml"),
    "a comment with no reference": dict(edits={DOC: [(START, ""), (END, ""), (REF, "")]},
                                        expect="referenced nowhere"),
    "two ranges with one id": dict(edits={DOC: ("<w:r><w:t>More</w:t></w:r>",
                                                START + "<w:r><w:t>More</w:t></w:r>" + END)},
                                   expect="2 range starts"),
    "duplicate comment ids": dict(edits={CMT: ("</w:comments>", '<w:comment w:id="0" w:author='
                                         '"Group 1"><w:p w14:paraId="0000000B"/></w:comment>'
                                         "</w:comments>")}, expect="comment id 0 used 2"),
    "duplicate revision ids": dict(edits={DOC: ('w:del w:id="2"', 'w:del w:id="1"')},
                                   expect="revision w:id values used more than once"),
    "duplicate bookmark ids": dict(edits={DOC: ("</w:body>", '<w:p><w:bookmarkStart w:id="0" '
                                                'w:name="b"/></w:p></w:body>')},
                                   expect="bookmark w:id values used more than once"),
    "duplicate paraIds": dict(edits={DOC: ('w14:paraId="00000002"', 'w14:paraId="0000000A"')},
                              expect="w14:paraId values used more than once"),
    "paraId too large": dict(edits={DOC: ('w14:paraId="00000002"', 'w14:paraId="80000000"')},
                             expect="not below 0x80000000"),
    "textId too large": dict(edits={DOC: ('w14:textId="00000001"', 'w14:textId="FFFFFFFF"')},
                             expect="w14:textId values not below"),
    "commentEx for no comment": dict(edits={"word/commentsExtended.xml": (
        'w15:paraId="0000000A"', 'w15:paraId="0000000C"')}, expect="no comment's last"),
    "comment without commentEx": dict(edits={"word/commentsExtended.xml": (
        '<w15:commentEx w15:paraId="0000000A" w15:done="0"/>', "")}, expect="no w15:commentEx"),
    "reply that is its own parent": dict(edits={"word/commentsExtended.xml": (
        'w15:done="0"', 'w15:paraIdParent="0000000A" w15:done="0"')}, expect="which is itself"),
    "comment without commentId": dict(edits={"word/commentsIds.xml": (
        'w16cid:paraId="0000000A"', 'w16cid:paraId="0000000D"')},
        expect="has no w16cid:commentId"),
    "commentExtensible out of step": dict(edits={"word/commentsExtensible.xml": (
        "11111111", "22222222")}, expect="is in no w16cid:commentId"),
    "author missing from people.xml": dict(edits={DOC: ('w:author="Group 2"',
                                                        'w:author="Group 2 (untracked)"')},
                                           expect="no w15:person for author 'Group 2 (untr"),
    "style missing from stylesWithEffects": dict(edits={"word/stylesWithEffects.xml": (
        '<w:style w:type="paragraph" w:styleId="ConsultNote"><w:name w:val="Consult Note"/>'
        "</w:style>", "")}, expect="lacks style 'ConsultNote'"),
    "a relationship to a missing part": dict(extra_rel=f'<Relationship Id="rId99" Type="{REL}'
                                             '/footer" Target="footer9.xml"/>',
                                             expect="points at missing word/footer9.xml"),
    "a part without a content type": dict(no_type="word/people.xml",
                                          expect="word/people.xml has no content type"),
}


def test_a_consistent_package_passes(tmp_path):
    assert rules_ok(package(tmp_path / "good.docx")) == []


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_break_is_named(tmp_path, name):
    spec = dict(BREAKS[name])
    expect = spec.pop("expect")
    found = rules_ok(package(tmp_path / "broken.docx", **spec))
    assert any(expect in p for p in found), found


def test_optional_parts_are_optional(tmp_path):
    path = package(tmp_path / "plain.docx", drop=("word/people.xml", "word/stylesWithEffects.xml",
                                                  "word/commentsIds.xml",
                                                  "word/commentsExtensible.xml"),
                   edits={DOC: ('w:author="Group 2"', 'w:author="Someone else"')})
    # the relationships to the dropped parts now point at nothing: only that is reported
    assert all("points at missing" in p for p in rules_ok(path)), rules_ok(path)


def test_since_leaves_out_what_the_input_had(tmp_path):
    before = package(tmp_path / "in.docx", edits={DOC: ('w:del w:id="2"', 'w:del w:id="1"')})
    after = package(tmp_path / "out.docx", edits={DOC: ('w:del w:id="2"', 'w:del w:id="1"'),
                                                  CMT: ('w:id="0"', 'w:id="5"')})
    found = rules_ok(after, since=before)
    assert found and all("not in comments.xml" in p or "referenced nowhere" in p
                         for p in found), found


def test_a_real_file_broken_on_purpose(tmp_path):
    """A LibreOffice-saved return passes; with its first comment's end moved before its start
    it fails, naming the comment."""
    src = SAMPLES / "returns" / "Group 6 (LibreOffice).docx"
    assert rules_ok(src) == []
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode("utf-8")
    import re
    start = re.search(r'<w:commentRangeStart w:id="(\d+)"/>', doc)
    cid = start.group(1)
    end = f'<w:commentRangeEnd w:id="{cid}"/>'
    doc = doc.replace(end, "", 1)
    doc = doc[:start.start()] + end + doc[start.start():]
    parts["word/document.xml"] = doc.encode("utf-8")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    assert f"word/document.xml: comment {cid}: its range ends before it starts" in \
        rules_ok(broken)

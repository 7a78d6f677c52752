"""textview.plain_text, the walker's one-pass reading of plain paragraphs, gives the text that
segments() gives, or None so that segments() reads the paragraph."""
from lxml import etree

from consult.ooxml.textview import plain_text, segments

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _p(inner: str):
    return etree.fromstring(f'<w:p xmlns:w="{W}">{inner}</w:p>')


def _segments_text(p) -> str:
    return "".join(s.text for s in segments(p))


def test_runs_directly_under_the_paragraph_read_in_one_pass():
    p = _p('<w:r><w:t>Pupils </w:t><w:tab/><w:t>with</w:t></w:r><w:bookmarkStart w:id="1" '
           'w:name="x"/><w:r><w:br/><w:noBreakHyphen/><w:delText>SEN</w:delText></w:r>')
    assert plain_text(p) == _segments_text(p) == "Pupils \twith\u000b\u2011SEN"


def test_fields_hyperlinks_and_text_boxes_go_to_segments():
    field = _p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText>'
               '</w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
               '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    link = _p('<w:hyperlink><w:r><w:t>the Code</w:t></w:r></w:hyperlink>')
    ruby = _p('<w:r><w:ruby><w:rubyBase><w:r><w:t>base</w:t></w:r></w:rubyBase></w:ruby></w:r>')
    for p in (field, link, ruby):
        assert plain_text(p) is None
    assert _segments_text(field) == "3"

"""A Word-style text box added to a draft, and a return's edits made inside it.

Word writes a text box twice inside ``mc:AlternateContent``: a DrawingML shape (``mc:Choice
Requires="wps"``: wps:wsp/wps:txbx/w:txbxContent) and a VML copy for older readers
(``mc:Fallback``: w:pict/v:shape/v:textbox/w:txbxContent), both holding the same paragraphs.
Written here apart from consult's code, after Word's own markup.
"""
from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

from edit_docx import Docx, find_paragraph, w

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      f'xmlns:mc="{MC}" xmlns:wps="{WPS}" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')


def _paragraphs(texts: list[str]) -> str:
    return "".join(f'<w:p><w:r><w:t xml:space="preserve">{t}</w:t></w:r></w:p>' for t in texts)


def box_run(texts: list[str], shape_id: int = 1) -> etree._Element:
    """A run holding a text box with one paragraph for each of ``texts``."""
    content = f"<w:txbxContent>{_paragraphs(texts)}</w:txbxContent>"
    xml = f"""<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="45720" distB="45720" distL="114300" distR="114300" simplePos="0"
 relativeHeight="25165{9264 + shape_id}" behindDoc="0" locked="0" layoutInCell="1"
 allowOverlap="1"><wp:simplePos x="0" y="0"/>
<wp:positionH relativeFrom="column"><wp:posOffset>3200400</wp:posOffset></wp:positionH>
<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>
<wp:extent cx="2360930" cy="1404620"/><wp:effectExtent l="0" t="0" r="22860" b="11430"/>
<wp:wrapSquare wrapText="bothSides"/><wp:docPr id="{200 + shape_id}" name="Text Box {shape_id}"/>
<wp:cNvGraphicFramePr/>
<a:graphic><a:graphicData uri="{WPS}"><wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/><a:ext cx="2360930" cy="1404620"/></a:xfrm>
<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>
<a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln></wps:spPr>
<wps:txbx>{content}</wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720"
 anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>
<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"
 path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>
<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>
<v:shape id="Text Box {shape_id}" o:spid="_x0000_s10{25 + shape_id}" type="#_x0000_t202"
 style="position:absolute;margin-left:252pt;margin-top:0;width:185.9pt;height:110.6pt;
 z-index:25165{9264 + shape_id};mso-wrap-style:square">
<v:textbox style="mso-fit-shape-to-text:t">{content}</v:textbox></v:shape>
</w:pict></mc:Fallback></mc:AlternateContent></w:r>"""
    return etree.fromstring(xml.replace("\n", " ").replace("> <", "><"))


def add_text_box(source: Path, target: Path, snippet: str, texts: list[str]) -> Path:
    """``source`` with a text box of ``texts`` anchored at the end of the body paragraph
    holding ``snippet`` (its namespaces must be declared on w:document, as Word's are)."""
    doc = Docx.open(source)
    find_paragraph(doc, snippet).append(box_run(texts))
    return doc.save(target)


class BoxDocx(Docx):
    """A return edited in its (first) text box the way Word does it: edit_docx's helpers find
    paragraphs in ``body``, the shape's w:txbxContent; ``save`` copies it into the VML
    fallback, as Word keeps the two alike."""

    box = 0

    @property
    def body(self):
        return self._boxes(f"{{{MC}}}Choice")[self.box]

    def _boxes(self, where: str) -> list:
        return [b for b in self.xml(self.main).iter(w("txbxContent"))
                if any(a.tag == where for a in b.iterancestors())]

    def save(self, path):
        for choice, fallback in zip(self._boxes(f"{{{MC}}}Choice"),
                                    self._boxes(f"{{{MC}}}Fallback")):
            fallback.getparent().replace(fallback, copy.deepcopy(choice))
        return super().save(path)


def box_contents(path: Path) -> list[str]:
    """Each w:txbxContent of ``path``'s document.xml as it is written (Choice, Fallback...)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [etree.tostring(b).decode() for b in root.iter(w("txbxContent"))]


WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"


def group_run(boxes: list[list[str]]) -> etree._Element:
    """A run holding a group shape (wpg:wgp) of one text box for each of ``boxes``, side by
    side, with its VML copy (v:group of v:shapes) as Word writes it."""
    width = 1900000
    shapes, vml = [], []
    for k, texts in enumerate(boxes):
        content = f"<w:txbxContent>{_paragraphs(texts)}</w:txbxContent>"
        shapes.append(
            f'<wps:wsp><wps:cNvPr id="{301 + k}" name="Text Box {301 + k}"/>'
            f'<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="{k * 2100000}" y="0"/>'
            f'<a:ext cx="{width}" cy="1400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
            f'</a:prstGeom></wps:spPr><wps:txbx>{content}</wps:txbx><wps:bodyPr/></wps:wsp>')
        vml.append(f'<v:shape id="Text Box {301 + k}" type="#_x0000_t202" '
                   f'style="position:absolute;left:{k * 2100};top:0;width:1900;height:1400">'
                   f'<v:textbox>{content}</v:textbox></v:shape>')
    xml = (f'<w:r {NS} xmlns:wpg="{WPG}"><mc:AlternateContent><mc:Choice Requires="wpg">'
           '<w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" '
           'simplePos="0" relativeHeight="251661312" behindDoc="0" locked="0" layoutInCell="1"'
           ' allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
           '<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom='
           '"paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV><wp:extent cx="4000000" '
           'cy="1400000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapSquare wrapText='
           '"bothSides"/><wp:docPr id="300" name="Group 300"/><wp:cNvGraphicFramePr/>'
           f'<a:graphic><a:graphicData uri="{WPG}"><wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr>'
           '<a:xfrm><a:off x="0" y="0"/><a:ext cx="4000000" cy="1400000"/><a:chOff x="0" '
           'y="0"/><a:chExt cx="4000000" cy="1400000"/></a:xfrm></wpg:grpSpPr>'
           + "".join(shapes) + '</wpg:wgp></a:graphicData></a:graphic></wp:anchor></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:group id="Group 300" coordsize="4000,1400" '
           'style="position:absolute;margin-left:0;margin-top:0;width:315pt;height:110pt;'
           'z-index:251661312">' + "".join(vml) + '</v:group></w:pict></mc:Fallback>'
           '</mc:AlternateContent></w:r>')
    return etree.fromstring(xml)


def add_group(source: Path, target: Path, snippet: str, boxes: list[list[str]],
              stale: dict[int, list[str]] | None = None) -> Path:
    """``source`` with a group shape of text boxes at the end of the paragraph holding
    ``snippet``; ``stale``: box -> the texts its fallback copy holds instead (out of date)."""
    doc = Docx.open(source)
    run = group_run(boxes)
    fallbacks = [b for b in run.iter(w("txbxContent"))
                 if any(a.tag == f"{{{MC}}}Fallback" for a in b.iterancestors())]
    for k, texts in (stale or {}).items():
        fresh = etree.fromstring(f"<w:txbxContent {NS}>{_paragraphs(texts)}</w:txbxContent>")
        fallbacks[k].getparent().replace(fallbacks[k], fresh)
    find_paragraph(doc, snippet).append(run)
    return doc.save(target)

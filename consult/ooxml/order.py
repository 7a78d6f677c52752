"""Schema order of children for the elements consult writes into, and ordered insertion."""
from __future__ import annotations

from ..errors import InputError
from .ns import W

W_NS = f"{{{W}}}"

PPR = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr "
       "suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct "
       "topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind "
       "contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
       "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange").split()
RPR = ("ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike dstrike "
       "outline shadow emboss imprint noProof snapToGrid vanish webHidden color spacing w kern "
       "position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs em lang "
       "eastAsianLayout specVanish oMath rPrChange").split()
SETTINGS = ("writeProtection view zoom removePersonalInformation removeDateAndTime "
            "doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText "
            "printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts "
            "saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges "
            "bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop "
            "hideSpellingErrors hideGrammaticalErrors activeWritingStyle proofState formsDesign "
            "attachedTemplate linkStyles stylePaneFormatFilter stylePaneSortMethod documentType "
            "mailMerge revisionView trackRevisions doNotTrackMoves doNotTrackFormatting "
            "documentProtection autoFormatOverride styleLockTheme styleLockQFSet "
            "defaultTabStop").split()
TRPR = ("cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader "
        "tblCellSpacing jc hidden ins del trPrChange").split()
ORDERS = {"pPr": PPR, "rPr": RPR, "settings": SETTINGS, "trPr": TRPR}


def insert_ordered(parent, child, order: list[str] | None = None):
    """Insert ``child`` into ``parent`` where the schema puts it; return ``child``.

    An existing child of the same name is replaced. Children whose names are not in the
    order list are treated as coming after every listed name.
    """
    names = order or ORDERS[parent.tag[len(W_NS):]]
    name = child.tag[len(W_NS):]
    rank = names.index(name)
    existing = parent.find(child.tag)
    if existing is not None:
        parent.replace(existing, child)
        return child
    for index, sibling in enumerate(parent):
        sib = sibling.tag[len(W_NS):] if isinstance(sibling.tag, str) else ""
        sib_rank = names.index(sib) if sib in names else len(names)
        if sib_rank > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child


def ensure(parent, name: str):
    """The child ``w:name`` of ``parent``, created in schema order if missing."""
    found = parent.find(W_NS + name)
    if found is not None:
        return found
    from lxml import etree
    return insert_ordered(parent, etree.Element(W_NS + name))

LVL = ("start numFmt lvlRestart pStyle isLgl suff lvlText lvlPicBulletId legacy lvlJc "
       "pPr rPr").split()
TCPR = ("cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
        "tcFitText vAlign hideMark headers cellIns cellDel cellMerge tcPrChange").split()
SECTPR = ("headerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
          "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
          "docGrid printerSettings sectPrChange").split()
TBLPR = ("tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
         "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
         "tblDescription tblPrChange").split()
NORMALIZE = {"lvl": LVL, "tcPr": TCPR, "sectPr": SECTPR, "tblPr": TBLPR, "pPr": PPR,
             "rPr": RPR, "trPr": TRPR}
ALIASES = {"footerReference": "headerReference"}
NORMALIZE_TAGS = tuple(W_NS + name for name in NORMALIZE)
RANKS = {W_NS + name: {n: k for k, n in enumerate(order)} for name, order in NORMALIZE.items()}


def normalize_order(root) -> int:
    """Put the children of property elements in schema order (a stable sort); return fixes.

    Word refuses files whose property elements are out of order; some producers write them
    so. Unknown children keep their place relative to each other, after the known ones.
    """
    fixed = 0
    for el in root.iter(*NORMALIZE_TAGS):
        rank = RANKS[el.tag]
        kids = [c for c in el if isinstance(c.tag, str)]
        if len(kids) < 2:
            continue
        keys = [rank.get(ALIASES.get(_local(c), _local(c)), len(rank)) for c in kids]
        if keys == sorted(keys):
            continue
        ordered = [c for _, c in sorted(zip(keys, kids), key=lambda kc: kc[0])]
        for c in kids:
            el.remove(c)
        for c in ordered:
            el.append(c)
        fixed += 1
    return fixed


def _local(el) -> str:
    return el.tag[len(W_NS):] if el.tag.startswith(W_NS) else el.tag


def tidy(pkg, skip: set[str] | frozenset = frozenset()) -> int:
    """Schema order in every WordprocessingML part of ``pkg`` that consult writes out
    (but the parts in ``skip``)."""
    fixed = 0
    for name in list(pkg.parts):
        if name not in skip and name.startswith("word/") and name.endswith(".xml") \
                and "/_rels/" not in name:
            try:
                root = pkg.xml(name)
            except InputError:      # an unreadable side part is left exactly as it was
                continue
            if root.tag.startswith(W_NS):
                fixed += normalize_order(root)
    return fixed + _declare_missing_types(pkg)


def _declare_missing_types(pkg) -> int:
    """Give parts without a content type a Default one (OPC requires one for every part)."""
    from .package import RELS_TYPE
    from .parts import ensure_default
    missing = 0
    for name in pkg.parts:
        if name != "[Content_Types].xml" and not pkg.content_type(name):
            ext = name.rsplit(".", 1)[-1].lower() if "." in name else "bin"
            ensure_default(pkg, ext, RELS_TYPE if ext == "rels" else "application/octet-stream")
            missing += 1
    return missing

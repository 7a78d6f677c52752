"""Schema order of children for the elements consult writes into, and ordered insertion."""
from __future__ import annotations

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

"""QR codes of the session's links, as inline SVG (no images, no outside service)."""
from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(url: str) -> str:
    """An <svg> element drawing ``url`` as a QR code."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    text = image.to_string(encoding="unicode")
    return text[text.index("<svg"):]

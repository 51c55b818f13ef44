"""What a font's name says about how text set in it looks: bold, heavy, its family."""

from __future__ import annotations

import re

# Fonts that print as bold or heavy: "Arial,Bold", "MS-Gothic-Bold", "HiraKakuPro-W6".
BOLD_FONT = re.compile(r"bold|heavy|black|demi|semibold|[-_ ]W[6-9]\b|,B\b", re.IGNORECASE)
# Gothic (sans) faces stand out against a Mincho (serif) body: "IPAexGothic", "MS-PGothic", "メイリオ".
_HEAVY_FACE = re.compile(r"goth|sans|kaku|bold|heavy|black|meiryo|ゴシック|UD.*G|W[5-9]", re.IGNORECASE)
# Weight and style suffixes that do not change the family: "-Bold", ",Regular", "W3".
_WEIGHT_SUFFIX = re.compile(r"[-,_ ]?(bold|regular|medium|light|w\d)$", re.IGNORECASE)


def is_bold_font(font_name: str) -> bool:
    """True for faces named as bold or heavy (Arial,Bold, HiraKakuPro-W6)."""
    return bool(BOLD_FONT.search(font_name))


def base_font(font_name: str) -> str:
    """Drop the subset tag: 'BAAAAA+IPAexGothic' → 'IPAexGothic'."""
    return font_name.split("+", 1)[1] if "+" in font_name[:8] else font_name


def looks_heavier(font: str, body_font: str) -> bool:
    """Gothic/sans faces stand out against a Mincho/serif body: 'IPAexGothic' vs 'IPAexMincho'."""
    return bool(_HEAVY_FACE.search(font)) and not _HEAVY_FACE.search(body_font)


def same_family(a: str, b: str) -> bool:
    """IPAexMincho and IPAexMincho-Bold are one family; Gothic and Mincho are not."""
    return _WEIGHT_SUFFIX.sub("", a).lower() == _WEIGHT_SUFFIX.sub("", b).lower()

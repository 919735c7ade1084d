"""Template helpers for the public pages."""

from __future__ import annotations

from django import template

register = template.Library()

DARK_INK = "#111827"
LIGHT_INK = "#ffffff"


def _relative_luminance(hex_colour: str) -> float | None:
    value = hex_colour.strip().lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    try:
        red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    except ValueError:
        return None

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


@register.filter
def readable_ink(background: str) -> str:
    """Dark or white text, whichever contrasts more with an admin-chosen badge colour (WCAG's
    formula); either way the contrast is at least 4.5:1, the level for small text."""
    luminance = _relative_luminance(background or "")
    if luminance is None:
        return LIGHT_INK
    dark = _relative_luminance(DARK_INK) or 0.0
    on_dark_ink = (luminance + 0.05) / (dark + 0.05)
    on_white = 1.05 / (luminance + 0.05)
    return DARK_INK if on_dark_ink > on_white else LIGHT_INK


@register.filter
def percent_of(value: int, total: int) -> float:
    """`value` as a percentage of `total`, for chart bars (0 when there is no total)."""
    return round(100 * value / total, 1) if total else 0.0

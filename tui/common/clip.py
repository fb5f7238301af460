"""Text cut to a width the way a reader can tell: at a word, ending in `…`."""

from __future__ import annotations

from rich.cells import cell_len

ELLIPSIS = "…"


def clip(text: str, width: int) -> str:
    """`text`, or its start and `…` in `width` characters: a cut always shows as one."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def clip_words(text: str, width: int) -> str:
    """`text` whole if it fits in `width` cells, else its words up to the last that fits
    and `…` (a first word longer than the room is cut, still ending in `…`), so a cut is
    never silent nor mid-word ("indiv" of "individual")."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:max(width, 0)]
    room = width - 1
    head = text[:room + 1]  # one more: a space just past the room means a whole word
    cut = head.rfind(" ")
    if cut > 0:
        return text[:cut].rstrip(" ,;:-") + ELLIPSIS
    out = ""
    for char in text:  # one long word: as much as fits, by cells
        if cell_len(out + char) > room:
            break
        out += char
    return out + ELLIPSIS

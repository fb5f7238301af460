"""Hand-written inline SVG charts: no plotting library, no scripts, no external fonts.

Every chart prints its numbers as text beside the bars, so a chart stays readable in
greyscale print and to a screen reader (each SVG has a <title>).
"""

from __future__ import annotations

from html import escape

from report.fmt import BANDS, NO_SCORE_FILL, band, of, pct
from report.model import Count, QuestionBar

WIDTH = 680
FONT = 11
LINE = 14
SUFFICIENT_FILL = "#1f3b63"
INSUFFICIENT_FILL = "#d9dee8"
STROKE = "#404040"


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most `width` characters (long words are kept whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def _text(x: float, y: float, body: str, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="bold"' if weight else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{bold}>{escape(body)}</text>'


def _label(x: float, y: float, lines: list[str]) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE}">{escape(t)}</tspan>'
        for i, t in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}">{spans}</text>'


def _svg(title: str, height: float, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height:.0f}"'
        f' width="{WIDTH}" height="{height:.0f}" font-family="sans-serif" font-size="{FONT}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _rect(x: float, y: float, w: float, h: float, fill: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" '
        f'fill="{fill}" stroke="{STROKE}" stroke-width="0.6"/>'
    )


def score_bars(title: str, rows: list[tuple[str, float | None]], label_chars: int = 44) -> str:
    """Horizontal bars of scores 0..100%, coloured by band, with the percentage printed."""
    label_w, gap, bar_w = label_chars * FONT * 0.55, 8, 0.0
    bar_w = WIDTH - label_w - gap - 50
    body: list[str] = []
    y = 6.0
    for name, score in rows:
        lines = wrap(name, label_chars)
        h = max(len(lines) * LINE, 18)
        body.append(_label(0, y + 12, lines))
        x0 = label_w + gap
        body.append(_rect(x0, y, bar_w, 16, NO_SCORE_FILL))
        b = band(score)
        if score is not None and b is not None:
            body.append(_rect(x0, y, bar_w * score, 16, b.fill))
        body.append(_text(x0 + bar_w + 6, y + 12, pct(score), weight="bold"))
        y += h + 8
    y = _legend(body, y + 4, [(b.fill, b.name) for b in BANDS])
    return _svg(title, y + 4, body)


def question_bars(
    title: str, bars: list[QuestionBar], label_chars: int = 46, legend: bool = True
) -> str:
    """The Data Summary chart: per key question, sufficient and insufficient stacked."""
    label_w, gap = label_chars * FONT * 0.55, 8
    bar_w = WIDTH - label_w - gap - 80
    most = max((b.applicable for b in bars), default=0) or 1
    body: list[str] = []
    y = 6.0
    for q in bars:
        lines = wrap(f"{q.question_id} {q.text}", label_chars)
        h = max(len(lines) * LINE, 18)
        x0 = label_w + gap
        body.append(_label(0, y + 12, lines))
        ws = bar_w * q.sufficient / most
        wi = bar_w * q.insufficient / most
        body.append(_rect(x0, y, ws, 16, SUFFICIENT_FILL))
        body.append(_rect(x0 + ws, y, wi, 16, INSUFFICIENT_FILL))
        body.append(_text(x0 + ws + wi + 6, y + 12, of(q.sufficient, q.applicable)))
        y += h + 8
    if legend:
        key = [(SUFFICIENT_FILL, "sufficient"), (INSUFFICIENT_FILL, "insufficient")]
        y = _legend(body, y + 4, key)
    return _svg(title, y + 4, body)


def count_bars(title: str, counts: list[Count], label_chars: int = 30) -> str:
    """A distribution of the case sample: one bar per value with count and percentage."""
    label_w, gap = label_chars * FONT * 0.55, 8
    bar_w = WIDTH - label_w - gap - 90
    total = sum(c.n for c in counts) or 1
    most = max((c.n for c in counts), default=0) or 1
    body: list[str] = []
    y = 6.0
    for c in counts:
        lines = wrap(c.label, label_chars)
        h = max(len(lines) * LINE, 18)
        x0 = label_w + gap
        body.append(_label(0, y + 12, lines))
        body.append(_rect(x0, y, bar_w * c.n / most, 16, SUFFICIENT_FILL))
        share = pct(c.n / total)
        body.append(_text(x0 + bar_w * c.n / most + 6, y + 12, f"{c.n} ({share})"))
        y += h + 6
    return _svg(title, y + 4, body)


def _legend(body: list[str], y: float, items: list[tuple[str, str]]) -> float:
    x = 0.0
    for fill, name in items:
        body.append(_rect(x, y, 14, 12, fill))
        body.append(_text(x + 20, y + 10, name))
        x += 30 + len(name) * FONT * 0.6
    return y + 16

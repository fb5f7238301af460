"""Render the HTML report in headless Chromium and check the screenshot is not blank.

Skips cleanly when Chromium is not installed. Also used by bench/check_report_render.sh:
`python tests/test_report_chromium.py REPORT.html OUT.png` prints the ink fraction.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path
from typing import Any

import pytest

A4_WINDOW = "1240,1754"  # A4 at 150 dpi
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def screenshot(html_file: Path, png: Path, window: str = A4_WINDOW) -> None:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={png}",
            f"--window-size={window}",
            html_file.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def print_pdf(html_file: Path, pdf: Path) -> None:
    exe = chromium()
    if exe is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            html_file.resolve().as_uri(),
        ]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def _unfilter(kind: int, line: bytearray, prev: bytearray, channels: int) -> None:
    if kind == 2:  # Up: the commonest after None, done without a per-byte predictor
        for i, up in enumerate(prev):
            line[i] = (line[i] + up) & 255
        return
    for i in range(len(line)):
        left = line[i - channels] if i >= channels else 0
        if kind == 1:
            pred = left
        elif kind == 3:
            pred = (left + prev[i]) // 2
        else:
            pred = _paeth(left, prev[i], prev[i - channels] if i >= channels else 0)
        line[i] = (line[i] + pred) & 255


def png_pixels(path: Path) -> tuple[int, int, int, list[bytearray]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes): width, height, channels, rows."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6), "only 8-bit RGB(A) PNGs"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind:  # Chromium leaves most rows unfiltered (kind 0): only the rest loop
            _unfilter(kind, line, prev, channels)
        rows.append(line)
        prev = line
    return width, height, channels, rows


LIGHT = bytes(range(200, 256))


def ink_fraction(path: Path) -> float:
    """Share of colour samples that are not (near) white: 0 for a blank page."""
    width, height, channels, rows = png_pixels(path)
    dark = sum(len(line.translate(None, LIGHT)) for line in rows)
    return dark / (width * height * channels)


def _report_html(tmp: Path) -> Path:
    from test_report_render import sample_data

    from report import html

    out = tmp / "report.html"
    out.write_text(html.render(sample_data()), encoding="utf-8")
    return out


@pytest.mark.skipif(chromium() is None, reason="chromium not installed")
def test_report_screenshot_is_not_blank(tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    screenshot(_report_html(tmp_path), png)
    ink = ink_fraction(png)
    assert 0.01 < ink < 0.6, ink  # text and charts, not an empty or solid page


@pytest.mark.skipif(chromium() is None, reason="chromium not installed")
def test_report_prints_to_a4_pdf_pages(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    print_pdf(_report_html(tmp_path), pdf)
    text = pdf.read_bytes()
    pages = text.count(b"/Type /Page") - text.count(b"/Type /Pages")
    assert pages >= 3  # summary, one page per outcome section, appendices
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", text)
    assert sizes and all(  # A4 is 595.3 x 841.9 points
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in sizes
    )


# Measures, after load, how far any element reaches beyond the body (the A4 content
# width): Chromium shrinks the whole print to fit an overflowing element.
OVERFLOW_PROBE = """<script>
addEventListener('load', () => {
  const right = document.body.getBoundingClientRect().right;
  let worst = 0;
  for (const el of document.body.querySelectorAll('*')) {
    worst = Math.max(worst, el.getBoundingClientRect().right - right);
  }
  document.title = 'overflow:' + Math.round(worst);
});
</script>"""


def _store_report_html(tmp: Path) -> Path:
    """The report of the hand-built test store, with every published figure compared
    (the real report file's quotes and rules are the longest cells)."""
    import test_report_data as rs

    from report import build_report

    store = rs.build(tmp / "store")
    out = tmp / "store-report.html"
    out.write_text(build_report(store, rs.ALPHA, "html", compare="bedfordshire_2013"))
    return out


@pytest.mark.skipif(chromium() is None, reason="chromium not installed")
@pytest.mark.parametrize("make", [_report_html, _store_report_html])
def test_nothing_is_wider_than_the_page(tmp_path: Path, make: Any) -> None:
    report = make(tmp_path)
    probe = tmp_path / "probe.html"  # a copy with a measuring script; the report has none
    probe.write_text(report.read_text().replace("</body>", OVERFLOW_PROBE + "</body>"))
    exe = chromium()
    assert exe is not None
    with tempfile.TemporaryDirectory() as profile:
        cmd = [
            exe,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--dump-dom",
            "--window-size=794,1123",
            "--virtual-time-budget=2000",
            probe.as_uri(),
        ]
        dom = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"<title>overflow:(-?\d+)</title>", dom)
    assert found, dom[:300]
    assert int(found.group(1)) <= 1, f"an element overflows the page by {found.group(1)}px"


def test_png_decoder_on_a_known_image(tmp_path: Path) -> None:
    """A 2x1 RGB PNG, one white and one black pixel, decodes to half ink."""
    raw = b"\x00" + bytes([255, 255, 255, 0, 0, 0])

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path = tmp_path / "t.png"
    path.write_bytes(png)
    assert ink_fraction(path) == 0.5


if __name__ == "__main__":
    html_file, png_file = Path(sys.argv[1]), Path(sys.argv[2])
    screenshot(html_file, png_file)
    print(f"{ink_fraction(png_file):.4f}")

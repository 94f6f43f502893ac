"""The HTML report in a real headless Chromium: it renders offline, logs no console errors,
and its screenshot shows the header and the section headings. The screenshot stays out of git."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from summarizer import report
from summarizer.schema import Brief

from .conftest import GOLD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]
HEADER_RGB = (0x24, 0x3B, 0x55)  # the header and the headings' rules (report.html.j2)


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB rows of an 8-bit RGB or RGBA PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and colour in (2, 6)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, [b"".join(r[i:i + 3] for i in range(0, stride, bpp)) for r in rows]  # RGB only


def test_html_report_renders_in_chromium(tmp_path: Path):
    briefs = [Brief.model_validate_json(p.read_text()) for p in sorted(GOLD.glob("*.json"))]
    out = tmp_path / "report"
    report.write(report.build(briefs), out)
    page = (out / "report.html").as_uri()
    profile = tmp_path / "profile"

    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                          "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for heading in ("Timeline", "Meetings by country pair", "People index", "Open invitations",
                    "Cooperation areas by country pair", "Dates resolved"):
        assert f">{heading}</h2>" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    assert console == [], console

    shot = tmp_path / "report.png"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                           "--window-size=1200,2400", page], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 2400)
    header = bytes(HEADER_RGB)

    def dark_share(row: bytes) -> float:
        return sum(row[i:i + 3] == header for i in range(0, len(row), 3)) / width

    assert dark_share(rows[10]) > 0.9  # the header band across the top
    rules = [y for y in range(80, height) if dark_share(rows[y]) > 0.5]  # h2 underlines
    bands = [y for i, y in enumerate(rules) if i == 0 or y - rules[i - 1] > 1]
    assert len(bands) >= 3, f"expected section rules in the screenshot, found rows {bands}"

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


PROBE = """<script>
// Test-only: measures the pictures as Chromium laid them out (the report itself has no script).
const out = {meetings: [...document.querySelectorAll(".meeting")].map(d => d.id), figures: {}};
for (const name of ["network", "timeline", "heatmap"]) {
  const svg = document.querySelector("#fig-" + name + " svg");
  if (!svg) continue;
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('[id^="' + name + '-meeting-"]')];
  const links = [...svg.querySelectorAll("a")].map(a => a.getAttribute("xlink:href") || a.getAttribute("href"));
  out.figures[name] = {
    top: box.top + window.scrollY, bottom: box.bottom + window.scrollY, width: box.width, height: box.height,
    marks: marks.map(m => m.id.slice(name.length + "-meeting-".length)),
    drawn: marks.filter(m => { const b = m.getBBox(); return b.width > 0 && b.height > 0; }).length,
    links: links, dangling: links.filter(h => !h.startsWith("#") || !document.getElementById(h.slice(1))),
    texts: [...svg.querySelectorAll("text")].map(t => t.textContent.trim()),
  };
}
const pre = document.createElement("pre");
pre.id = "probe";
pre.textContent = JSON.stringify(out);
document.body.appendChild(pre);
</script>"""
PALETTE_RGB = [(0x4E, 0x79, 0xA7), (0xF2, 0x8E, 0x2B), (0x59, 0xA1, 0x4F), (0xE1, 0x57, 0x59)]  # pictures.PALETTE


def test_report_pictures_render_with_one_linked_mark_per_meeting(tmp_path: Path):
    """The seeds' report, built by the CLI from the folder of their gold briefs: the network, the timeline
    and the heat map are laid out, each meeting is one mark in the first two, every mark's link lands
    on its meeting, and the network's dots are on screen in their countries' colours."""
    import html
    import json
    import re

    from typer.testing import CliRunner

    from summarizer.cli import app

    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["report", str(GOLD), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page and "http://" not in page and "https://" not in page  # self-contained
    probe = out / "probe.html"
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1200,2400", "--dump-dom",
                          probe.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = json.loads(html.unescape(re.search(r'<pre id="probe">(.*?)</pre>', dom.stdout, re.DOTALL)[1]))

    built = report.build([Brief.model_validate_json(p.read_text()) for p in sorted(GOLD.glob("*.json"))])
    meetings = sorted(m.id for m in built.meetings)
    assert sorted(found["meetings"]) == meetings
    figures = found["figures"]
    assert set(figures) == {"network", "timeline", "heatmap"}
    for name, fig in figures.items():
        assert fig["width"] > 400 and fig["height"] > 150, (name, fig["width"], fig["height"])
        assert fig["dangling"] == [], name
    for name in ("network", "timeline"):
        assert sorted(figures[name]["marks"]) == meetings, name  # one mark per meeting, no more
        assert figures[name]["drawn"] == len(meetings), name
        assert sorted(set(figures[name]["links"])) == sorted(f"#{m}" for m in meetings), name
    people = {p.name for p in built.people}
    assert people <= set(figures["network"]["texts"])
    used, matrix = built.area_matrix()
    heat = figures["heatmap"]["texts"]
    assert {a.value.replace("_", " ") for a in used} <= set(heat) and set(matrix) <= set(heat)
    assert sum(int(t) for t in heat if t.isdigit()) == sum(sum(row.values()) for row in matrix.values())

    shot = tmp_path / "pictures.png"
    proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={shot}",
                           "--window-size=1200,2400", (out / "report.html").as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    width, height, rows = read_png(shot)
    net = figures["network"]
    band = b"".join(rows[int(net["top"]):int(min(net["bottom"], height))])
    pixels = {band[i:i + 3] for i in range(0, len(band), 3)}
    countries = len({p.country for p in built.people})
    assert sum(bytes(rgb) in pixels for rgb in PALETTE_RGB[:countries]) == countries  # the dots were painted

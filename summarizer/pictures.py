"""The report's pictures, as SVG to inline in report.html: who met whom, when, and about what.

networkx lays out the people; matplotlib draws (its SVG backend, no GUI, no pyplot state). Every
meeting is one mark (one <path> or marker in a group whose id is ``<figure>-meeting-<id>``) wrapped
in a link to the meeting's entry in the report, so a reader clicks from the picture to the sources.
The SVG is self-contained: text stays text (searchable, printable), no scripts, no external files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

from .report import BriefingReport, MergedMeeting

EDGE = "#3d6a99"
INK = "#1d1d1f"
PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac"]  # Tableau 10: distinct in colour and in grey print


def _svg(fig, prefix: str) -> str:
    """The figure as an <svg> element whose ids are unique in a page holding several figures."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.1)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.DOTALL)  # creator, date: noise here
    text = text.replace(' target="_blank"', "")
    # In HTML the parser puts <svg> and xlink:href in their namespaces; the declarations are not needed.
    text = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", text)  # links go to the meeting in this page, not a new tab
    defined = set(re.findall(r'\bid="([^"]+)"', text))
    # Prefix the figure's own ids and the references to them; links to the report (#m1) stay as they are.
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m[1]}"', text)
    text = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: f"{m[1]}{prefix}-{m[2]}" if m[2] in defined else m[0], text)
    return text.replace("<svg ", f'<svg role="img" aria-labelledby="{prefix}-title" ', 1).replace(
        ">", f'><title id="{prefix}-title">{_TITLES[prefix]}</title>', 1)


_TITLES = {"network": "Who met whom: people as dots, meetings as lines",
           "timeline": "Meetings over time, by country pair",
           "heatmap": "Cooperation areas by country pair"}


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_alpha(0)
    return fig


def _link(artist, meeting: MergedMeeting) -> None:
    artist.set_url(f"#{meeting.id}")
    artist.set_gid(f"meeting-{meeting.id}")


def _layout(graph) -> tuple[dict, tuple[float, float]]:
    """Positions by networkx's spring layout, one connected group of people at a time, the groups
    packed in rows (a single spring layout pushes unconnected groups to the corners), and the extent."""
    import math

    import networkx as nx
    import numpy as np

    groups = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c))
    sizes = [1.0 + 0.55 * math.sqrt(len(g)) for g in groups]
    row_width = max(max(sizes), math.sqrt(sum(s * s for s in sizes)) * 2.0)
    pos: dict = {}
    x = y = row_height = width = 0.0
    for group, size in zip(groups, sizes):
        if x and x + size > row_width:  # next row
            x, y, row_height = 0.0, y - row_height, 0.0
        centre = np.array([x + size / 2, y - size / 2])
        if len(group) == 1:
            pos[group[0]] = centre
        else:
            sub = nx.spring_layout(graph.subgraph(group), seed=7, scale=size / 2 - 0.3, center=centre)
            pos.update(sub)
        x += size
        width, row_height = max(width, x), max(row_height, size)
    return pos, (width, row_height - y)


def network(report: BriefingReport) -> str | None:
    """People as nodes (coloured by country), one line per meeting between its people."""
    import networkx as nx
    import numpy as np
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    meetings = [m for m in report.timeline if m.people]
    if not meetings:
        return None
    graph = nx.Graph()
    for m in meetings:
        ids = [p.id for p in m.people]
        graph.add_nodes_from(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                weight = graph.get_edge_data(a, b, {}).get("weight", 0)
                graph.add_edge(a, b, weight=weight + 1)
    people = {p.id: p for m in meetings for p in m.people}
    pos, (width, height) = _layout(graph)
    countries = sorted({p.country or "unknown" for p in people.values()})
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(countries)}

    fig = _figure(9, min(10, max(3.6, 9 * height / width)))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    parallel: Counter = Counter()
    for m in meetings:
        points = [np.asarray(pos[p.id]) for p in m.people]
        key = frozenset(p.id for p in m.people)
        nth = parallel[key]
        parallel[key] += 1
        if len(points) == 1:  # only one participant named: a small loop beside them
            centre = points[0] + np.array([0.12, 0.12]) * (1 + nth)
            path, label_at = Path.circle(centre, 0.1), centre + np.array([0.1, 0.1])
        elif len(points) == 2:  # a curve, bent further for each other meeting of the same pair
            a, b = points
            bend = 0.0 if nth == 0 else ((nth + 1) // 2) * 0.25 * (1 if nth % 2 else -1)
            normal = np.array([b[1] - a[1], a[0] - b[0]]) / max(np.linalg.norm(b - a), 1e-9)
            control = (a + b) / 2 + bend * normal
            path = Path([a, control, b], [Path.MOVETO, Path.CURVE3, Path.CURVE3])
            label_at = (a + 2 * control + b) / 4  # the curve's midpoint
        else:  # three or more: spokes from a common point
            hub = np.mean(points, axis=0) + np.array([0.0, 0.15 * nth])
            vertices = [v for p in points for v in (hub, p)]
            path = Path(vertices, [Path.MOVETO, Path.LINETO] * len(points))
            label_at = hub
        patch = PathPatch(path, fill=False, edgecolor=EDGE, linewidth=2.2, alpha=0.8, zorder=1)
        _link(patch, m)
        ax.add_patch(patch)
        tag = ax.text(*label_at, m.id, fontsize=8, color=EDGE, ha="center", va="center", zorder=3,
                      bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
        tag.set_url(f"#{m.id}")
    nodes = list(graph)
    nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_size=260, linewidths=1, edgecolors="white",
                           node_color=[colour[people[n].country or "unknown"] for n in nodes]).set_zorder(2)
    for n in nodes:
        x, y = pos[n]
        ax.text(x, y - 0.12, people[n].name, fontsize=9, color=INK, ha="center", va="top", zorder=4)
    from matplotlib.lines import Line2D

    ax.legend(handles=[Line2D([], [], marker="o", linestyle="", markersize=8, color=colour[c], label=c)
                       for c in countries], loc="lower left", bbox_to_anchor=(0, 1), ncol=min(6, len(countries)),
              frameon=False, fontsize=9)
    ax.margins(0.12)
    ax.autoscale_view()
    return _svg(fig, "network")


def timeline(report: BriefingReport) -> str | None:
    """One marker per meeting: its date across, its country pair down; meetings with no date at the right."""
    import matplotlib.dates as mdates

    meetings = report.timeline
    if not meetings:
        return None
    pairs = list(report.by_country_pair())
    row = {pair: i for i, pair in enumerate(pairs)}
    dated = [min(m.iso_dates) for m in meetings if m.iso_dates]
    if dated:
        first, last = min(dated), max(dated)
        span = max((last - first).days, 1)
        undated_x = mdates.date2num(last + dt.timedelta(days=max(3, round(span * 0.2))))
    else:
        undated_x = 0.0
    fig = _figure(9, 1.4 + 0.45 * len(pairs))
    ax = fig.add_subplot()
    stacked: Counter = Counter()
    for m in meetings:
        x = mdates.date2num(min(m.iso_dates)) if m.iso_dates else undated_x
        y = row[m.country_pair]
        k = stacked[(x, y)]
        stacked[(x, y)] += 1
        y += 0.22 * k  # several meetings of a pair on one day stack upwards
        [mark] = ax.plot([x], [y], marker="o" if m.iso_dates else "D", markersize=9, linestyle="",
                         markerfacecolor=EDGE if m.iso_dates else "white", markeredgecolor=EDGE, markeredgewidth=1.5)
        _link(mark, m)
        ax.annotate(m.id, (x, y), xytext=(7, 0), textcoords="offset points", fontsize=8, va="center",
                    color=INK).set_url(f"#{m.id}")
    ax.set_yticks(range(len(pairs)), pairs, fontsize=9)
    ax.set_ylim(-0.6, len(pairs) - 0.4 + 0.22 * max(0, max(stacked.values()) - 1))
    if dated:
        lo, hi = mdates.date2num(first), undated_x
        pad = (hi - lo) * 0.08 or 2
        ax.set_xlim(lo - pad, hi + pad)
        # whole days, and none past the dated meetings (the right-hand column is "no date")
        locator = mdates.DayLocator(interval=max(1, span // 5)) if span <= 21 else mdates.AutoDateLocator(maxticks=7)
        day = dt.timedelta(days=1)
        ticks = [t for t in locator.tick_values(dt.datetime.combine(first - day, dt.time()),
                                                dt.datetime.combine(last + day, dt.time()))
                 if lo - pad <= t <= mdates.date2num(last) + pad / 2]
        ax.set_xticks(ticks)
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
    if any(not m.iso_dates for m in meetings):
        ax.axvline(undated_x - (undated_x - mdates.date2num(max(dated))) / 2 if dated else undated_x - 1,
                   color="#999", linestyle=":", linewidth=1)
        ax.text(undated_x, -0.55, "no date", ha="center", va="bottom", fontsize=8, color="#555")
    if not dated:
        ax.set_xticks([])
        ax.set_xlim(undated_x - 1, undated_x + 1)
    ax.grid(axis="x", color="#e3e8ef")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, "timeline")


def heatmap(report: BriefingReport) -> str | None:
    """Meetings per (country pair, area): the areas matrix as colour, with its numbers written in."""
    import numpy as np

    used, matrix = report.area_matrix()
    if not used or not matrix:
        return None
    pairs = list(matrix)
    counts = np.array([[matrix[p].get(a, 0) for a in used] for p in pairs])
    fig = _figure(max(5, 1.6 + 0.55 * len(used)), 1.6 + 0.42 * len(pairs))
    ax = fig.add_subplot()
    ax.imshow(counts, cmap="Blues", vmin=0, vmax=max(1, counts.max()) * 1.15, aspect="auto")
    for (i, j), n in np.ndenumerate(counts):
        if n:
            ax.text(j, i, str(n), ha="center", va="center", fontsize=9,
                    color="white" if n > counts.max() * 0.6 else INK)
    ax.set_xticks(range(len(used)), [a.value.replace("_", " ") for a in used], rotation=40, ha="right", fontsize=9)
    ax.set_yticks(range(len(pairs)), pairs, fontsize=9)
    ax.set_xticks(np.arange(-0.5, len(used)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(pairs)), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    return _svg(fig, "heatmap")


def render(report: BriefingReport) -> dict[str, str | None]:
    return {"network": network(report), "timeline": timeline(report), "heatmap": heatmap(report)}

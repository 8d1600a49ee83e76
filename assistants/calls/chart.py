"""The outcomes-over-time chart and its table, as HTML built here rather than in the template:
some 200 bar segments went through the template engine at ~1 ms per dozen (bench/calls.py).
Every value is escaped by format_html; the markup is fixed."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def chart_svg(chart: dict[str, Any], *, title: str, description: str) -> SafeString:
    if not chart:
        return mark_safe("")
    c = chart
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
        '<text x="{}" y="{}" class="axis" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<text x="{}" y="{}" class="axis share" text-anchor="start" dominant-baseline="middle">{}</text>',
        ((c["left"], c["right"], t["y"], t["y"], c["left"] - 6, t["y"], t["calls"],
          c["right"] + 6, t["y"], t["share"]) for t in c["ticks"]),
    )  # fmt: skip
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="seg seg-{}"><title>{}: {} {}</title></rect>',
        ((bar["x"], s["y"], bar["w"], s["h"], s["key"], bar["bucket"]["start"].strftime("%-d %b"),
          s["n"], s["label"].lower()) for bar in c["bars"] for s in bar["segments"]),
    )  # fmt: skip
    steps = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="step"><title>Version {}: {} of answered '
        "calls went well</title></line>",
        ((s["x1"], s["x2"], s["y"], s["y"], s["number"], s["share"]) for s in c["steps"]),
    )
    arrows = {"better": " ▲", "worse": " ▼"}
    marks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="mark{} mark-{}"/>'
        '<text x="{}" y="{}" class="mark-label mark-{}" text-anchor="middle">v{}{}</text>',
        ((m["x"], m["x"], c["top"], c["bottom"], "" if m["explained"] else " mark-outside",
          m["tone"], m["x"], c["top"] - 8, m["tone"], m["number"], arrows.get(m["tone"], ""))
         for m in c["marks"]),
    )  # fmt: skip
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" class="axis" text-anchor="middle">{}</text>',
        ((label["x"], c["label_y"], label["text"]) for label in c["labels"]),
    )
    return format_html(
        '<svg class="outcomes-chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="chart-svg-title chart-svg-desc" id="outcomes-chart">'
        '<title id="chart-svg-title">{}</title><desc id="chart-svg-desc">{}</desc>'
        "{}{}{}{}{}</svg>",
        c["width"], c["height"], title, description, grid, bars, steps, marks, labels,
    )  # fmt: skip


def buckets_table(buckets: list[dict[str, Any]], outcome_keys: list[tuple[str, str]]) -> SafeString:
    head = format_html_join(
        "", '<th scope="col">{}</th>', ((label,) for _key, label in outcome_keys)
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}<td>{}</td></tr>',
        (
            (b["start"].strftime("%a %-d %b"),
             format_html_join("", "<td>{}</td>", ((n,) for n in b["cells"])), b["total"])
            for b in buckets
        ),
    )  # fmt: skip
    return format_html(
        '<table class="table table-sm mt-2" id="outcomes-table"><thead><tr>'
        '<th scope="col">From</th>{}<th scope="col">Calls</th></tr></thead><tbody>{}</tbody></table>',
        head, rows,
    )  # fmt: skip

"""Accessible SVG charts (radar, ranked bars) and HTML tables built as plain strings."""

import math
import re
from html import escape

from .messages import message, tr
from .scoring import level_label, mean_display

WIDTH = 640
CHAR_W = 6.4  # average glyph width of the 12px label font, for wrapping
STYLE = (
    ".mt-chart{font-size:12px}"
    ".mt-text{fill:currentColor;stroke:none}"
    ".mt-scale{fill:currentColor;fill-opacity:.7;font-size:10px}"
    ".mt-grid{fill:none;stroke:currentColor;stroke-opacity:.25}"
    ".mt-axis{fill:none;stroke:currentColor;stroke-opacity:.45}"
    ".mt-series-a{stroke:var(--mt-series-a,#1f5fa8);fill:var(--mt-series-a,#1f5fa8)}"
    ".mt-series-b{stroke:var(--mt-series-b,#a64d00);fill:var(--mt-series-b,#a64d00)}"
    ".mt-line{stroke-width:2.5;fill-opacity:.12;stroke-linejoin:round}"
    ".mt-series-b .mt-line{fill-opacity:0;stroke-dasharray:7 4}"
    ".mt-mark{stroke-width:1}"
    ".mt-band{fill:var(--mt-band,#1f5fa8);fill-opacity:.25;stroke:none}"
    ".mt-bar{fill:var(--mt-series-a,#1f5fa8);stroke:none}"
)


def _uid(uid) -> str:
    clean = re.sub(r"[^A-Za-z0-9_-]", "-", str(uid or "mt-chart"))
    return clean if clean[:1].isalpha() else "mt-" + clean


def _n(value) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def _open_svg(uid, height, title, desc) -> list:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mt-chart" viewBox="0 0 {WIDTH} {_n(height)}" '
        f'width="{WIDTH}" height="{_n(height)}" role="img" aria-labelledby="{uid}-title {uid}-desc">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(desc)}</desc>',
        f"<style>{STYLE}</style>",
    ]


def wrap_label(text, max_chars, max_lines=2) -> list:
    """Split ``text`` into at most ``max_lines`` lines of ``max_chars``; cut long words, end with "…" if cut."""
    max_chars = max(4, int(max_chars))
    words = []
    for word in str(text).split():
        while len(word) > max_chars:
            words.append(word[: max_chars - 1] + "-")
            word = word[max_chars - 1:]
        words.append(word)
    lines = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars and not lines[-1].endswith("-"):
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        last = lines[max_lines - 1].rstrip("-")
        cut = last[: max_chars - 1]
        if len(last) > len(cut) and last[len(cut)] != " " and " " in cut:
            cut = cut.rsplit(" ", 1)[0]  # a whole word reads better than "publi…"
        lines = [*lines[:max_lines - 1], cut.rstrip() + "…"]
    return lines or [""]


def _series_summary(name, scores, lang) -> str:
    items = []
    for t in scores["themes"]:
        if t["mean"] is None:
            items.append(message("chart.item", lang, theme=t["title"], value=message("chart.no_answer", lang)))
        else:
            items.append(message("chart.item_level", lang, theme=t["title"], value=t["mean_display"],
                                 level=t["level_label"]))
    return message("chart.series_summary", lang, name=name, items="; ".join(items))


# ---------------------------------------------------------------- radar


class _Radar:
    """Geometry of a radar with ``n`` axes: value 0 at the centre, 5 at radius ``R``."""

    R, CY, LABEL_GAP, LINE_H = 150.0, 212.0, 16.0, 14.0

    def __init__(self, n):
        self.n = n
        self.cx = WIDTH / 2

    def angle(self, i):
        return 2 * math.pi * i / self.n

    def point(self, i, value):
        r = self.R * max(0.0, min(5.0, value)) / 5
        a = self.angle(i)
        return self.cx + r * math.sin(a), self.CY - r * math.cos(a)

    def grid(self) -> list:
        out = ['<g class="mt-grid-lines" aria-hidden="true">']
        for v in range(1, 6):
            pts = " ".join(f"{_n(x)},{_n(y)}" for x, y in (self.point(i, v) for i in range(self.n)))
            out.append(f'<polygon class="mt-grid" points="{pts}"/>')
        for i in range(self.n):
            x, y = self.point(i, 5)
            out.append(f'<line class="mt-axis" x1="{_n(self.cx)}" y1="{_n(self.CY)}" x2="{_n(x)}" y2="{_n(y)}"/>')
        for v in range(1, 6):
            out.append(f'<text class="mt-scale" x="{_n(self.cx + 3)}" y="{_n(self.CY - self.R * v / 5 - 2)}">{v}</text>')
        out.append("</g>")
        return out

    def labels(self, titles) -> list:
        out = ['<g class="mt-labels">']
        rl = self.R + self.LABEL_GAP
        for i, title in enumerate(titles):
            a = self.angle(i)
            s, c = math.sin(a), math.cos(a)
            x, y = self.cx + rl * s, self.CY - rl * c
            if abs(s) < 0.05:  # straight up or down: centred
                anchor = "middle"
                width = min(240.0, 2 * max(40.0, rl * math.sin(2 * math.pi / self.n)) - 12) if self.n > 2 else 240.0
            elif s > 0:
                anchor, width = "start", min(200.0, WIDTH - 6 - x)
                x += 2
            else:
                anchor, width = "end", min(200.0, x - 6)
                x -= 2
            lines = wrap_label(title, width / CHAR_W)
            k = len(lines)
            if c > 0.3:
                y0 = y - 4 - (k - 1) * self.LINE_H
            elif c < -0.3:
                y0 = y + 12
            else:
                y0 = y + 4 - (k - 1) * self.LINE_H / 2
            spans = "".join(
                f'<tspan x="{_n(x)}" y="{_n(y0 + j * self.LINE_H)}">{escape(line)}</tspan>' for j, line in enumerate(lines))
            out.append(f'<text class="mt-text mt-label" text-anchor="{anchor}">{spans}</text>')
        out.append("</g>")
        return out

    def shape(self, values, cls) -> str:
        pts = [self.point(i, v) for i, v in enumerate(values) if v is not None]
        if not pts:
            return ""
        text = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        tag = "polygon" if len(pts) >= 3 else "polyline"
        return f'<{tag} class="{cls}" points="{text}"/>'

    def markers(self, values, square) -> list:
        out = []
        for i, v in enumerate(values):
            if v is None:
                continue
            x, y = self.point(i, v)
            if square:
                out.append(f'<rect class="mt-mark" x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8"/>')
            else:
                out.append(f'<circle class="mt-mark" cx="{_n(x)}" cy="{_n(y)}" r="4.5"/>')
        return out

    def band(self, lows, highs) -> str:
        keep = [i for i in range(self.n) if lows[i] is not None and highs[i] is not None]
        if not keep:
            return ""
        outer = [self.point(i, highs[i]) for i in keep]
        inner = [self.point(i, lows[i]) for i in reversed(keep)]

        def ring(pts):
            return "M" + " L".join(f"{_n(x)},{_n(y)}" for x, y in pts) + " Z"

        return f'<path class="mt-band" fill-rule="evenodd" d="{ring(outer)} {ring(inner)}"/>'


def _legend(items, top) -> list:
    """Legend rows; each item is (kind, text) with kind "a", "b" or "band"."""
    out = [f'<g class="mt-legend" transform="translate(16 {_n(top)})">']
    for j, (kind, text) in enumerate(items):
        y = j * 22
        if kind == "band":
            out.append(f'<rect class="mt-band" x="0" y="{y - 7}" width="30" height="14"/>')
        else:
            square = kind == "b"
            out.append(f'<g class="mt-series-{kind}"><line class="mt-line" x1="0" y1="{y}" x2="30" y2="{y}"/>')
            out.append(f'<rect class="mt-mark" x="11" y="{y - 4}" width="8" height="8"/></g>' if square
                       else f'<circle class="mt-mark" cx="15" cy="{y}" r="4.5"/></g>')
        out.append(f'<text class="mt-text" x="40" y="{y + 4}">{escape(text)}</text>')
    out.append("</g>")
    return out


def radar_svg(defn, lang, series, uid="mt-radar", names=None) -> str:
    """Radar of 1 score dict (a result) or 2 (before, now): dashes and marker shapes tell them apart."""
    uid = _uid(uid)
    series = list(series)[:2]
    if names is None:
        names = [message("chart.your_result", lang)] if len(series) == 1 else [
            message("chart.before", lang), message("chart.after", lang)]
    titles = [tr(t.get("title"), lang) for t in defn["themes"]]
    radar = _Radar(len(titles))
    summary = " ".join(_series_summary(name, s, lang) for name, s in zip(names, series, strict=False))
    title = message("chart.radar.title", lang, title=tr(defn.get("title"), lang))
    desc = message("chart.radar.desc", lang, n=len(titles), summary=summary)
    legend_top = 440.0
    out = _open_svg(uid, legend_top + 22 * len(series), title, desc)
    out += radar.grid()
    for k, s in enumerate(series):
        kind = "ab"[k]
        values = [t["mean"] for t in s["themes"]]
        out.append(f'<g class="mt-series mt-series-{kind}">')
        out.append(radar.shape(values, "mt-line"))
        out += radar.markers(values, square=kind == "b")
        out.append("</g>")
    out += radar.labels(titles)
    out += _legend([("ab"[k], names[k]) for k in range(len(series))], legend_top)
    out.append("</svg>")
    return "".join(out)


def radar_group_svg(defn, lang, aggregate, uid="mt-group") -> str:
    """Radar of a group: the band runs from the lowest to the highest result, the line is the mean."""
    uid = _uid(uid)
    titles = [tr(t.get("title"), lang) for t in defn["themes"]]
    radar = _Radar(len(titles))
    rows = aggregate["themes"]
    items = []
    for row in rows:
        if row["count"]:
            items.append(message("chart.item_group", lang, theme=row["title"], mean=row["mean_display"],
                                 min=row["min_display"], max=row["max_display"]))
        else:
            items.append(message("chart.item", lang, theme=row["title"], value=message("chart.no_answer", lang)))
    summary = message("chart.series_summary", lang, name=message("chart.group_mean", lang), items="; ".join(items))
    title = message("chart.group.title", lang, title=tr(defn.get("title"), lang), n=aggregate["count"])
    desc = message("chart.group.desc", lang, n=len(titles), summary=summary)
    legend_top = 440.0
    out = _open_svg(uid, legend_top + 44, title, desc)
    out += radar.grid()
    out.append(radar.band([r["min"] for r in rows], [r["max"] for r in rows]))
    means = [r["mean"] for r in rows]
    out.append('<g class="mt-series mt-series-a">')
    out.append(radar.shape(means, "mt-line"))
    out += radar.markers(means, square=False)
    out.append("</g>")
    out += radar.labels(titles)
    out += _legend([("a", message("chart.group_mean", lang)), ("band", message("chart.group_range", lang))], legend_top)
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- bars


def bars_svg(defn, lang, scores, uid="mt-bars") -> str:
    """Horizontal bars, weakest theme first, each with its value and level written next to it."""
    uid = _uid(uid)
    by_id = {t["id"]: t for t in scores["themes"]}
    order = [by_id[i] for i in scores["ranked"]] + [t for t in scores["themes"] if t["mean"] is None]
    x0, unit, row_h, top = 236.0, 50.0, 36.0, 36.0
    height = top + row_h * len(order) + 8
    items = [message("chart.item_level", lang, theme=t["title"], value=t["mean_display"], level=t["level_label"])
             if t["mean"] is not None else
             message("chart.item", lang, theme=t["title"], value=message("chart.no_answer", lang)) for t in order]
    title = message("chart.bars.title", lang, title=tr(defn.get("title"), lang))
    desc = message("chart.bars.desc", lang, n=len(order), summary="; ".join(items) + ".")
    out = _open_svg(uid, height, title, desc)
    out.append('<g class="mt-grid-lines" aria-hidden="true">')
    for v in range(0, 6):
        x = x0 + unit * v
        out.append(f'<line class="mt-{"axis" if v == 0 else "grid"}" x1="{_n(x)}" y1="{_n(top - 8)}" '
                   f'x2="{_n(x)}" y2="{_n(height - 8)}"/>')
        if v:
            out.append(f'<text class="mt-scale" x="{_n(x)}" y="{_n(top - 14)}" text-anchor="middle">{v}</text>')
    out.append("</g>")
    for j, t in enumerate(order):
        y = top + row_h * j
        mid = y + row_h / 2
        lines = wrap_label(t["title"], (x0 - 16) / CHAR_W)
        y0 = mid + 4 - (len(lines) - 1) * 7
        spans = "".join(f'<tspan x="8" y="{_n(y0 + k * 14)}">{escape(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text class="mt-text mt-label">{spans}</text>')
        if t["mean"] is None:
            out.append(f'<text class="mt-text mt-value" x="{_n(x0 + 6)}" y="{_n(mid + 4)}">'
                       f'{escape(message("chart.no_answer", lang))}</text>')
            continue
        w = unit * t["mean"]
        out.append(f'<rect class="mt-bar mt-level-{t["level"]}" x="{_n(x0)}" y="{_n(mid - 8)}" '
                   f'width="{_n(w)}" height="16"/>')
        out.append(f'<text class="mt-text mt-value" x="{_n(x0 + w + 6)}" y="{_n(mid + 4)}">'
                   f'{escape(t["mean_display"])} · {escape(t["level_label"])}</text>')
    out.append("</svg>")
    return "".join(out)


# ---------------------------------------------------------------- tables


def _table(caption, head, rows, foot=None) -> str:
    out = [f'<table class="mt-table"><caption>{escape(caption)}</caption><thead><tr>']
    out += [f'<th scope="col">{escape(h)}</th>' for h in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append(f'<tr><th scope="row">{escape(str(row[0]))}</th>')
        out += [f"<td>{escape(str(cell))}</td>" for cell in row[1:]]
        out.append("</tr>")
    out.append("</tbody>")
    if foot:
        out.append(f'<tfoot><tr><th scope="row">{escape(str(foot[0]))}</th>')
        out += [f"<td>{escape(str(cell))}</td>" for cell in foot[1:]]
        out.append("</tr></tfoot>")
    out.append("</table>")
    return "".join(out)


def table_html(defn, lang, scores) -> str:
    """The figures of one result: theme, mean, level, answered, not applicable, statements."""
    head = [message(f"table.{k}", lang) for k in ("theme", "mean", "level", "answered", "na", "total")]

    def row(title, s):
        return [title, s["mean_display"], s["level_label"], s["answered"], s["na"], s["total"]]

    rows = [row(t["title"], t) for t in scores["themes"]]
    foot = row(message("table.overall", lang), scores["overall"])
    return _table(message("table.caption", lang, title=tr(defn.get("title"), lang)), head, rows, foot)


def _row_title(r, lang) -> str:
    """The theme's title, marked when its statements changed between the compared versions."""
    if r.get("comparable", True):
        return r["title"]
    return message("table.not_comparable", lang, theme=r["title"])


def _versions_note(rows, lang) -> str:
    if all(r.get("comparable", True) for r in rows):
        return ""
    return f'<p class="mt-note">{escape(message("table.versions_note", lang))}</p>'


def compare_table_html(defn, lang, comparison) -> str:
    """Before, now and the signed change per theme (from ``compare.compare_pair``)."""
    head = [message(f"table.{k}", lang) for k in ("theme", "before", "after", "delta")]

    def row(r):
        return [_row_title(r, lang), r["before_display"], r["after_display"], r["delta_display"]]

    rows = [row(r) for r in comparison["themes"]]
    return _table(message("table.compare_caption", lang, title=tr(defn.get("title"), lang)), head, rows,
                  row(comparison["overall"])) + _versions_note(comparison["themes"], lang)


def group_table_html(defn, lang, aggregate) -> str:
    """Mean, lowest, highest and number of results per theme (from ``compare.aggregate``)."""
    head = [message(f"table.{k}", lang) for k in ("theme", "mean", "min", "max", "count")]

    def row(r):
        return [_row_title(r, lang), r["mean_display"], r["min_display"], r["max_display"], r["count"]]

    rows = [row(r) for r in aggregate["themes"]]
    caption = message("table.group_caption", lang, title=tr(defn.get("title"), lang), n=aggregate["count"])
    return _table(caption, head, rows, row(aggregate["overall"])) + _versions_note(aggregate["themes"], lang)


__all__ = [
    "bars_svg",
    "compare_table_html",
    "group_table_html",
    "level_label",
    "mean_display",
    "radar_group_svg",
    "radar_svg",
    "table_html",
    "wrap_label",
]

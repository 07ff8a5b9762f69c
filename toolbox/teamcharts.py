"""SVG charts and HTML tables of the team view, the trend over time and the network benchmark.

Built as plain strings like ``charts``: every text escaped, a title and description on each SVG,
and a table beside each picture. Colours come from CSS classes with fallbacks, so print and the
dark scheme can change them; counts are written inside the bars, so a grey print still reads.
"""

from html import escape

from .charts import CHAR_W, WIDTH, _n, _open_svg, _row_title, _table, _uid, _versions_note, wrap_label
from .messages import format_number, message, tr
from .scoring import NA, mean_display

TEAM_STYLE = (
    ".mt-opt{stroke:#fff;stroke-width:.5}"
    ".mt-opt-1{fill:var(--mt-opt-1,#b2182b)}.mt-opt-2{fill:var(--mt-opt-2,#ef8a62)}"
    ".mt-opt-3{fill:var(--mt-opt-3,#bababa)}.mt-opt-4{fill:var(--mt-opt-4,#67a9cf)}"
    ".mt-opt-5{fill:var(--mt-opt-5,#2166ac)}.mt-opt-no{fill:var(--mt-opt-2,#ef8a62)}"
    ".mt-opt-partly{fill:var(--mt-opt-3,#bababa)}.mt-opt-yes{fill:var(--mt-opt-4,#67a9cf)}"
    ".mt-opt-na{fill:none;stroke:currentColor;stroke-dasharray:2 2}"
    ".mt-count{font-size:10px;fill:#111;stroke:none}"
    ".mt-count-light{fill:#fff}"
    ".mt-trend{fill:none;stroke-width:2}"
    ".mt-median{stroke:currentColor;stroke-width:2.5}"
    ".mt-box{fill:var(--mt-band,#1f5fa8);fill-opacity:.3;stroke:currentColor;stroke-opacity:.55}"
)
# Eight line colours (seven of Okabe and Ito's, told apart with common colour blindness, and a
# brown; black is the overall line) times three dash patterns.
TREND_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#555555", "#8c564b")
TREND_DASHES = ("", "6 3", "2 3")
LABEL_W = 236.0
BAR_X0, BAR_X1 = 244.0, 584.0
ROW_H = 34.0


def _open(uid, height, title, desc) -> list:
    out = _open_svg(uid, height, title, desc)
    out.insert(4, f"<style>{TEAM_STYLE}</style>")
    return out


def option_label(value, lang) -> str:
    """The words of one answer (agreement 1-5, practice no/partly/yes, not applicable)."""
    if isinstance(value, int) or value == NA:
        return message(f"scale.{value}", lang)
    return message(f"practice.{value}", lang)


def spread_display(spread, lang) -> str:
    if spread is None:
        return message("table.empty", lang)
    return format_number(spread, lang, 2)


def spread_words(spread, lang) -> str:
    if spread is None:
        return message("team.spread.none", lang)
    key = "low" if spread < .25 else "some" if spread < .5 else "wide" if spread < .75 else "split"
    return message(f"team.spread.{key}", lang)


def _counts_text(row, lang) -> str:
    parts = [f"{option_label(v, lang)} {c}" for v, c in zip(row["scale"], row["counts"], strict=False)]
    if row["na"]:
        parts.append(f"{option_label(NA, lang)} {row['na']}")
    if row["missing"]:
        parts.append(f"{message('team.missing', lang)} {row['missing']}")
    return ", ".join(parts)


def _segment(out, cls, x, y, width, count, dark):
    if width <= 0:
        return
    out.append(f'<rect class="mt-opt {cls}" x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="16"/>')
    if width >= 12:
        light = " mt-count-light" if dark else ""
        out.append(f'<text class="mt-count{light}" x="{_n(x + width / 2)}" y="{_n(y + 12)}" '
                   f'text-anchor="middle">{count}</text>')


def _legend(kinds, lang, top=22.0) -> tuple:
    """(SVG parts, height): the answers of the kinds present, "don't know" once, wrapped to the width."""
    values = ([1, 2, 3, 4, 5] if "agree" in kinds else []) + (["no", "partly", "yes"] if "practice" in kinds else [])
    out, x, y = [], 8.0, top
    for value in [*values, NA]:
        text = option_label(value, lang)
        width = 16 + len(text) * CHAR_W + 14
        if x > 8 and x + width > WIDTH:
            x, y = 8.0, y + 22
        out.append(f'<rect class="mt-opt mt-opt-{value}" x="{_n(x)}" y="{_n(y - 10)}" width="12" height="12"/>')
        out.append(f'<text class="mt-text" x="{_n(x + 16)}" y="{_n(y)}">{escape(text)}</text>')
        x += width
    return out, y - top + 22


def team_theme_svg(title, rows, people, lang, uid) -> str:
    """One theme's statements as bars: diverging around the middle for agreement, stacked for practices."""
    uid = _uid(uid)
    kinds = [k for k in ("agree", "practice") if any(r["kind"] == k for r in rows)]
    legend, legend_h = _legend(kinds, lang)
    top = 12 + legend_h + 8
    height = top + ROW_H * len(rows) + 8
    items = [message("team.item", lang, n=r["number"], text=r["text"], counts=_counts_text(r, lang),
                     spread=spread_display(r["spread"], lang)) for r in rows]
    svg_title = message("team.chart.title", lang, theme=title, n=people)
    desc = message("team.chart.desc", lang, n=len(rows), summary="; ".join(items) + ".")
    out = _open(uid, height, svg_title, desc)
    out += ['<g class="mt-legend" aria-hidden="true">', *legend, "</g>"]
    unit = (BAR_X1 - BAR_X0) / max(1, people)
    centre = (BAR_X0 + BAR_X1) / 2
    if "agree" in kinds:
        out.append(f'<line class="mt-axis" x1="{_n(centre)}" y1="{_n(top - 4)}" x2="{_n(centre)}" '
                   f'y2="{_n(height - 6)}" aria-hidden="true"/>')
    for j, row in enumerate(rows):
        y = top + ROW_H * j
        mid = y + ROW_H / 2
        lines = wrap_label(f'{row["number"]}. {row["text"]}', (LABEL_W - 8) / CHAR_W)
        y0 = mid + 4 - (len(lines) - 1) * 7
        spans = "".join(f'<tspan x="8" y="{_n(y0 + k * 14)}">{escape(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text class="mt-text mt-label">{spans}</text>')
        by = mid - 8
        counts = dict(zip(row["scale"], row["counts"], strict=False))
        if row["kind"] == "agree":
            # Outwards from the middle: half of the neutral answers on each side, then 2 and 1 to the
            # left, 4 and 5 to the right (the standard diverging stacked bar for agreement scales).
            half = counts[3] * unit / 2
            x = centre - half
            for value in (2, 1):
                x -= counts[value] * unit
            for value, width in ((1, counts[1] * unit), (2, counts[2] * unit), (3, 2 * half)):
                _segment(out, f"mt-opt-{value}", x, by, width, counts[value], value == 1)
                x += width
            for value in (4, 5):
                _segment(out, f"mt-opt-{value}", x, by, counts[value] * unit, counts[value], value == 5)
                x += counts[value] * unit
        else:
            x = BAR_X0
            for value in row["scale"]:
                _segment(out, f"mt-opt-{value}", x, by, counts[value] * unit, counts[value], False)
                x += counts[value] * unit
        if row["na"]:
            out.append(f'<rect class="mt-opt mt-opt-na" x="{_n(BAR_X1 + 10)}" y="{_n(by)}" width="16" height="16"/>')
            out.append(f'<text class="mt-text" x="{_n(BAR_X1 + 30)}" y="{_n(by + 12)}">{row["na"]}</text>')
    out.append("</svg>")
    return "".join(out)


def team_table_html(title, rows, lang) -> str:
    """The text alternative of one theme's bars: every count, the spread and its words."""
    head = [message(f"team.table.{k}", lang) for k in ("statement", "answers", "spread")]
    body = [[f'{r["number"]}. {r["text"]}', _counts_text(r, lang),
             f'{spread_display(r["spread"], lang)} ({spread_words(r["spread"], lang)})'] for r in rows]
    return _table(message("team.table.caption", lang, theme=title), head, body)


def disagree_html(ranked, lang) -> str:
    """The ranked list "where you disagree most", each item linked to its statement and theme in the form."""
    if not ranked:
        return f'<p class="mt-note">{escape(message("team.disagree.none", lang))}</p>'
    out = ['<ol class="mt-disagree">']
    for r in ranked:
        statement = message("team.disagree.statement", lang, n=r["number"], text=r["text"])
        out.append(
            f'<li><a href="#st-{escape(r["id"])}">{escape(statement)}</a> '
            f'(<a href="#theme-{escape(r["theme"])}">{escape(r["theme_title"])}</a>): '
            f'{escape(message("team.disagree.spread", lang, spread=spread_display(r["spread"], lang), words=spread_words(r["spread"], lang)))}'
            f'. {escape(_counts_text(r, lang))}.</li>')
    out.append("</ol>")
    return "".join(out)


def names_table_html(title, rows, people, lang) -> str:
    """Who answered what (shown only when the visitor asks for the names): a column per file."""
    head = [message("team.table.statement", lang), *people]
    body = []
    for r in rows:
        cells = [option_label(v, lang) if v is not None else message("table.empty", lang) for v in r["given"]]
        body.append([f'{r["number"]}. {r["text"]}', *cells])
    return _table(message("team.names.caption", lang, theme=title), head, body)


# ---------------------------------------------------------------- over time


def trend_svg(defn, data, lang, uid="mt-trend") -> str:
    """One line per theme (and a thick one overall) across the readings in date order, spaced evenly."""
    uid = _uid(uid)
    points = data["points"]
    n = len(points)
    x0, x1, y_top, y_bottom = 60.0, 600.0, 24.0, 284.0

    def x_at(i):
        return x0 + (x1 - x0) * (i / (n - 1) if n > 1 else .5)

    def y_at(v):
        return y_bottom - (y_bottom - y_top) * (v - 1) / 4

    themes = data["themes"]
    legend_rows = (len(themes) + 2) // 2
    legend_top = y_bottom + 52
    height = legend_top + 20 * legend_rows + 8
    items = []
    for theme in themes:
        values = [mean_display(p["themes"][theme["id"]], lang) if p["themes"][theme["id"]] is not None
                  else message("chart.no_answer", lang) for p in points]
        items.append(message("trend.item", lang, theme=_row_title(theme, lang), values=", ".join(values)))
    dates = ", ".join(p["date"] for p in points)
    title = message("trend.title", lang, title=tr(defn.get("title"), lang), n=n)
    desc = message("trend.desc", lang, n=n, dates=dates, summary="; ".join(items) + ".")
    out = _open(uid, height, title, desc)
    out.append('<g class="mt-grid-lines" aria-hidden="true">')
    for v in range(1, 6):
        y = y_at(v)
        out.append(f'<line class="mt-grid" x1="{_n(x0)}" y1="{_n(y)}" x2="{_n(x1)}" y2="{_n(y)}"/>')
        out.append(f'<text class="mt-scale" x="{_n(x0 - 8)}" y="{_n(y + 4)}" text-anchor="end">{v}</text>')
    for i, p in enumerate(points):
        out.append(f'<text class="mt-text" x="{_n(x_at(i))}" y="{_n(y_bottom + 20)}" text-anchor="middle">'
                   f'{escape(p["date"])}</text>')
    out.append("</g>")

    def line(values, style, cls, width=2):
        pts = [(x_at(i), y_at(v)) for i, v in enumerate(values) if v is not None]
        if not pts:
            return []
        text = " ".join(f"{_n(x)},{_n(y)}" for x, y in pts)
        marks = "".join(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3" style="fill:{style[0]}"/>' for x, y in pts)
        dash = f";stroke-dasharray:{style[1]}" if style[1] else ""
        return [f'<g class="{cls}"><polyline class="mt-trend" points="{text}" style="stroke:{style[0]};stroke-width:{width}{dash}"/>{marks}</g>']

    for k, theme in enumerate(themes):
        style = (TREND_COLOURS[k % 8], TREND_DASHES[(k // 8) % 3])
        out += line([p["themes"][theme["id"]] for p in points], style, "mt-trend-theme")
    out += line([p["overall"] for p in points], ("currentColor", ""), "mt-trend-overall", 4)
    out.append(f'<g class="mt-legend" transform="translate(8 {_n(legend_top)})">')
    entries = [(message("table.overall", lang), ("currentColor", ""))] + [
        (_row_title(t, lang), (TREND_COLOURS[k % 8], TREND_DASHES[(k // 8) % 3])) for k, t in enumerate(themes)]
    for j, (name, style) in enumerate(entries):
        col, row = j % 2, j // 2
        x, y = col * 316.0, row * 20.0
        dash = f";stroke-dasharray:{style[1]}" if style[1] else ""
        width = 4 if j == 0 else 2
        out.append(f'<line x1="{_n(x)}" y1="{_n(y)}" x2="{_n(x + 26)}" y2="{_n(y)}" '
                   f'style="stroke:{style[0]};stroke-width:{width}{dash}"/>')
        label = wrap_label(name, 270 / CHAR_W, 1)[0]
        out.append(f'<text class="mt-text" x="{_n(x + 32)}" y="{_n(y + 4)}">{escape(label)}</text>')
    out.append("</g></svg>")
    return "".join(out)


def trend_table_html(defn, data, lang) -> str:
    """Each theme's mean at each reading, and the change from the first reading to the last."""
    points = data["points"]
    empty = message("table.empty", lang)
    head = [message("table.theme", lang)] + [p["date"] for p in points] + [message("table.delta", lang)]

    def cells(values):
        shown = [mean_display(v, lang) if v is not None else empty for v in values]
        known = [v for v in values if v is not None]
        change = format_number(known[-1] - known[0], lang, 1, sign=True) if len(known) >= 2 else empty
        return [*shown, change]

    rows = [[_row_title(t, lang), *cells([p["themes"][t["id"]] for p in points])] for t in data["themes"]]
    foot = [message("table.overall", lang), *cells([p["overall"] for p in points])]
    caption = message("trend.caption", lang, title=tr(defn.get("title"), lang), n=len(points))
    return _table(caption, head, rows, foot) + _versions_note(data["themes"], lang)


# ---------------------------------------------------------------- network benchmark


def _stat(stats, key, lang):
    if not stats or stats.get(key) is None:
        return message("table.empty", lang)
    return format_number(stats[key], lang, 1)


def standing_words(row, lang) -> str:
    if row["stats"] is None or row["stats"].get("median") is None:
        return message("bench.pos.no_figures", lang)
    if row["position"] is None:
        return message("chart.no_answer", lang)
    return message(f"bench.pos.{row['position']}", lang)


def standing_svg(defn, data, lang, uid="mt-bench") -> str:
    """Per theme the network's middle half (a box from the lower to the upper quartile, the median a
    line in it) on the 1-5 scale, and your mean as a dot with its value."""
    uid = _uid(uid)
    rows = [*data["themes"], data["overall"]]
    unit = (BAR_X1 - BAR_X0) / 4

    def x_at(v):
        return BAR_X0 + unit * (v - 1)

    top = 58.0
    height = top + ROW_H * len(rows) + 8
    items = [message("bench.item", lang, theme=_row_title(r, lang), mean=r["mean_display"] if r["mean"] is not None
                     else message("chart.no_answer", lang), q1=_stat(r["stats"], "q1", lang),
                     median=_stat(r["stats"], "median", lang), q3=_stat(r["stats"], "q3", lang),
                     where=standing_words(r, lang)) for r in rows]
    title = message("bench.title", lang, title=tr(defn.get("title"), lang), n=data["count"])
    desc = message("bench.desc", lang, summary="; ".join(items) + ".")
    out = _open(uid, height, title, desc)
    out.append('<g class="mt-legend" aria-hidden="true">')
    out.append('<rect class="mt-box" x="8" y="8" width="26" height="12"/><line class="mt-median" x1="21" y1="6" x2="21" y2="22"/>')
    out.append(f'<text class="mt-text" x="40" y="18">{escape(message("bench.legend.box", lang))}</text>')
    out.append('<g class="mt-series-a"><circle class="mt-mark" cx="21" cy="36" r="5"/></g>')
    out.append(f'<text class="mt-text" x="40" y="40">{escape(message("bench.legend.you", lang))}</text>')
    out.append("</g>")
    out.append('<g class="mt-grid-lines" aria-hidden="true">')
    for v in range(1, 6):
        out.append(f'<line class="mt-grid" x1="{_n(x_at(v))}" y1="{_n(top - 4)}" x2="{_n(x_at(v))}" y2="{_n(height - 6)}"/>')
        out.append(f'<text class="mt-scale" x="{_n(x_at(v))}" y="{_n(top - 8)}" text-anchor="middle">{v}</text>')
    out.append("</g>")
    for j, r in enumerate(rows):
        mid = top + ROW_H * j + ROW_H / 2
        lines = wrap_label(_row_title(r, lang), (LABEL_W - 8) / CHAR_W)
        y0 = mid + 4 - (len(lines) - 1) * 7
        weight = ' font-weight="bold"' if r["id"] == "overall" else ""
        spans = "".join(f'<tspan x="8" y="{_n(y0 + k * 14)}">{escape(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text class="mt-text mt-label"{weight}>{spans}</text>')
        stats = r["stats"]
        if stats and stats.get("median") is not None:
            out.append(f'<rect class="mt-box" x="{_n(x_at(stats["q1"]))}" y="{_n(mid - 9)}" '
                       f'width="{_n(max(1.0, unit * (stats["q3"] - stats["q1"])))}" height="18"/>')
            out.append(f'<line class="mt-median" x1="{_n(x_at(stats["median"]))}" y1="{_n(mid - 11)}" '
                       f'x2="{_n(x_at(stats["median"]))}" y2="{_n(mid + 11)}"/>')
        if r["mean"] is not None:
            x = x_at(r["mean"])
            out.append(f'<g class="mt-series-a"><circle class="mt-mark" cx="{_n(x)}" cy="{_n(mid)}" r="5"/></g>')
            out.append(f'<text class="mt-text mt-value" x="{_n(BAR_X1 + 10)}" y="{_n(mid + 4)}">'
                       f'{escape(r["mean_display"])}</text>')
    out.append("</svg>")
    return "".join(out)


def standing_table_html(defn, data, lang) -> str:
    """Your mean, the network's quartiles and count, and where you stand, per theme and overall."""
    head = [message(k, lang) for k in ("table.theme", "bench.you", "bench.q1", "bench.median", "bench.q3",
                                       "table.count", "bench.where")]

    def row(r):
        count = r["stats"]["count"] if r["stats"] else 0
        mean = r["mean_display"] if r["mean"] is not None else message("table.empty", lang)
        return [_row_title(r, lang), mean, _stat(r["stats"], "q1", lang), _stat(r["stats"], "median", lang),
                _stat(r["stats"], "q3", lang), count, standing_words(r, lang)]

    caption = message("bench.caption", lang, title=tr(defn.get("title"), lang), n=data["count"])
    note = ""
    if not all(r["comparable"] for r in data["themes"]):
        note = f'<p class="mt-note">{escape(message("bench.versions_note", lang))}</p>'
    return _table(caption, head, [row(r) for r in data["themes"]], row(data["overall"])) + note

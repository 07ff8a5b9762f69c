"""SVG charts and HTML tables: valid XML, accessible names, escaping, no active content."""

import re
import xml.etree.ElementTree as ET

import pytest
from engine_helpers import big_definition

from toolbox.charts import bars_svg, compare_table_html, group_table_html, radar_group_svg, radar_svg, table_html, wrap_label
from toolbox.compare import aggregate, compare_pair
from toolbox.scoring import score

SVG = "{http://www.w3.org/2000/svg}"
ANSWERS = {"alpha-1": 4, "alpha-2": 3, "alpha-3": 2, "beta-1": 2, "beta-2": "na", "gamma-1": 5}


def check_svg(text, uid):
    root = ET.fromstring(text)  # well-formed XML
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{uid}-title {uid}-desc"
    assert root.get("viewBox").startswith("0 0 640 ")
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title.get("id") == f"{uid}-title" and title.text
    assert desc.get("id") == f"{uid}-desc" and desc.text
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    for el in root.iter():
        assert el.tag.replace(SVG, "") not in ("script", "foreignObject", "a", "image", "use", "iframe")
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "javascript:" not in value.lower() and "url(" not in value.lower()
            assert not name.endswith("href")
    lowered = text.lower()
    assert "<script" not in lowered and "http://" not in lowered.replace('xmlns="http://www.w3.org/2000/svg"', "")
    return root, desc.text


def texts(root):
    return " ".join("".join(el.itertext()) for el in root.iter(SVG + "text"))


def test_radar_single(defn):
    s = score(defn, ANSWERS, "en")
    root, desc = check_svg(radar_svg(defn, "en", [s], uid="r1"), "r1")
    assert "Alpha theme: 3.7 (established)" in desc
    assert "Gamma theme with a rather long title that wraps: 5.0 (embedded)" in desc
    assert "Your result" in texts(root)  # legend
    assert root.find(f".//{SVG}g[@class='mt-legend']") is not None
    assert len(root.findall(f".//{SVG}circle")) >= 3
    style = root.find(SVG + "style").text
    assert ".mt-series-a{stroke:var(--mt-series-a,#1f5fa8)" in style and "currentColor" in style


def test_radar_pair_has_legend_dashes_and_squares(defn):
    before, after = score(defn, {"alpha-1": 2}, "nl"), score(defn, ANSWERS, "nl")
    root, desc = check_svg(radar_svg(defn, "nl", [before, after], uid="pair"), "pair")
    legend = "".join(root.find(f".//{SVG}g[@class='mt-legend']").itertext())
    assert "Eerder" in legend and "Nu" in legend
    assert root.findall(f".//{SVG}g[@class='mt-series mt-series-b']")
    assert root.findall(f".//{SVG}g[@class='mt-series mt-series-b']/{SVG}rect")  # square markers
    assert "stroke-dasharray" in root.find(SVG + "style").text
    assert "Eerder:" in desc and "Nu:" in desc and "nog geen antwoord" in desc


def test_radar_group(defn):
    agg = aggregate(defn, [{"alpha-1": 1, "beta-1": 4}, {"alpha-1": 5, "beta-1": 2}], "de")
    root, desc = check_svg(radar_group_svg(defn, "de", agg, uid="grp"), "grp")
    assert root.find(f".//{SVG}path[@class='mt-band']") is not None
    legend = "".join(root.find(f".//{SVG}g[@class='mt-legend']").itertext())
    assert "Mittelwert der Gruppe" in legend and "Bereich" in legend
    assert "von 1,0 bis 5,0" in desc


def test_bars_ranked_with_values_and_no_answer(defn):
    s = score(defn, ANSWERS, "en")
    root, _desc = check_svg(bars_svg(defn, "en", s, uid="b1"), "b1")
    labels = [" ".join(t.itertext()) for t in root.iter(SVG + "text") if "mt-label" in t.get("class")]
    values = ["".join(t.itertext()) for t in root.iter(SVG + "text") if "mt-value" in t.get("class")]
    assert labels[0].startswith("Beta") and labels[1].startswith("Alpha") and labels[2].startswith("Gamma")
    assert values == ["2.0 · developing", "3.7 · established", "5.0 · embedded"]
    s = score(defn, {"alpha-1": 4}, "en")
    root, _ = check_svg(bars_svg(defn, "en", s, uid="b2"), "b2")
    values = ["".join(t.itertext()) for t in root.iter(SVG + "text") if "mt-value" in t.get("class")]
    assert values == ["4.0 · embedded", "no answer yet", "no answer yet"]


HOSTILE = '<script>alert("x")</script> & "quotes" \'apos\' ]]> onload=alert(1)'


def test_everything_is_escaped(defn):
    defn["title"]["en"] = HOSTILE
    defn["themes"][0]["title"]["en"] = HOSTILE
    s = score(defn, ANSWERS, "en")
    agg = aggregate(defn, [ANSWERS, {}], "en")
    pair = compare_pair(defn, {}, ANSWERS, "en")
    for uid, svg in (("x1", radar_svg(defn, "en", [s], uid="x1")), ("x2", bars_svg(defn, "en", s, uid="x2")),
                     ("x3", radar_group_svg(defn, "en", agg, uid="x3")),
                     ("x4", radar_svg(defn, "en", [pair["before"], pair["after"]], uid="x4"))):
        _root, desc = check_svg(svg, uid)
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert "<script>" in desc  # kept as text, shown as text
    for html in (table_html(defn, "en", s), compare_table_html(defn, "en", pair), group_table_html(defn, "en", agg)):
        assert "<script>" not in html and "&lt;script&gt;" in html
        ET.fromstring(html)


def test_uid_is_sanitised(defn):
    s = score(defn, {}, "en")
    svg = radar_svg(defn, "en", [s], uid='"><script>')
    root = ET.fromstring(svg)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*-title", root.find(SVG + "title").get("id"))


@pytest.mark.parametrize("n", [3, 4, 5, 8, 12, 15])
def test_radar_readable_for_3_to_15_axes(n):
    d = big_definition(n, 3)
    s = score(d, {f"s-{i}-1": (i % 5) + 1 for i in range(n)}, "en")
    root, _ = check_svg(radar_svg(d, "en", [s], uid=f"n{n}"), f"n{n}")
    for text in root.iter(SVG + "text"):
        spans = text.findall(SVG + "tspan")
        assert len(spans) <= 2
        for span in spans:
            x, y = float(span.get("x")), float(span.get("y"))
            assert 0 <= x <= 640 and 0 < y < 440
            width = len(span.text) * 6.4
            anchor = text.get("text-anchor")
            left = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
            assert left >= 0 and left + width <= 640, (span.text, anchor, x)


def test_wrap_label():
    assert wrap_label("Short", 20) == ["Short"]
    assert wrap_label("Partnerships with employers and public services", 20) == [
        "Partnerships with", "employers and…"]
    assert wrap_label("Partnerships with employers and public", 20) == ["Partnerships with", "employers and public"]
    lines = wrap_label("Nachhaltigkeitsstrategiebeauftragtenversammlung", 12)
    assert len(lines) == 2 and all(len(line) <= 12 for line in lines) and lines[-1].endswith("…")
    assert all(len(line) <= 20 for line in wrap_label("a " * 60, 20))


def test_tables(defn):
    s = score(defn, ANSWERS, "en")
    html = table_html(defn, "en", s)
    root = ET.fromstring(html)
    assert root.find("caption").text == "Mini check: scores per theme"
    assert [th.get("scope") for th in root.iter("th")].count("col") == 6
    rows = [[c.text for c in tr] for tr in root.iter("tr")][1:]
    assert rows[0] == ["Alpha theme", "3.7", "established", "3", "0", "3"]
    assert rows[1] == ["Beta theme", "2.0", "developing", "1", "1", "4"]
    assert rows[-1][0] == "All themes"
    pair = ET.fromstring(compare_table_html(defn, "en", compare_pair(defn, {"alpha-1": 1}, ANSWERS, "en")))
    prow = [[c.text for c in tr] for tr in pair.iter("tr")][1]
    assert prow == ["Alpha theme", "1.0", "3.7", "+2.7"]
    grp = ET.fromstring(group_table_html(defn, "nl", aggregate(defn, [ANSWERS, {"alpha-1": 1}], "nl")))
    grow = [[c.text for c in tr] for tr in grp.iter("tr")][1]
    assert grow == ["Alfa-thema", "2,3", "1,0", "3,7", "2"]

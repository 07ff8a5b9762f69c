"""Build tests: every page in every language, languages really translated, links, assets, zip."""

from __future__ import annotations

import difflib
import gzip
import itertools
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import sparse_snapshot
from support import LANGS, QUESTIONNAIRES, ROOT

PAGES = [
    "index", "why-mentoring-to-work", "what-is-mentoring-to-work", "models/index",
    "models/mentoring-to-nec", "models/mentomigri", "models/memoga", "models/integrif",
    "models/bottom-up-integration", "sustainable-organisations", "toolbox/index",
    *(f"toolbox/{ident}" for ident in QUESTIONNAIRES),
    "offline-copy", "privacy", "about", "glossary",
]
MODEL_PAGES = [p for p in PAGES if p.startswith("models/") and p != "models/index"]


def built(site: Path, lang: str, page: str) -> Path:
    prefix = "" if lang == "en" else f"{lang}/"
    return site / f"{prefix}{page}.html"


class PageParser(HTMLParser):
    """Collects links, ids, scripts and the article text of one page."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.lang = None
        self.article: list[str] = []
        self._in_article = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append((tag, attrs[key]))
        if tag == "article":
            self._in_article += 1
        if tag in ("script", "style", "svg"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self._in_article -= 1
        if tag in ("script", "style", "svg"):
            self._skip -= 1

    def handle_data(self, data):
        if self._in_article and not self._skip:
            self.article.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_exists_in_every_language_with_its_lang(site_dir, lang, page):
    path = built(site_dir, lang, page)
    assert path.exists(), f"{path} was not built"
    parsed = parse(path)
    assert parsed.lang == lang
    text = " ".join(parsed.article)
    assert len(text.split()) > 60, f"{path} has almost no text"


@pytest.mark.parametrize("page", PAGES)
def test_no_language_is_a_copy_of_another(site_dir, page):
    texts = {lang: " ".join(parse(built(site_dir, lang, page)).article).split() for lang in LANGS}
    for a, b in itertools.combinations(LANGS, 2):
        matcher = difflib.SequenceMatcher(None, texts[a], texts[b], autojunk=False)
        # quick_ratio (shared words, in any order) is never below ratio (in order) and takes a
        # fraction of its time: the slow measure only where the quick one reaches the limit.
        ratio = matcher.quick_ratio()
        if ratio >= 0.5:
            ratio = matcher.ratio()
        assert ratio < 0.5, f"{page}: {a} and {b} are {ratio:.0%} the same words"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", MODEL_PAGES)
def test_every_model_page_links_to_a_self_evaluation(site_dir, lang, page):
    links = [href for tag, href in parse(built(site_dir, lang, page)).links if tag == "a"]
    targets = [h for h in links if re.search(r"toolbox/({})\.html".format("|".join(QUESTIONNAIRES)), h)]
    assert targets, f"{lang}/{page} links to no self-evaluation"


@pytest.mark.parametrize("lang", LANGS)
def test_integrif_page_links_to_the_integration_network_self_evaluation(site_dir, lang):
    links = [href for tag, href in parse(built(site_dir, lang, "models/integrif")).links if tag == "a"]
    assert any(h.endswith("toolbox/integration-network.html") for h in links), f"{lang}/models/integrif"


def all_pages(root: Path):
    # 404.html is for web servers only and uses root-absolute links by design.
    return sorted(p for p in root.rglob("*.html") if "assets" not in p.parts and p.name != "404.html")


def check_internal_links(root: Path, allow_missing=()) -> list[str]:
    parsed = {page: parse(page) for page in all_pages(root)}
    problems = []
    for page, info in parsed.items():
        for _tag, link in info.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//") or link.startswith(("mailto:", "data:", "blob:")):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if any(a in link for a in allow_missing):
                continue
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{page.relative_to(root)}: {link} (missing file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page.relative_to(root)}: {link} (missing anchor)")
    return problems


def test_every_internal_link_and_anchor_resolves_online(site_dir):
    problems = check_internal_links(site_dir)
    assert not problems, "\n".join(problems[:40])


def test_every_internal_link_and_anchor_resolves_offline(offline_dir):
    # The offline copy does not carry the zip of itself; its page says so.
    problems = check_internal_links(offline_dir, allow_missing=("downloads/memore-toolbox-offline.zip",))
    assert not problems, "\n".join(problems[:40])


EXTERNAL_ASSET = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//[^"']+\.(?:js|mjs|css|woff2?|ttf|wasm|png|jpe?g|svg|gif)\b""", re.I)
EXTERNAL_CSS = re.compile(r"""url\(\s*["']?(?:https?:)?//""", re.I)


def test_no_page_or_asset_references_another_origin_for_assets(site_dir):
    offenders = []
    for path in site_dir.rglob("*"):
        if path.suffix in (".html", ".css") and EXTERNAL_ASSET.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(str(path.relative_to(site_dir)))
        if path.suffix == ".css" and EXTERNAL_CSS.search(path.read_text(encoding="utf-8", errors="replace")):
            offenders.append(str(path.relative_to(site_dir)))
    assert not offenders, offenders
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "unpkg.com" not in index


def test_every_page_has_a_strict_content_security_policy(site_dir):
    for page in all_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert match, f"{page} has no CSP"
        policy = match.group(1)
        assert "object-src 'none'" in policy and "base-uri 'none'" in policy
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        python_page = "data-memore-questionnaire" in html or "data-memore-smoke" in html
        assert ("wasm-unsafe-eval" in policy) == python_page, page


EARLY_SCRIPT = re.compile(r'<script data-base="([^"]*)" data-pyodide="([^"]*)">(.*?)</script>', re.S)
SEARCH_LATER = re.compile(r'<script data-memore-search-later>(.*?)</script>', re.S)


def _python_pages(site_dir, pattern):
    """[(page, html, pattern's matches)] for the pages that run Python (one per questionnaire and
    language, and the self-evaluations page); the pattern must not match on any other page."""
    found_on = []
    for page in all_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        found = pattern.findall(html)
        if "data-memore-questionnaire" not in html and "data-memore-smoke" not in html:
            assert found == [], page
            continue
        found_on.append((page, html, found))
    assert len(found_on) == len(LANGS) * (len(QUESTIONNAIRES) + 1)
    return found_on


def _inline_source(name):
    # Jinja drops an included file's last newline.
    return (ROOT / "overrides" / "assets" / "toolbox" / name).read_text(encoding="utf-8").removesuffix("\n")


def _allowed_by_policy(head, body):
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'" in head


def test_pages_that_run_python_start_it_from_early_js_inline_first_in_the_head(site_dir):
    # early.js starts the worker at once on a returning visit, so it must come before anything
    # else the page loads, exactly as written (the template includes it as Jinja text), and be
    # allowed by the page's hash-based policy.
    source = _inline_source("early.js")
    version = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    for page, html, found in _python_pages(site_dir, EARLY_SCRIPT):
        assert len(found) == 1, page
        base, pinned, body = found[0]
        assert body == source, f"{page}: the inlined early.js differs from overrides/assets/toolbox/early.js"
        assert version.endswith(pinned), (page, pinned, version)
        depth = len(page.relative_to(site_dir).parts) - 1
        assert base == ("../" * depth if depth else "./"), (page, base)
        head = html[html.index("<head>"):html.index("</head>")]
        assert head.index("data-base=") < min(head.index("<link"), head.index("<script src=")), page
        assert _allowed_by_policy(head, body), f"{page}: early.js is not allowed by the page's policy"


def test_pages_that_run_python_hold_the_search_index_from_the_head(site_dir):
    # search-later.js must run before Material's script (async, it may run before the page is
    # parsed), so it is inline in the head, right after early.js, exactly as written, and allowed
    # by the page's policy; reading pages do not have it (their search is not held).
    source = _inline_source("search-later.js")
    for page, html, found in _python_pages(site_dir, SEARCH_LATER):
        assert found == [source], f"{page}: the inlined search-later.js differs from the file"
        head = html[html.index("<head>"):html.index("</head>")]
        assert head.index("data-base=") < head.index("data-memore-search-later") < head.index("<script src="), page
        assert head.index("data-memore-search-later") < head.index("<link"), page
        assert _allowed_by_policy(head, source), f"{page}: search-later.js is not allowed by the page's policy"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ident", QUESTIONNAIRES)
def test_questionnaire_pages_carry_the_whole_form(site_dir, lang, ident):
    from toolbox.definitions import load_definition
    from toolbox.scoring import accepted_values, kind_of

    definition = load_definition(ident)
    html = built(site_dir, lang, f"toolbox/{ident}").read_text(encoding="utf-8")
    statements = [s for theme in definition["themes"] for s in theme["statements"]]
    assert html.count('class="memore-statement"') == len(statements)
    assert html.count('type="radio" name="q-') == sum(len(accepted_values(s)) for s in statements)
    assert html.count('data-memore-note=') == len(definition["themes"])
    # Each agreement option: the radio, its words, and its number for CSS (data-n), which screen
    # readers skip; a practice's options (no / partly / yes / not applicable) are words only.
    agree = [s for s in statements if kind_of(s) == "agree"]
    assert len(re.findall(r'<label class="memore-option[^"]*" data-n="(?:[1-5]|–)"><input type="radio"', html)) \
        == 6 * len(agree)
    assert len(re.findall(r'<label class="memore-option[^"]*"><input type="radio" name="q-[^"]+" '
                          r'value="(?:no|partly|yes|na)">', html)) == 4 * (len(statements) - len(agree))
    # Text fields stay outside the bodies laid out only near the screen (content-visibility):
    # Chromium's autofill looks at each text field once the page is parsed, and forced a whole
    # theme's layout for each one inside.
    theme = (r'<div class="memore-theme-body">(?:(?!<textarea|<div class="memore-theme-body">).)*'
             r'data-memore-theme-result="[^"]*"></div></div>'
             r'<label class="memore-note-label"[^>]*>[^<]*</label><textarea')
    assert len(re.findall(theme, html, re.S)) == len(definition["themes"])
    data = re.search(r'<script type="application/json" id="memore-definition">(.*?)</script>', html, re.S).group(1)
    local = json.loads(data)
    assert local["id"] == ident
    assert set(local["title"]) == {lang}
    for theme in local["themes"]:
        for link in theme["links"]:
            target = (built(site_dir, lang, f"toolbox/{ident}").parent / link["url"]).resolve()
            assert target.exists(), link


def test_runtime_is_vendored_from_the_pinned_npm_package(site_dir):
    lock = json.loads((ROOT / "package-lock.json").read_text())
    version = lock["packages"]["node_modules/pyodide"]["version"]
    runtime = site_dir / "assets" / "pyodide" / f"v{version}"
    for name in ("pyodide.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json", "pyodide.asm.mjs"):
        assert (runtime / name).stat().st_size > 1000, name
    for name in ("pyodide-asm.js", "pyodide-wasm.js", "pyodide-stdlib.js", "pyodide-lock.js"):
        assert (runtime / "offline" / name).stat().st_size > 1000, name
    factory = (runtime / "offline" / "pyodide-asm.js").read_text(encoding="utf-8")
    assert "export default" not in factory and "import.meta" not in factory
    engine = (site_dir / "assets" / "toolbox" / "engine.js").read_text(encoding="utf-8")
    assert '"toolbox/browser.py"' in engine and '"toolbox/cli.py"' not in engine


def test_the_python_snapshot_is_built_for_this_engine(site_dir):
    # The memory image the online worker starts from: gzip, made from this build's engine files.
    snapshot = (site_dir / "assets" / "toolbox" / "python-snapshot.bin").read_bytes()
    assert snapshot[:2] == b"\x1f\x8b"
    assert 1_000_000 < len(snapshot) < 15_000_000
    stored = gzip.decompress(snapshot)
    memory = sparse_snapshot.expand(stored)
    assert memory[:4] == b"\x00snp" and len(memory) > 10_000_000  # Pyodide's snapshot header
    # Stored sparse: the pages of zeros (about half the memory) are not stored, and every stored
    # run holds something else; unpacking only the runs is what saves the browser's time.
    assert stored == sparse_snapshot.sparse(memory)
    assert len(stored) < 0.7 * len(memory), (len(stored), len(memory))
    engine = (site_dir / "assets" / "toolbox" / "engine.js").read_text(encoding="utf-8")
    build = json.loads(engine[engine.index("{"):engine.rindex("}") + 1])["build"]
    assert re.fullmatch(r"[0-9a-f]{16}", build)
    assert build.encode() in memory, "the snapshot was not made from this engine.js"
    assert b"toolbox.browser" in memory


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_questionnaire_statements_but_not_their_controls(site_dir, lang):
    # Statements and themes are searchable; the answer scale, counters, notes and the result,
    # plan and compare sections are not (they made every snippet read "1Strongly disagree2...").
    from memore_site.formhtml import ui
    from toolbox import definitions
    from toolbox.messages import message

    prefix = "" if lang == "en" else f"{lang}/"
    docs = json.loads((site_dir / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    for ident in QUESTIONNAIRES:
        entries = [d for d in docs if d["location"].startswith(f"toolbox/{ident}.html")]
        text = " ".join(d["title"] + " " + d["text"] for d in entries)
        defn = definitions.load_definition(ident)
        first = defn["themes"][0]["statements"][0]["text"][lang]
        assert first in text, (ident, first)
        scale = f"{message('scale.1', lang)}2{message('scale.2', lang)}"  # how the controls read in the index
        assert scale not in text and message("scale.1", lang) not in text, ident
        assert ui("statement_group", lang, n=1, total=2) not in text
        assert ui("notes", lang) not in text
        assert not any(d["location"].endswith(("#results-title", "#plan-title", "#compare-title")) for d in entries)


@pytest.mark.parametrize("lang", LANGS)
def test_each_language_searches_its_own_pages_with_its_own_stemmer(site_dir, lang):
    # Issue 20: search in a language finds that language's pages, stemmed by its lunr language.
    prefix = "" if lang == "en" else f"{lang}/"
    index = json.loads((site_dir / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [lang]
    if lang != "en":
        assert (site_dir / "assets" / "javascripts" / "lunr" / "min" / f"lunr.{lang}.min.js").exists()
    pages = {d["location"].split("#")[0] for d in index["docs"]}
    assert pages == {f"{page}.html" for page in PAGES}
    home = next(d for d in index["docs"] if d["location"] == "index.html")
    title = (ROOT / "docs" / lang / "index.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    assert home["title"] == title


@pytest.mark.parametrize("lang", LANGS)
def test_questionnaire_pages_and_the_overview_use_the_questionnaires_own_titles(lang):
    # A reader who follows "Kvalitet i ett program ..." lands on a page and form of the same name.
    from toolbox import definitions

    overview = (ROOT / "docs" / lang / "toolbox" / "index.md").read_text(encoding="utf-8")
    for ident in QUESTIONNAIRES:
        title = definitions.load_definition(ident)["title"][lang]
        page = (ROOT / "docs" / lang / "toolbox" / f"{ident}.md").read_text(encoding="utf-8")
        assert page.splitlines()[0] == f"# {title}", (lang, ident)
        assert f"[{title}]({ident}.md)" in overview, (lang, ident)


def test_the_site_builds_exactly_the_engine_languages_and_the_offline_start_links_each():
    # mkdocs.yml (the i18n plugin) and toolbox.messages.LANGUAGES name the same languages, so a new
    # language cannot be half added; START-HERE.html links every one of them.
    from memore_site import offline

    names = offline.language_names(ROOT / "mkdocs.yml")
    assert list(names) == list(LANGS)
    page = offline.start_here_page(names)
    for locale, name in list(names.items())[1:]:
        assert f'<a href="{locale}/index.html" lang="{locale}">{name}</a>' in page


def test_material_script_is_async_and_carries_the_kept_patches_only(site_dir):
    # Material's bundle is loaded async on every page (overrides/main.html), and the build's kept
    # changes to it (mounting after DOMContentLoaded) are in it; the dropped ones are not.
    from memore_site import theme

    bundle = next((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    code = bundle.read_text(encoding="utf-8")
    kept = [patch for patch in theme.ALL_PATCHES if patch[0] in theme.KEPT]
    assert kept
    for group, why, old, new in theme.ALL_PATCHES:
        if group in theme.KEPT:
            assert code.count(new) == 1 and old not in code.replace(new, ""), why
        else:
            assert code.count(old) == 1 and new not in code, why
    for page in [*all_pages(site_dir), site_dir / "404.html"]:
        html = page.read_text(encoding="utf-8")
        tags = re.findall(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"[^>]*>', html)
        assert len(tags) == 1 and tags[0].endswith(" async>"), page


THEME_LATER = re.compile(r'<template data-memore-theme-later>(<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+'
                         r'\.min\.js" async></script>)</template>')


def test_pages_that_run_python_hold_materials_script_in_a_template(site_dir):
    # toolbox.js inserts it once Python's first results are on screen (tests/browser/test_theme_later.py).
    for page, html, found in _python_pages(site_dir, THEME_LATER):
        assert len(found) == 1, page
        assert html.index("<template data-memore-theme-later>") < html.index("assets/toolbox/toolbox.js"), page


def test_the_build_stops_when_a_kept_patch_no_longer_fits_the_bundle(site_dir):
    from memore_site import theme

    code = theme.bundle_file(site_dir).read_text(encoding="utf-8")
    _group, _why, old, new = next(p for p in theme.ALL_PATCHES if p[0] in theme.KEPT)
    pristine = code.replace(new, old)
    assert theme.patched(pristine) == code
    with pytest.raises(theme.ThemeError, match="Material's bundle changed"):
        theme.patched(pristine.replace(old, old.replace("DOMContentLoaded", "DOMContentLoad")))
    with pytest.raises(theme.ThemeError, match="not async"):
        theme.check_async((site_dir / "index.html").read_text(encoding="utf-8").replace(".min.js\" async>", ".min.js\">"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ident", QUESTIONNAIRES)
def test_questionnaire_pages_carry_the_rules_of_their_own_check(site_dir, lang, ident):
    """The page's check of loaded files reads these rules, made by the engine for this page and language."""
    from toolbox.definitions import load_definition
    from toolbox.resultfile import page_rules

    html = built(site_dir, lang, f"toolbox/{ident}").read_text(encoding="utf-8")
    data = re.search(r'<script type="application/json" id="memore-rules">(.*?)</script>', html, re.S).group(1)
    rules = json.loads(data)
    assert rules == json.loads(json.dumps(page_rules(load_definition(ident), lang)))
    assert rules["instrument"]["id"] == ident
    assert rules["messages"]["error.empty"] == json.loads(
        (ROOT / "toolbox" / "data" / "messages.json").read_text(encoding="utf-8"))[lang]["error.empty"]
    assert (site_dir / "assets" / "toolbox" / "resultcheck.js").exists()


def test_result_file_schema_is_published(site_dir):
    schema = json.loads((site_dir / "schema" / "result-v2.schema.json").read_text(encoding="utf-8"))
    assert schema["type"] == "object"
    assert "answers" in schema["$defs"]["format-2"]["properties"]


def test_offline_zip_is_small_and_complete(offline_zip):
    assert offline_zip.stat().st_size < 25 * 1024 * 1024
    with zipfile.ZipFile(offline_zip) as archive:
        names = archive.namelist()
    top = names[0].split("/")[0]
    for needed in ("START-HERE.html", *(f"{lang}/index.html" for lang in LANGS if lang != "en"), "index.html",
                   *(f"{lang}/search/search_index.js" for lang in LANGS if lang != "en"),
                   *(f"assets/javascripts/lunr/min/lunr.{lang}.min.js" for lang in LANGS if lang != "en"),
                   "search/search_index.js", "assets/vendor/iframe-worker/shim.js",
                   "assets/toolbox/resultcheck.js", "assets/toolbox/questionnaire.js"):
        assert f"{top}/{needed}" in names, needed
    assert not any(n.endswith((".wasm", "python_stdlib.zip", "python-snapshot.bin")) for n in names), \
        "online-only runtime files in the zip"
    with zipfile.ZipFile(offline_zip) as archive:
        start = archive.read(f"{top}/START-HERE.html").decode("utf-8")
    assert 'url=index.html"' in start  # forwards to the English home page
    for lang in LANGS:
        if lang != "en":  # and links each other language's home page by its own name
            assert f'<a href="{lang}/index.html" lang="{lang}">' in start, (lang, start)


def test_a_language_that_mkdocs_does_not_build_stops_the_build(monkeypatch):
    from memore_site import offline

    assert offline.language_names(ROOT / "mkdocs.yml")["fi"] == "Suomi"
    monkeypatch.setattr(offline, "LANGUAGES", (*LANGS, "xx"))
    with pytest.raises(SystemExit) as stopped:
        offline.language_names(ROOT / "mkdocs.yml")
    assert str(stopped.value) == "build: mkdocs.yml builds no locale for xx (i18n plugin, 'languages')"
    monkeypatch.setattr(offline, "LANGUAGES", tuple(lang for lang in LANGS if lang != "sv"))
    with pytest.raises(SystemExit) as stopped:
        offline.language_names(ROOT / "mkdocs.yml")
    assert str(stopped.value) == "build: mkdocs.yml builds sv, which toolbox.messages.LANGUAGES lacks"


# Issue 16, item 5: the name "MeMoRe Toolbox" suggests an official publication. Every page's
# footer and the about page say, in the page's language, that it is not one.
NOT_OFFICIAL = {
    "en": "Not an official MeMoRe publication",
    "nl": "Geen officiële publicatie van MeMoRe",
    "de": "Keine offizielle Veröffentlichung von MeMoRe",
    "fi": "Ei MeMoRen virallinen julkaisu",
    "sv": "Ingen officiell publikation från MeMoRe",
}
NOT_OFFICIAL_ABOUT = {
    "en": "This is not an official MeMoRe publication.",
    "nl": "Dit is geen officiële publicatie van MeMoRe.",
    "de": "Dies ist keine offizielle Veröffentlichung von MeMoRe.",
    "fi": "Tämä ei ole MeMoRen virallinen julkaisu.",
    "sv": "Det här är ingen officiell publikation från MeMoRe.",
}


@pytest.mark.parametrize("lang", LANGS)
def test_every_footer_and_the_about_page_say_this_is_not_an_official_memore_publication(site_dir, lang):
    for page in PAGES:
        html = built(site_dir, lang, page).read_text(encoding="utf-8")
        footer = re.search(r'<div class="md-copyright__highlight">(.*?)</div>', html, re.S)
        assert footer, f"{lang}/{page} has no footer line"
        line = " ".join(footer.group(1).split())
        assert NOT_OFFICIAL[lang] in line and "memore.be" in line and "2017-2019" in line, f"{lang}/{page}: {line}"
    about = " ".join(" ".join(parse(built(site_dir, lang, "about")).article).split())
    assert NOT_OFFICIAL_ABOUT[lang] in about, f"{lang}/about does not say it is not official"


# Issue 16, item 4: how the runtime works (Pyodide, storage key names, build commands) is in the
# README, not on the pages readers use to decide whether and how to use the site.
RUNTIME_WORDS = ("Pyodide", "localStorage", "memore-toolbox:", "__palette", "scripts/build", "dist/")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ["privacy", "offline-copy", "toolbox/index", "about"])
def test_reader_pages_leave_runtime_internals_to_the_readme(site_dir, lang, page):
    text = " ".join(parse(built(site_dir, lang, page)).article)
    found = [word for word in RUNTIME_WORDS if word in text]
    assert not found, f"{lang}/{page} talks about {found}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(word in readme for word in ("memore-toolbox:answers:", ".__palette", "Pyodide", "scripts/build"))


def test_glossary_and_tooltips_carry_the_same_terms_in_every_language():
    # Issue 16: a reader who switches language finds the same glossary terms and tooltips.
    # An abbreviation written differently in a language (Finnish ESR for ESF) is mapped through the termbase.
    from termbase import Termbase

    termbase = Termbase(ROOT / "i18n" / "termbase.yml", LANGS)
    keys = {lang: sorted(termbase.tooltip_id(lang, key) for key in re.findall(
        r"^\*\[([^\]]+)\]:", (ROOT / "includes" / f"abbreviations.{lang}.md").read_text(encoding="utf-8"), re.M))
        for lang in LANGS}
    terms = {lang: len(re.findall(r"^:   ", (ROOT / "docs" / lang / "glossary.md").read_text(encoding="utf-8"), re.M))
             for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys["en"], f"tooltips {lang}: missing {set(keys['en']) - set(keys[lang])}, " \
                                          f"extra {set(keys[lang]) - set(keys['en'])}"
        assert terms[lang] == terms["en"], f"glossary {lang}: {terms[lang]} terms, en has {terms['en']}"


# ---------------------------------------------------------------- the build proves what it makes


def _stopped(call) -> str:
    from memore_site import BuildError

    with pytest.raises(BuildError) as stopped:
        call()
    message = str(stopped.value)
    assert message.startswith("build: ") and "\n" not in message and "Traceback" not in message, message
    return message


def _check_snapshot(site_dir, engine, snapshot):
    from memore_site import runtime
    from toolbox.definitions import load_definition

    return runtime.check_snapshot(site_dir / runtime.runtime_path(ROOT / "node_modules"), engine, snapshot,
                                  ROOT / "scripts", load_definition(runtime.SNAPSHOT_SAMPLE))


def test_the_snapshot_check_passes_on_the_built_snapshot(site_dir):
    from memore_site.runtime import ENGINE, SNAPSHOT

    line = _check_snapshot(site_dir, site_dir / ENGINE, site_dir / SNAPSHOT)
    assert line.startswith("snapshot restored and checked")


@pytest.mark.parametrize("damage, why", [
    ("truncated", "the snapshot cannot be read or unpacked"),
    ("not-a-snapshot", "Pyodide refused to restore the snapshot"),
    ("zeroed-heap", "Pyodide refused to restore the snapshot"),
    ("other-build", "but engine.js is build"),
])
def test_the_build_stops_on_a_broken_snapshot(site_dir, tmp_path, damage, why):
    from memore_site.runtime import ENGINE, SNAPSHOT

    snapshot = tmp_path / "python-snapshot.bin"
    engine = tmp_path / "engine.js"
    packed = (site_dir / SNAPSHOT).read_bytes()
    engine_text = (site_dir / ENGINE).read_text(encoding="utf-8")
    memory = sparse_snapshot.memory_of(packed)
    if damage == "truncated":
        snapshot.write_bytes(packed[: len(packed) // 2])
    elif damage == "not-a-snapshot":
        snapshot.write_bytes(gzip.compress(b"\x00snq" + b"\x00" * 1000))
    elif damage == "zeroed-heap":  # the header kept, the interpreter's memory gone
        snapshot.write_bytes(gzip.compress(memory[:4096] + bytes(len(memory) - 4096)))
    else:  # engine.js of another build than the snapshot's
        build_id = json.loads(engine_text[engine_text.index("{"):engine_text.rindex("}") + 1])["build"]
        engine_text = engine_text.replace(build_id, "0123456789abcdef")
    if damage != "other-build":
        engine.write_text(engine_text, encoding="utf-8")
    else:
        snapshot.write_bytes(packed)
        engine.write_text(engine_text, encoding="utf-8")
    message = _stopped(lambda: _check_snapshot(site_dir, engine, snapshot))
    assert message.startswith("build: the Python snapshot does not work: ") and why in message, message


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def _page_with_search(site_dir, page="index.html") -> str:
    return CSP_META.sub("", (site_dir / page).read_text(encoding="utf-8"))


def test_the_offline_search_bootstrap_is_hashed_on_every_page(site_dir):
    from memore_site import csp

    shim = (site_dir / "assets" / "vendor" / "iframe-worker" / "shim.js").read_text(encoding="utf-8")
    hashes = set()
    for page in all_pages(site_dir):
        html = page.read_text(encoding="utf-8")
        worker = csp.iframe_worker_hash(CSP_META.sub("", html), shim)  # the page's own search-worker URL
        assert re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", worker), page
        assert worker in CSP_META.search(html).group(1).split("script-src")[1].split(";")[0], page
        hashes.add(worker)
    assert len(hashes) >= 3  # one per folder depth: the URL is relative


@pytest.mark.parametrize("change", ["bootstrap-renamed", "function-gone", "shim-missing"])
def test_the_build_stops_when_the_search_bootstrap_cannot_be_hashed(site_dir, tmp_path, change):
    from memore_site.plugin.plugin import MemorePlugin
    from memore_site.runtime import SHIM

    # The plugin reads the shim from node_modules: here from a copy, changed or missing.
    plugin = MemorePlugin()
    plugin.load_config({"node_modules": str(tmp_path / "node_modules")})
    plugin.root = tmp_path
    target = tmp_path / "node_modules" / "iframe-worker" / "shim" / "index.js"
    target.parent.mkdir(parents=True)
    shim = (site_dir / SHIM).read_text(encoding="utf-8")
    if change == "bootstrap-renamed":  # a new shim that builds its frame another way
        assert shim.count("<script>postMessage=${") == 1
        target.write_text(shim.replace("<script>postMessage=${", "<script>self.postMessage=${"))
    elif change == "function-gone":
        name = re.search(r"<script>postMessage=\$\{(\w+)\}", shim).group(1)
        target.write_text(shim.replace(f"function {name}(", f"function {name}Renamed("))
    message = _stopped(lambda: plugin._with_csp(_page_with_search(site_dir)))
    assert message.startswith("build: the Content-Security-Policy cannot be made: ") and "shim" in message, message

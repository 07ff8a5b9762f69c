"""The ``memore`` MkDocs plugin: ``mkdocs build`` and ``mkdocs serve`` make the real site.

Events, in MkDocs' order:

- ``on_startup``: remembers whether this is ``serve`` (live reload; see ``on_post_page``).
- ``on_config``: checks every questionnaire (the build stops with every problem listed), tells
  the templates the vendored Pyodide version.
- ``on_serve``: also watches the questionnaires, the glossary includes, the page strings, the
  engine and the theme overrides, so editing any of them rebuilds and reloads the page.
- ``on_page_markdown``: the language's glossary tooltips. ``on_page_content``: the forms.
- ``on_post_page`` (last): the page's search base in its language folder, the check that
  Material's script is ``async``, and the Content-Security-Policy meta tag (hashes of the
  page's inline scripts; under ``serve``, ``'unsafe-inline'`` instead, because MkDocs' injected
  live-reload script changes on every request).
- ``on_post_build`` (last, once the i18n plugin has built every language): the vendored
  runtime (cached), ``engine.js``, the Python snapshot (cached, proven under Node when made), the
  result file's JSON Schema, Material's bundle patches and one search index per language.

The offline zip is not made here: ``scripts/build`` makes it after ``mkdocs build``.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from toolbox import definitions
from toolbox.errors import DefinitionError
from toolbox.messages import DEFAULT_LANGUAGE, LANGUAGES

from .. import BuildError, csp, pages, runtime, search_split, theme
from .config import MemoreConfig

log = logging.getLogger("mkdocs.plugins.memore")
WATCHED_FOLDERS = ("includes", "overrides")


class MemorePlugin(BasePlugin[MemoreConfig]):
    supports_multiple_instances = False

    def __init__(self):
        self.command = "build"
        self.root = Path.cwd()
        self.definitions: dict = {}
        self._questionnaire_stamp = None
        self.timings: dict[str, float] = {}

    # ------------------------------------------------------------------------------ settings

    def _path(self, setting: str) -> Path:
        return (self.root / self.config[setting]).resolve()

    def _i18n_building(self, config) -> bool:
        """True inside the i18n plugin's builds of the other languages (it sets ``building``)."""
        i18n = config.plugins.get("i18n")
        return bool(getattr(i18n, "building", False))

    def on_startup(self, *, command, dirty):
        self.command = command

    def on_config(self, config):
        if not self.config.enabled:
            return config
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        config.extra["pyodide_version"] = runtime.pyodide_version(self._path("node_modules"))
        self._load_questionnaires()
        return config

    def _load_questionnaires(self) -> None:
        """Every questionnaire, checked (read again only when a YAML file changed)."""
        folder = self._path("questionnaires")
        files = sorted(folder.glob("*.yaml"))
        stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        if stamp == self._questionnaire_stamp:
            return
        found, problems = definitions.validate_dir(folder)
        if problems:
            raise BuildError("build: the questionnaires have problems:\n" + str(DefinitionError(problems)))
        # In the compiled form (sorted keys), as the wheel and the command line have them.
        self.definitions = {ident: json.loads(definitions.dumps_definition(data)) for ident, data in found.items()}
        self._questionnaire_stamp = stamp

    def on_serve(self, server, *, config, builder):
        if not self.config.enabled:
            return server
        watched = [self._path("questionnaires"), self._path("engine"), Path(__file__).resolve().parent.parent / "data"]
        watched += [self.root / name for name in WATCHED_FOLDERS]
        for path in watched:
            if path.exists():
                server.watch(str(path))
        return server

    # --------------------------------------------------------------------------------- pages

    def on_page_markdown(self, markdown, *, page, config, files):
        if not self.config.enabled:
            return markdown
        lang, _ = pages.language_and_path(page.file.abs_src_path, config.docs_dir)
        return pages.with_abbreviations(markdown, lang, self.root / self.config.abbreviations)

    def on_page_content(self, html, *, page, config, files):
        if not self.config.enabled:
            return html
        lang, path = pages.language_and_path(page.file.abs_src_path, config.docs_dir)
        return pages.with_forms(html, lang, path, self.definitions)

    @event_priority(-120)
    def on_post_page(self, output, *, page, config):
        if not self.config.enabled:
            return output
        lang, _ = pages.language_and_path(page.file.abs_src_path, config.docs_dir)
        try:
            theme.check_async(output)
        except theme.ThemeError as exc:
            raise BuildError(f"build: {page.file.src_uri}: {exc}") from None
        if self.config.search_split:
            base = search_split.search_base(page.file.dest_uri, lang, DEFAULT_LANGUAGE)
            if base is not None:
                output = search_split.rebase(output, base)
        return self._with_csp(output)

    @event_priority(-120)
    def on_post_template(self, output_content, *, template_name, config):
        """Pages made from a theme template alone (404.html) get the same policy."""
        if not self.config.enabled or not template_name.endswith(".html"):
            return output_content
        return self._with_csp(output_content)

    def _with_csp(self, html: str) -> str:
        if not self.config.csp:
            return html
        shim = self._path("node_modules") / "iframe-worker" / "shim" / "index.js"
        try:
            if not shim.exists():
                raise csp.CspError(f"the iframe-worker shim is missing ({shim}): its search bootstrap cannot be hashed")
            return csp.apply(html, shim.read_text(encoding="utf-8"), allow_inline=self.command == "serve")
        except csp.CspError as exc:
            raise BuildError(f"build: the Content-Security-Policy cannot be made: {exc}") from None

    # ------------------------------------------------------------------------- the whole site

    @event_priority(-110)
    def on_post_build(self, *, config):
        if not self.config.enabled or self._i18n_building(config):
            return
        site = Path(config.site_dir)
        node_modules, cache_dir = self._path("node_modules"), self._path("cache_dir")
        steps = {}

        def step(name, call):
            started = time.perf_counter()
            result = call()
            steps[name] = time.perf_counter() - started
            return result

        made_runtime = step("runtime", lambda: runtime.vendor(site, node_modules, cache_dir))
        engine_text = step("engine", lambda: runtime.engine_bundle(site, self._path("engine"), node_modules))
        made_snapshot = None
        if self.config.snapshot:
            sample = self.definitions[runtime.SNAPSHOT_SAMPLE]
            made_snapshot = step("snapshot", lambda: runtime.snapshot(
                site, node_modules, self._path("node_scripts"), cache_dir, engine_text, sample))
        step("schema", lambda: runtime.publish_schema(site))
        try:
            step("theme", lambda: theme.patch_bundle(site, tuple(self.config.bundle_patches)))
        except theme.ThemeError as exc:
            raise BuildError(f"build: {exc}") from None
        if self.config.search_split:
            step("search", lambda: search_split.split(site, LANGUAGES, DEFAULT_LANGUAGE))
        self.timings = steps
        log.info("memore: runtime %s, snapshot %s; %s",
                 "made" if made_runtime else "from the cache",
                 {True: "made and proven", False: "from the cache", None: "off"}[made_snapshot],
                 ", ".join(f"{name} {seconds:.2f} s" for name, seconds in steps.items()))

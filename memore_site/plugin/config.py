"""The ``memore`` plugin's settings (mkdocs.yml, ``plugins: - memore: ...``), checked by MkDocs.

Paths are relative to the folder of mkdocs.yml. The defaults are what this site uses.
"""

from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, ListOfItems, Type

from ..theme import GROUPS, KEPT


class MemoreConfig(Config):
    enabled = Type(bool, default=True)
    # The questionnaire definitions (YAML), checked on every build and rendered into the pages.
    questionnaires = Type(str, default="toolbox/questionnaires")
    # The engine package whose browser modules go into assets/toolbox/engine.js.
    engine = Type(str, default="toolbox")
    # Glossary terms appended to every page of a language ({lang} is replaced).
    abbreviations = Type(str, default="includes/abbreviations.{lang}.md")
    # Where npm installed Pyodide and the iframe-worker shim (package-lock.json).
    node_modules = Type(str, default="node_modules")
    # The Node scripts that make and prove the Python snapshot.
    node_scripts = Type(str, default="scripts")
    # The heavy steps' outputs, by hash of their inputs (git-ignored).
    cache_dir = Type(str, default=".cache/memore")
    # Python's memory snapshot (made with Node on a cache miss, about 30 s; off: Python starts the plain way).
    snapshot = Type(bool, default=True)
    # The groups of Material bundle patches to apply (memore_site/theme.py).
    bundle_patches = ListOfItems(Choice(GROUPS), default=list(KEPT))
    # A Content-Security-Policy meta tag on every page.
    csp = Type(bool, default=True)
    # One search index per language.
    search_split = Type(bool, default=True)

"""The memore plugin's settings and its cache of heavy steps (no build needed)."""

from __future__ import annotations

import pytest
from support import ROOT


def test_the_plugin_is_registered_and_enabled_last():
    from importlib.metadata import entry_points

    from memore_site.plugin.plugin import MemorePlugin

    found = [ep for ep in entry_points(group="mkdocs.plugins") if ep.name == "memore"]
    assert len(found) == 1 and found[0].load() is MemorePlugin
    plugins = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nplugins:\n", 1)[1].split("\n\n")[0]
    names = [line.strip()[2:].rstrip(":") for line in plugins.splitlines() if line.startswith("  - ")]
    assert names[-1] == "memore" and names.index("i18n") < names.index("memore")


def test_the_settings_are_typed():
    from memore_site.plugin.plugin import MemorePlugin
    from memore_site.theme import KEPT

    plugin = MemorePlugin()
    errors, _warnings = plugin.load_config({})
    assert not errors and plugin.config.bundle_patches == list(KEPT) and plugin.config.snapshot is True
    errors, _ = MemorePlugin().load_config({"bundle_patches": ["faster"]})
    assert errors and "faster" in str(errors[0][1])
    errors, _ = MemorePlugin().load_config({"snapshot": "yes please"})
    assert errors


def test_a_heavy_step_runs_once_per_input_hash(tmp_path):
    from memore_site import cache

    runs = []

    def make(folder):
        runs.append(folder)
        (folder / "out.txt").write_text(f"run {len(runs)}")

    first, made = cache.entry(tmp_path, "step", cache.digest("input 1"), make)
    again, made_again = cache.entry(tmp_path, "step", cache.digest("input 1"), make)
    assert made and not made_again and first == again and len(runs) == 1
    other, made_other = cache.entry(tmp_path, "step", cache.digest("input 2"), make)
    assert made_other and len(runs) == 2 and not first.exists()  # one version kept per step
    site = tmp_path / "site"
    assert cache.install(other, site) == 1 and (site / "out.txt").read_text() == "run 2"


def test_a_failed_step_leaves_nothing_in_the_cache(tmp_path):
    from memore_site import cache

    def broken(folder):
        (folder / "half.txt").write_text("half")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        cache.entry(tmp_path, "step", "k", broken)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("dest, lang, base", [
    ("index.html", "en", None),
    ("nl/index.html", "nl", "."),
    ("nl/toolbox/sustainability.html", "nl", ".."),
    ("de/models/a/b.html", "de", "../.."),
])
def test_each_page_searches_its_own_language(dest, lang, base):
    from memore_site import search_split

    assert search_split.search_base(dest, lang, "en") == base

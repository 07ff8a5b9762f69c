"""Helpers for the engine tests: small definitions, a generated big one, the fuzzing profile."""

import copy
import os
from pathlib import Path

from hypothesis import HealthCheck, settings

from toolbox.definitions import compile_yaml

FIXTURES = Path(__file__).with_name("fixtures")
NOW = "2025-01-02T03:04:05Z"

# Fuzzing budget: 300 examples locally, CI sets MEMORE_FUZZ_EXAMPLES=10000.
settings.register_profile(
    "memore-fuzz",
    max_examples=int(os.environ.get("MEMORE_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FUZZ = settings.get_profile("memore-fuzz")

_MINI = compile_yaml(FIXTURES / "mini.yaml")
_OTHER = compile_yaml(FIXTURES / "other.yaml")


def mini_definition():
    """A fresh copy of the test instrument (3 themes, alpha-3 reversed)."""
    return copy.deepcopy(_MINI)


def other_definition():
    return copy.deepcopy(_OTHER)


def text(word):
    return {"en": word, "nl": word + " nl", "de": word + " de", "sv": word + " sv"}


def big_definition(n_themes=15, per_theme=4):
    """A generated instrument of ``n_themes`` themes with ``per_theme`` statements each."""
    themes = []
    for i in range(n_themes):
        themes.append({
            "id": f"theme-{i}",
            "source": "site",
            "title": text(f"Theme number {i} about something quite important"),
            "good": text("Good."),
            "statements": [{"id": f"s-{i}-{j}", "text": text(f"We do {i} {j}."), "reverse": j == 0}
                           for j in range(per_theme)],
            "advice": {k: text(f"Advice {k}.") for k in ("low", "middle", "high")},
            "links": [{"page": "about.md", "label": text("About")}],
        })
    return {"id": "big", "version": 1, "languages": ["en", "nl", "de", "sv"], "title": text("Big"),
            "short_title": text("Big"), "introduction": text("Intro."), "origin": text("Origin."), "themes": themes}

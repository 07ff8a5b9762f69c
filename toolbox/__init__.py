"""MeMoRe Toolbox engine: questionnaires as data, scoring, charts, advice and result files.

Standard library only at run time, so the same code runs under CPython (tests, command line,
site build) and under Pyodide in the visitor's browser.
"""

import sys

__version__ = "0.1.0"


def smoke_line(lang: str = "en") -> str:
    """One line computed by the engine, shown on the toolbox page to prove Python runs."""
    total = sum(range(1, 6))  # a tiny computation: the 1-5 scale adds up to 15
    words = {
        "en": "Python {py} is running in your browser: toolbox {v} is ready (1+2+3+4+5 = {t}).",
        "nl": "Python {py} draait in je browser: toolbox {v} is klaar (1+2+3+4+5 = {t}).",
        "de": "Python {py} läuft in Ihrem Browser: Toolbox {v} ist bereit (1+2+3+4+5 = {t}).",
        "fi": "Python {py} toimii selaimessasi: työkalu {v} on valmis (1+2+3+4+5 = {t}).",
        "sv": "Python {py} körs i din webbläsare: verktygslådan {v} är redo (1+2+3+4+5 = {t}).",
    }
    py = ".".join(str(part) for part in sys.version_info[:3])
    return words.get(lang, words["en"]).format(py=py, v=__version__, t=total)

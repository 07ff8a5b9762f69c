"""The integration-network questionnaire (issue 22) keeps what its page promises.

Its introduction sends every member to the page's group comparison by the button's own label, so
a renamed label must show up here; each theme links to the IntegriF page it is built on; and the
origin names both source projects and says that ERASMI is not a MeMoRe source in the strict sense.
"""

import json
from pathlib import Path

from toolbox.definitions import load_definition
from toolbox.messages import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
LANGS = LANGUAGES
NOT_STRICTLY_MEMORE = {
    "en": "not MeMoRe sources in the strict sense",
    "nl": "strikt genomen geen MeMoRe-bronnen",
    "de": "streng genommen keine MeMoRe-Quellen",
    "fi": "eivät ole tarkasti ottaen MeMoRen lähteitä",
    "sv": "inte MeMoRe-källor i strikt mening",
}


def test_introduction_quotes_the_compare_label_of_the_page():
    ui = json.loads((ROOT / "memore_site" / "data" / "ui.json").read_text(encoding="utf-8"))
    defn = load_definition("integration-network")
    for lang in LANGS:
        label = ui[lang]["compare_title"]
        assert label in defn["introduction"][lang], (lang, label)


def test_every_theme_links_to_the_integrif_page():
    for theme in load_definition("integration-network")["themes"]:
        assert "models/integrif.md" in [link["page"] for link in theme["links"]], theme["id"]


def test_origin_names_integrif_and_erasmi_and_their_status():
    origin = load_definition("integration-network")["origin"]
    for lang in LANGS:
        assert "IntegriF" in origin[lang] and "ERASMI" in origin[lang], lang
        assert NOT_STRICTLY_MEMORE[lang] in origin[lang], lang

"""Material's minified bundle: the patches the site applies, and the build's guard on them.

Material is pinned (requirements.lock) and in maintenance mode; a release that re-minifies its
bundle moves these texts. The build stops when a patch's text is not there exactly once, so an
upgrade is noticed instead of silently loading an unpatched theme. Each patch is kept only while
it earns its keep: ``scripts/bench_patches.py`` measures every group against its absence.

Material's script itself is loaded ``async`` by the template (``overrides/main.html``, block
``scripts``); the first patch makes that work (see below).
"""

from __future__ import annotations

import re
from pathlib import Path

# (group, why, exact text, replacement). Groups are what scripts/bench_patches.py switches.
ALL_PATCHES = (
    # Its components wait for DOMContentLoaded and would wait for ever when the script runs after
    # that event (it is loaded async). When parsing is done, the document is announced two task
    # turns later, so the components mount in a task of their own. Needed by ``async``.
    ("async", "mount after DOMContentLoaded, in a task of its own",
     'h(document,"DOMContentLoaded",{once:!0}).subscribe(()=>e.next(document))',
     'document.readyState==="loading"?document.addEventListener("DOMContentLoaded",'
     '()=>e.next(document),{once:!0}):setTimeout(()=>setTimeout(()=>e.next(document)))'),
    # The control components (palette, search, dialog...) were built inside the script's own
    # evaluation, and all components subscribed there too: built lazily and subscribed in a later
    # task, the evaluation, the controls and the content components are three shorter tasks.
    ("tasks", "control components built lazily",
     'Hs=L(...me("consent").map(e=>An(e,{target$:Ht})),...me("dialog").map(e=>ni(e,{alert$:fo})),'
     '...me("palette").map(e=>li(e)),...me("progress").map(e=>mi(e,{progress$:uo})),'
     '...me("search").map(e=>_i(e,{index$:zi,keyboard$:mo})),...me("source").map(e=>$i(e))),$s=H(',
     'Hs=H(()=>L(...me("consent").map(e=>An(e,{target$:Ht})),...me("dialog").map(e=>ni(e,{alert$:fo})),'
     '...me("palette").map(e=>li(e)),...me("progress").map(e=>mi(e,{progress$:uo})),'
     '...me("search").map(e=>_i(e,{index$:zi,keyboard$:mo})),...me("source").map(e=>$i(e)))),$s=H('),
    ("tasks", "components subscribed in their own task", "Ki.subscribe();", "setTimeout(()=>Ki.subscribe());"),
    # The palette added a <meta name="color-scheme"> and then set its content, each a full style
    # recalculation; it now takes the page's own (overrides/main.html) and writes only a change.
    # And it marked the whole document as "switching colours" on every load, then read a computed
    # style: now only when the scheme really changes.
    ("palette", "palette keeps the page's color-scheme meta",
     'let o=x("meta",{name:"color-scheme"});document.head.appendChild(o);',
     'let o=document.querySelector(\'meta[name="color-scheme"]\')'
     '||document.head.appendChild(x("meta",{name:"color-scheme"}));'),
    ("palette", "palette writes color-scheme only when it changes",
     'return o.content=a.colorScheme,',
     'return o.content!==a.colorScheme&&(o.content=a.colorScheme),'),
    ("palette", "palette switch only on a real change",
     'i.subscribe(s=>{if(document.body.setAttribute("data-md-color-switching",""),',
     'i.subscribe(s=>{if(document.body.getAttribute("data-md-color-scheme")!==s.color.scheme'
     '&&document.body.setAttribute("data-md-color-switching",""),'),
)
GROUPS = ("async", "tasks", "palette")

# The groups the site applies. "async" must stay while the template loads the bundle async: without
# it, Material never mounts when its script runs after DOMContentLoaded. "tasks" and "palette" were
# measured against their absence by scripts/bench_patches.py (README, "Why Material's script is
# loaded async") and gained nothing outside the noise, so they are kept here, switched off, for
# the bench to measure again (the palette ones would also need <meta name="color-scheme"> back
# in overrides/main.html).
KEPT = ("async",)

BUNDLE_TAG = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"( async)?></script>')


class ThemeError(Exception):
    """Material's bundle or its tag is not what the patches expect (the build stops)."""


def patched(code: str, groups=KEPT) -> str:
    """``code`` with the patches of ``groups`` applied; ``ThemeError`` when a text is not there once."""
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise ThemeError(f"unknown patch group(s): {', '.join(sorted(unknown))}")
    for group, why, old, new in ALL_PATCHES:
        if group not in groups:
            continue
        if code.count(old) != 1:
            raise ThemeError(f"Material's bundle changed ({why}: its text is not there once): "
                             "check ALL_PATCHES in memore_site/theme.py")
        code = code.replace(old, new)
    return code


def bundle_file(site: Path) -> Path:
    bundles = list((Path(site) / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise ThemeError(f"expected one Material bundle, found {len(bundles)}")
    return bundles[0]


def patch_bundle(site: Path, groups=KEPT) -> Path:
    """Patch the built site's copy of Material's bundle (MkDocs copies it fresh on every build)."""
    path = bundle_file(site)
    path.write_text(patched(path.read_text(encoding="utf-8"), groups), encoding="utf-8")
    return path


def check_async(html: str) -> None:
    """The page loads Material's script ``async`` (set in overrides/main.html): without the first
    patch's partner, DOMContentLoaded waits for Material's evaluation."""
    tags = BUNDLE_TAG.findall(html)
    if len(tags) != 1:
        raise ThemeError(f"expected Material's bundle script once in the page, found it {len(tags)} times")
    if tags[0] != " async":
        raise ThemeError("Material's bundle script is not async: check the block 'scripts' in overrides/main.html")

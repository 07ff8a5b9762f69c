"""The MeMoRe Toolbox site adapter: everything between the engine (``toolbox``) and the pages.

The MkDocs plugin (``memore_site.plugin``, enabled in mkdocs.yml as ``memore``) puts the forms,
tooltips, per-language search, Content-Security-Policy and the Pyodide runtime into the site
built by ``mkdocs build`` and ``mkdocs serve`` alike. Here too: the form HTML (``formhtml``), the
page strings (``data/ui.json``), Material's bundle patches (``theme``), the runtime steps with
their cache (``runtime``, ``cache``) and the offline zip (``offline``). The engine knows nothing
of any of it.
"""

from mkdocs.exceptions import PluginError


class BuildError(PluginError):
    """A step of the site cannot be made right; MkDocs stops with this one line."""

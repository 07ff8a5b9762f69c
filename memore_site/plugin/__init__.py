"""The ``memore`` MkDocs plugin (``config.py``: its settings; ``plugin.py``: its events)."""

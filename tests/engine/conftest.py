"""Fixtures for the engine tests (helpers live in engine_helpers.py)."""

import pytest
from engine_helpers import FIXTURES, mini_definition, other_definition


@pytest.fixture
def defn():
    return mini_definition()


@pytest.fixture
def other():
    return other_definition()


@pytest.fixture
def definitions():
    return {"mini": mini_definition(), "other": other_definition()}


@pytest.fixture
def defs_dir(tmp_path):
    """A definitions folder with the two fixture YAML files."""
    folder = tmp_path / "defs"
    folder.mkdir()
    for name in ("mini.yaml", "other.yaml"):
        (folder / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    return folder

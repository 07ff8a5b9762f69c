"""Stand-in for hypothesis in the engine's test run under Pyodide (see run_pytest.mjs).

The pinned hypothesis imports its compiled extension (``hypothesis._native``), built for CPython
on x86-64 only, so it cannot run in Pyodide, and nothing may be downloaded. This module gives the
names the tests import at collection time; every ``@given`` test is reported as skipped with the
reason, never as passed. The property tests run under CPython (``scripts/test``) as before.
"""

import functools
from typing import ClassVar

import pytest

REASON = "hypothesis needs its compiled extension, which is not built for Pyodide; this property test runs under CPython"


class _Strategy:
    """Absorbs whatever a module builds from strategies at import time."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        return self

    def __or__(self, other):
        return self

    __ror__ = __or__


strategies = _Strategy()


class HealthCheck:
    too_slow = "too_slow"
    function_scoped_fixture = "function_scoped_fixture"
    filter_too_much = "filter_too_much"
    data_too_large = "data_too_large"
    large_base_example = "large_base_example"


class settings:
    """Profiles are kept by name; used as a decorator a profile changes nothing."""

    _profiles: ClassVar[dict] = {}

    def __init__(self, parent=None, **kwargs):
        self.kwargs = {**(parent.kwargs if isinstance(parent, settings) else {}), **kwargs}

    def __getattr__(self, name):
        # A profile's settings read back (FUZZ.max_examples); hypothesis' default where unset.
        if name == "kwargs":
            raise AttributeError(name)
        return self.kwargs.get(name, 100)

    def __call__(self, test):
        return test

    @classmethod
    def register_profile(cls, name, parent=None, **kwargs):
        cls._profiles[name] = cls(**kwargs)

    @classmethod
    def get_profile(cls, name):
        return cls._profiles[name]

    @classmethod
    def load_profile(cls, name):
        return None


def given(*args, **kwargs):
    def decorate(test):
        @functools.wraps(test)
        def skipped():
            pytest.skip(REASON)

        del skipped.__wrapped__  # pytest must not ask for the strategy arguments as fixtures
        return skipped

    return decorate


def assume(condition):
    return True


def example(*args, **kwargs):
    return lambda test: test

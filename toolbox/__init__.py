"""MeMoRe Toolbox engine: questionnaires as data, scoring, charts, advice and result files.

Standard library only at run time, so the same code runs under CPython (tests, command line,
site build) and under Pyodide in the visitor's browser.
"""

__version__ = "0.1.0"

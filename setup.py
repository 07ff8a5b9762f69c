"""Build step of the wheel: the questionnaires' YAML compiled to JSON inside the package.

``toolbox`` reads ``questionnaires/<id>.json`` at run time with the standard library only, so
an installed toolbox has its questionnaires without PyYAML. PyYAML is a build requirement
(pyproject.toml). The source tree keeps only the YAML: an editable install (``scripts/_setup.sh``)
reads it with PyYAML, which the site's environment has.
"""

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithQuestionnaires(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        sys.path.insert(0, str(HERE))
        from toolbox.definitions import compile_all

        out = Path(self.build_lib) / "toolbox" / "questionnaires"
        written = compile_all(HERE / "toolbox" / "questionnaires", out)
        if not written:
            raise SystemExit("setup.py: no questionnaire was compiled")


setup(cmdclass={"build_py": BuildPyWithQuestionnaires})

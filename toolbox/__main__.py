"""``python -m toolbox``: the command line (see ``toolbox.cli``)."""

import sys

from .cli import main

sys.exit(main())

"""Make the renderers in `parsers_support.py` importable from these tests.

pytest runs with --import-mode=importlib, so test directories are not on sys.path; the
helper module has a name no other test directory uses.
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

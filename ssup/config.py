"""Where things live: the data folder, the trainee's own folder, the curriculum order.

Nothing here is hard-coded to one machine. Two environment variables steer the package:

``SSUP_DATA_DIR``
    The folder of CSV and text files the company data comes from (default: the repository's
    ``data/`` folder). Point it at a folder written by ``python -m ssup.data generate`` to give a
    cohort its own variant of the data.
``SSUP_HOME``
    The trainee's working folder: their SQLite database and anything else the package writes for
    them (default: ``.ssup_home/`` at the repository root, which git ignores).

>>> data_dir().name
'data'
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent


def data_dir() -> Path:
    """The folder the company data is read from (``SSUP_DATA_DIR`` or the repository's ``data/``)."""
    configured = os.environ.get("SSUP_DATA_DIR")
    return Path(configured).expanduser().resolve() if configured else REPO_ROOT / "data"


def home_dir(create: bool = True) -> Path:
    """The trainee's own folder (``SSUP_HOME``, default ``.ssup_home/`` at the repository root)."""
    configured = os.environ.get("SSUP_HOME")
    home = Path(configured).expanduser().resolve() if configured else REPO_ROOT / ".ssup_home"
    if create:
        home.mkdir(parents=True, exist_ok=True)
    return home


def curriculum_file() -> Path:
    """The one machine-readable file that lists the curriculum order."""
    return REPO_ROOT / "curriculum.yml"


@lru_cache(maxsize=1)
def _load_curriculum(path: str, mtime: float) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def curriculum() -> dict[str, Any]:
    """The parsed ``curriculum.yml``: levels, notebooks, behaviours and minutes, in order.

    >>> [unit["level"] for unit in curriculum()["units"]][:2]
    [0, 1]
    """
    path = curriculum_file()
    return _load_curriculum(str(path), path.stat().st_mtime)


def behaviours() -> dict[str, str]:
    """Every SSUP behaviour the curriculum teaches, keyed by its id (``"1.3"``).

    >>> behaviours()["1.3"]
    'Uses databases to retrieve and enter data.'
    """
    return {b["id"]: b["statement"] for level in curriculum()["levels"] for b in level["behaviours"]}

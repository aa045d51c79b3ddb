"""Shared test set-up: every pytest worker gets its own trainee folder (SSUP_HOME).

Set before any notebook kernel starts, so kernels inherit it and two notebooks that reset the
database at the same time never touch the same file.
"""

import os
import tempfile


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    if not os.environ.get("SSUP_HOME_FIXED"):
        os.environ["SSUP_HOME"] = tempfile.mkdtemp(prefix=f"ssup-home-{worker}-")
    os.environ.pop("SSUP_RESULTS", None)
    os.environ.pop("SSUP_HIDE_SOLUTIONS", None)
    os.environ.pop("MPLBACKEND", None)  # kernels must use the inline backend

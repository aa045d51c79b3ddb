"""Every example in the package's docstrings runs and gives the result it shows."""

import doctest
import importlib
import pkgutil

import pytest

import ssup

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(ssup.__path__, "ssup.")
                 if not name.endswith("__main__"))


@pytest.fixture(autouse=True)
def own_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SSUP_HOME", str(tmp_path))
    yield
    # ssup.notebook.setup() changes display and plotting defaults: undo it for the tests that follow
    import matplotlib
    import pandas

    with _quiet():
        pandas.reset_option("all")
    matplotlib.rcdefaults()


def _quiet():
    import contextlib
    import warnings

    @contextlib.contextmanager
    def manager():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield

    return manager()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert failures == 0

"""Fixtures of the criteria tests: the indicator catalogue and the shipped sets, loaded through
the same functions as `kieumau load-criteria`."""

import pytest

from kieumau.criteria import loading


@pytest.fixture
def indicators(db):
    loading.ensure_indicator_catalogue()


@pytest.fixture
def catalog(indicators):
    return loading.load_catalog()

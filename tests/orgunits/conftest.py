"""Fixtures for the tree tests."""

from tests.committed import committed  # noqa: F401  (fixture: data committed for real)

"""Not a package for users: makes pytest import notebooks/conftest.py apart from tests/conftest.py."""

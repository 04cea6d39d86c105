"""Helpers shared by the tests, imported by name (conftest files hold only fixtures)."""

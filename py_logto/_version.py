"""The one place the package version lives."""

__version__ = "2.0.0"

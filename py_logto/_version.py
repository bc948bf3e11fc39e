"""The one place the package version lives."""

__version__ = "1.0.0"

"""The package version, in one place below the facade (the page stamps it; ``univ.__version__`` re-exports it)."""

__version__ = "0.1.0"

"""The error tree: every failure a user can cause is a ``UnivError``."""

from __future__ import annotations


class UnivError(Exception):
    """Root of every error univ raises on purpose; the CLI prints it as one line and exits 2."""


class ConfigError(UnivError, ValueError):
    """A bad option or argument: the message names the value and what is allowed."""


class ExpressionError(UnivError, ValueError):
    """Text that is not an expression univ accepts.

    Parameters
    ----------
    message : str
        What is wrong.
    text : str, optional
        The text that was parsed.
    position : int, optional
        0-based character offset where the problem is; quoted with a caret in ``str()``.
    """

    def __init__(self, message: str, text: str | None = None, position: int | None = None):
        self.message = message
        self.text = text
        self.position = position
        super().__init__(message)

    def __str__(self) -> str:
        if self.text is None:
            return self.message
        shown = self.text if len(self.text) <= 80 else self.text[:77] + "..."
        if self.position is None:
            return f"{self.message} in {shown!r}"
        return f"{self.message} at position {self.position + 1} of {shown!r}"


class DomainError(UnivError, ValueError):
    """The target is not finite (or not usable) somewhere on the requested domain."""


class NetworkFormatError(UnivError, ValueError):
    """A network file or dict that is malformed, hostile or inconsistent."""


class TrainingDiverged(UnivError, RuntimeError):
    """Gradient training produced a NaN or infinite loss."""


class DataError(UnivError, ValueError):
    """A data file or sample arrays that cannot be a target: the message names the file, row and column."""

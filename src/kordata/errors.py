"""The exceptions kordata raises for user mistakes and bad input (never a bare traceback in the CLI)."""


class KordataError(Exception):
    """Base class: a problem the user can fix, with a one-line message."""


class UnknownTableError(KordataError, KeyError):
    """A table name that the package does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class PackageError(KordataError):
    """A package that cannot be opened: missing, unreadable or unsafe descriptor or paths."""

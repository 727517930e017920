"""The one exception type that carries a user-facing message.

Raised at the edges (files, CLI options, API entry points) with a sentence that says what is
wrong and what to do; the CLI prints it on one line and exits non-zero, with no traceback.
"""


class PoseanimError(Exception):
    """A problem the user can fix: bad input, missing file, unwritable output, no person found."""

"""One error model. Every error ipreg expects derives from ``IpregError``: ``str(exc)`` is its Chinese message and
``exit_code`` how the command ends; the CLI maps the base class once (``ipreg: <message>`` on stderr). Anything else
that escapes a command is an internal error (exit 3), a fault of the program, not of the records.

Exit codes: 0 no error (warnings allowed), 1 findings or nothing written (a refused write, a failed build, a
file-system error), 2 usage or configuration, 3 internal error (130 and 143: interrupted, terminated).
"""

from __future__ import annotations

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class IpregError(Exception):
    """An error ipreg expects and explains: the message is Chinese, ``exit_code`` ends the command."""

    exit_code = EXIT_FINDINGS


class ConfigurationError(IpregError):
    """Bad arguments or configuration (policy.yml, a path that may not be written, an unknown commit): exit 2."""

    exit_code = EXIT_USAGE


class NothingWritten(IpregError):
    """The command refused or failed and wrote nothing (what was there is left as it was): exit 1."""

    exit_code = EXIT_FINDINGS

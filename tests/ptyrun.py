"""Run a command with its standard error on a pseudo-terminal (standard output stays as it is, a pipe in the tests)
and copy what the terminal showed to this process's standard error: how tests/test_progress.py sees what a clerk's
terminal would.

usage: python tests/ptyrun.py COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import pty
import subprocess
import sys


def main() -> int:
    leader, follower = pty.openpty()
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = bytearray()
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # EIO: the child closed its side
            break
        if not data:
            break
        shown += data
    os.close(leader)
    code = child.wait()
    sys.stderr.buffer.write(bytes(shown))
    return code


if __name__ == "__main__":
    raise SystemExit(main())

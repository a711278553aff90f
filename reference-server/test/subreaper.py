"""A reaper for the closing-listeners test: what systemd, tini or a supervisor is to a server.

Marks itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so that the processes of an instance
whose primary is killed become its children, then starts each program named on its command line
(argv lists as JSON, one argument each) as a child of its own, collects every child that exits, and
ends its children when it gets SIGTERM. Standard library only.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.stderr.write(f"prctl: {os.strerror(ctypes.get_errno())}\n")
        return 1
    children = [subprocess.Popen(json.loads(arg)) for arg in sys.argv[1:]]  # noqa: S603
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    while not stopping:
        try:
            # Every child, its own and the ones it inherits, is collected here.
            os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.05)
    for child in children:
        child.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())

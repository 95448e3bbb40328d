"""Run a command and write its peak resident memory (RSS, MB) to a file when it exits.

    python bench/maxrss.py OUTFILE COMMAND [ARG...]

Used by run.py to measure the real TUI inside tmux: the TUI needs the terminal, so its peak
RSS is read from the kernel's accounting of the finished child (getrusage RUSAGE_CHILDREN).
"""

import resource
import subprocess
import sys

out, cmd = sys.argv[1], sys.argv[2:]
code = subprocess.call(cmd)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, "w") as fh:
    fh.write(f"{peak_kb / 1024:.1f} {code}\n")

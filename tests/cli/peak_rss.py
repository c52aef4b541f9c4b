"""Runs a command as the child of this small process and prints its peak resident set size in KiB
on the last line of stderr: python3 -I -S peak_rss.py COMMAND ARGS... (stdin and stdout pass through).

A child's ru_maxrss includes the memory image it was forked from (Linux keeps the high-water mark
of the image an exec replaces), so a command started straight from a test's own Python, with numpy
loaded, reports that Python's size whenever it is the larger. Started from here (-I -S: no site,
no numpy) the floor is this interpreter's few MB."""
import os
import sys

pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print(f"peak_rss_kib {usage.ru_maxrss}", file=sys.stderr)
sys.exit(os.waitstatus_to_exitcode(status))

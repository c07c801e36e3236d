"""Peak memory of one run of a benchmark task, watched from outside the process.

    /usr/bin/python3 bench/memwatch.py COMMAND [ARGS...]

Deno does not let a sandboxed script read /proc, so this watcher starts the task (which must
take --memory), waits for its "ready" line (input loaded, garbage collected), reads its VmRSS,
resets its peak (writing 5 to /proc/PID/clear_refs), lets it run once, reads its VmHWM and
prints the task's JSON with "baselineRss" and "peakRss" (bytes) added.
"""

import json
import re
import subprocess
import sys


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.M).group(1)) * 1024


child = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
ready = json.loads(child.stdout.readline())
baseline = status(child.pid, "VmRSS")
with open(f"/proc/{child.pid}/clear_refs", "w") as f:
    f.write("5")
child.stdin.write("go\n")
child.stdin.flush()
done = child.stdout.readline()
peak = status(child.pid, "VmHWM")
child.stdin.write("exit\n")
child.stdin.close()
child.wait()
if not done.startswith("done") or child.returncode != 0:
    sys.exit(f"{sys.argv[1:]} did not finish its run (exit {child.returncode})")
print(json.dumps({**ready, "baselineRss": baseline, "peakRss": peak}))

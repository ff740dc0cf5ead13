"""The job the tests leave on the virtual phone, and how to read its log."""

from __future__ import annotations

import time
from collections.abc import Callable

from hardener.sim.android import AndroidDevice

START = "2026-12-01T17:45:00+08:00"  # a Tuesday; the xiaomi persona is in Asia/Shanghai
START_EPOCH = 1796118300
D = "/data/local/tmp/hardener"

# A job like the one hardener arms: ignores HUP and PIPE, logs a heartbeat with the wall
# clock each pass, sleeps 5 s (toybox sleep: CLOCK_MONOTONIC), ends on TERM or when its
# pidfile goes away.
JOB = f"""\
trap '' HUP PIPE
trap 'echo "$(date +%s) term" >> {D}/log; rm -f {D}/pid; exit 0' TERM
echo $$ > {D}/pid
n=0
while [ -f {D}/pid ]; do
  n=$((n + 1))
  echo "$(date +%s) $n" >> {D}/log
  sleep 5
done
"""

INSTALL = f"""mkdir -p {D}
cat > {D}/job.sh <<'JOBEOF'
{JOB}JOBEOF
setsid nohup sh {D}/job.sh </dev/null >/dev/null 2>&1 &
echo "started $!"
"""


def wait_until(predicate: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll until `predicate()` holds: adbd exits just after it closed the stream that asked
    for the restart, so a host sees the close a moment before the restart."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def heartbeats(phone: AndroidDevice) -> list[tuple[int, str]]:
    """(epoch, what) per line of the job's log."""
    text = phone.read_file(f"{D}/log") or ""
    rows = []
    for line in text.splitlines():
        when, what = line.split(" ", 1)
        rows.append((int(when), what))
    return rows

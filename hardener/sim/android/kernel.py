"""The virtual phone's kernel side: processes, signals, detached jobs, clocks, files, /proc.

It implements the shell's `System`. What it models, and where each rule comes from
(AOSP read in ../shared/research/armed-job.md; GrapheneOS/platform_packages_modules_adb):

* adbd forks each shell command and calls `setsid()` before `sh -c` (daemon/shell_service.cpp),
  so a session is its own session and process group; on host disconnect adbd sends SIGHUP to
  that one process. Here a session's script always runs to its end before its output leaves,
  so that SIGHUP never finds a live session; background children are never signalled by it.
* A background job (`cmd &`) is a process of its own. It runs on the phone's clock, not the
  host's: it runs until it blocks in `sleep`, and runs again when the phone's CLOCK_MONOTONIC
  reaches the end of that sleep (`DeviceClock`: suspended time does not count). Jobs are
  caught up lazily and in time order before anything observes the phone (a shell command,
  `advance`, a control), each iteration seeing the time it was due: deterministic.
* Every process forked from adbd stays in adbd's cgroup (init/service.cpp createProcessGroup);
  from Android 8.0 (sdk 26), when adbd stops init kills the whole cgroup with SIGKILL
  (`Service::Reap` -> KillProcessGroup). Before, only adbd's own process group died, which
  holds none of the shell's processes (each session did setsid()), so jobs survived.
* A write to the session's pipe after the session ended is SIGPIPE (default: the process dies)
  unless ignored; `nohup` only ignores SIGHUP.
* Reboot: every process is gone; /data/local/tmp and /sdcard are kept (init.rc makes
  /data/local/tmp `0771 shell shell` on /data); a new random boot_id
  (/proc/sys/kernel/random/boot_id is generated at each boot); uptime starts again.
* A job that runs a very long time without sleeping (200,000 commands) is stopped with
  SIGKILL: a real phone would spin forever; the virtual phone must not hang its adbd.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from hardener.sim.android import procs
from hardener.sim.android.clock import USER_HZ, DeviceClock
from hardener.sim.android.files import Files, normalize, writable
from hardener.sim.android.procs import Process
from hardener.sim.android.shell import SIGNALS, Killed, Proc, Result, Shell
from hardener.sim.faults import AdbdRestart

logger = logging.getLogger(__name__)
UNLISTABLE = frozenset({"/data", "/data/app"})  # `ls` answers Permission denied (uid 2000)

SHELL_UID = 2000
FIRST_APP_PID = 4100
MAX_STEPS_BETWEEN_SLEEPS = 200_000
MAX_SESSION_STEPS = 1_000_000  # a session past this is killed (a person would press Ctrl-C)
JOIN_TIMEOUT_S = 10.0
_current = threading.local()


def _baton() -> threading.Lock:
    """A binary semaphore that starts taken: one thread releases, the other acquires. Jobs
    and the thread running the phone hand the phone back and forth with two of these (a
    plain lock is about twice as fast as an Event here)."""
    lock = threading.Lock()
    lock.acquire()
    return lock


class AppTime(Protocol):
    """What the phone's apps do as its time moves (`behaviour.AppClock`): each call moves
    them to a wall time (seconds since the epoch), the phone awake, asleep, or off."""

    def awake_to(self, wall: float) -> None: ...

    def asleep_to(self, wall: float) -> None: ...

    def off_to(self, wall: float) -> None: ...


class NoApps:
    """A phone whose apps do nothing of their own."""

    def awake_to(self, wall: float) -> None:
        pass

    def asleep_to(self, wall: float) -> None:
        pass

    def off_to(self, wall: float) -> None:
        pass


class Job:
    """A detached job: a process whose script runs in a thread of its own, one at a time."""

    def __init__(self, record: Process) -> None:
        self.record = record
        self.go = _baton()  # released to let the job run; the job waits on it
        self.wake_at: float | None = None  # awake time (CLOCK_MONOTONIC basis) of its next run
        self.done = False
        self.kill_signal: int | None = None
        self.interrupt: int | None = None  # a signal that ended its `sleep` early
        self.status: int | None = None
        self.thread: threading.Thread | None = None
        self.sleeper: Process | None = None  # the `sleep` process while it sleeps


class Kernel:
    """Processes, jobs, clocks and files of one phone. Every call holds the device's lock."""

    def __init__(self, sdk: int, clock: DeviceClock, files: Files, tz_name: str) -> None:
        self.sdk = sdk
        self.clock = clock
        self.files = files
        self.tz_name = tz_name
        self.shell: Shell | None = None
        self.pid_counter: Callable[[], int] = lambda: 0
        self.table: dict[int, Process] = {}
        self.jobs: list[Job] = []
        self.boot_id = str(uuid.uuid4())
        self.adbd: Process | None = None
        self.app_starts: dict[int, int] = {}  # app pid -> start ticks
        self.app_rows: Callable[[], list[Process]] = list
        self.listeners: list[Callable[[str], None]] = []  # told "adbd-restart", "reboot"
        self._yielded = _baton()  # released by the running job when it blocks or ends
        self.active_job: Job | None = None  # the job running now (one at a time)
        self.restart_pending: str | None = None  # a job killed adbd: restart once it yielded
        self._target: float | None = None  # run_due's horizon while it catches jobs up
        self._steps = 0
        self.events: list[tuple[float, str]] = []  # (wall time, what happened): for people
        # The apps: moved to each instant a job runs at before it runs, and to the phone's
        # time whenever it moves, so what they do and what jobs do interleave in time order.
        self.apps: AppTime = NoApps()

    # ---- boot ------------------------------------------------------------------------

    def boot(self, next_pid: Callable[[], int]) -> None:
        """A fresh boot's processes (the model's app processes come from `app_rows`)."""
        self.table.clear()
        for process in procs.boot_processes(0):
            self.table[process.pid] = process
        ticks = min(int(self.clock.boottime() * USER_HZ), procs.ADBD_BOOT_TICKS)
        self.adbd = procs.adbd_process(self.sdk, procs.FIRST_ADBD_PID, ticks)
        self.table[self.adbd.pid] = self.adbd
        self.pid_counter = next_pid

    def new_pid(self) -> int:
        return self.pid_counter()

    def ticks(self) -> int:
        return int(self.clock.boottime() * USER_HZ)

    def rows(self) -> list[Process]:
        rows = dict(self.table)
        for app in self.app_rows():
            rows.setdefault(app.pid, app)
        return list(rows.values())

    def find(self, pid: int) -> Process | None:
        process = self.table.get(pid)
        if process is not None:
            return process
        for app in self.app_rows():
            if app.pid == pid:
                return app
        return None

    # ---- System: processes ---------------------------------------------------------

    def enter(self, proc: Proc, parent: Proc | None, args: list[str], *, reuse: bool) -> None:
        if reuse and proc.pid in self.table:
            record = self.table[proc.pid]
            record.args = list(args)
            record.comm = ""
            record.shell = proc
            return
        parent_record = self.table.get(parent.pid) if parent is not None else None
        adbd_pid = self.adbd.pid if self.adbd is not None else 1
        record = Process(
            pid=proc.pid,
            ppid=parent.pid if parent is not None else adbd_pid,
            uid=SHELL_UID,
            args=list(args),
            start_ticks=self.ticks(),
            sid=parent_record.sid if parent_record else proc.pid,
            pgid=parent_record.pgid if parent_record else proc.pid,
            adbd_cgroup=True,
            shell=proc,
            job=parent_record.job if parent_record else self.active_job,
            kind="session" if parent is None else "command",
            vsz_kb=10_700_000,
            rss_kb=3_100,
        )
        self.table[proc.pid] = record

    def leave(self, proc: Proc) -> None:
        record = self.table.pop(proc.pid, None)
        if record is None or not self.jobs:
            return
        for job in self.jobs:  # only jobs outlive the shell that started them
            if job.record.ppid == proc.pid:
                job.record.ppid = 1  # orphans go to init (no subreaper)

    def set_session(self, proc: Proc) -> None:
        record = self.table.get(proc.pid)
        if record is not None:
            record.sid = record.pgid = proc.pid

    # ---- System: files -------------------------------------------------------------

    def read_file(self, path: str) -> str | None:
        if path.startswith("/proc/"):
            return self._proc_file(path)
        return self.files.get(path)

    def write_file(self, path: str, text: str, *, append: bool) -> None:
        self.files.write(path, text, append=append, when=self.clock.wall())

    def open_write(self, path: str, *, append: bool) -> str | None:
        if self.files.is_dir(path):
            return "Is a directory"
        if not writable(path):
            if path.startswith(("/system/", "/vendor/", "/product/", "/apex/")):
                return "Read-only file system"
            return "Permission denied"
        if not self.files.parent_ok(path):
            return "No such file or directory"
        if not append or path not in self.files:
            self.files.write(path, "", append=False, when=self.clock.wall())
        return None

    def file_test(self, op: str, path: str) -> bool:
        is_dir = self.files.is_dir(path) or self._proc_dir(path)
        content = self.read_file(path) if not is_dir else None
        exists = is_dir or content is not None
        if op == "-e":
            return exists
        if op == "-f":
            return content is not None
        if op == "-d":
            return is_dir
        if op == "-s":
            return bool(content) or is_dir
        if op == "-r":
            return exists
        if op == "-w":
            return exists and writable(path)
        if op == "-x":
            return is_dir or path.startswith("/system/bin/")
        return False

    def glob(self, pattern: str) -> list[str]:
        import fnmatch
        import posixpath

        folder, base = posixpath.split(pattern)
        if any(c in folder for c in "*?["):
            return []  # wildcards in directories: not modelled (the word stays as written)
        if not self.files.is_dir(folder):
            return []
        names = [
            n
            for n in self.files.children(folder)
            if (not n.startswith(".") or base.startswith(".")) and fnmatch.fnmatchcase(n, base)
        ]
        return [posixpath.join(folder, n) for n in sorted(names)]

    # ---- /proc ---------------------------------------------------------------------

    def _proc_dir(self, path: str) -> bool:
        parts = path.strip("/").split("/")
        if parts == ["proc"]:
            return True
        if len(parts) == 2 and parts[1].isdigit():
            return self.find(int(parts[1])) is not None
        return path in ("/proc/sys", "/proc/sys/kernel", "/proc/sys/kernel/random")

    def _proc_file(self, path: str) -> str | None:
        if path == "/proc/sys/kernel/random/boot_id":
            return self.boot_id + "\n"
        if path == "/proc/uptime":
            up = self.clock.boottime()
            return f"{up:.2f} {up * 7.4:.2f}\n"  # idle summed over 8 CPUs
        if path == "/proc/sys/kernel/pid_max":
            return f"{procs.PID_MAX}\n"
        if path == "/proc/sys/kernel/random/uuid":
            return str(uuid.uuid4()) + "\n"
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[1].isdigit():
            process = self.find(int(parts[1]))
            if process is None:
                return None
            if parts[2] == "cmdline":
                return procs.cmdline(process)
            if parts[2] == "stat":
                return procs.stat_line(process)
            if parts[2] == "comm":
                return process.stat_comm() + "\n"
            if parts[2] == "status":
                return (
                    f"Name:\t{process.stat_comm()}\nState:\t{process.state} (sleeping)\n"
                    f"Tgid:\t{process.pid}\nPid:\t{process.pid}\nPPid:\t{process.ppid}\n"
                    f"Uid:\t{process.uid}\t{process.uid}\t{process.uid}\t{process.uid}\n"
                )
        return None

    # ---- System: commands that need the kernel ---------------------------------------

    def external(self, proc: Proc, argv: list[str], stdin: str) -> Result | None:
        name = argv[0]
        if name == "ps":
            return self._ps(proc, argv)
        if name == "date":
            return self._date(argv)
        if name == "cat":
            return self._cat(proc, argv, stdin)
        if name == "pidof":
            return self._pidof(argv)
        if name in ("mkdir", "rm", "mv", "touch", "ls"):
            handler: Callable[[Proc, list[str]], Result] = getattr(self, "_" + name)
            return handler(proc, argv)
        return None

    def _ps(self, proc: Proc, argv: list[str]) -> Result:
        if proc.exec_last:
            pid = proc.pid
            record = self.table.get(pid)
            saved = None
            if record is not None:
                saved = record.args
                record.args = list(argv)
            try:
                return self._ps_rows(pid, argv)
            finally:
                if record is not None and saved is not None:
                    record.args = saved
        pid = self.new_pid()
        parent = self.table.get(proc.pid)
        self.table[pid] = Process(
            pid=pid,
            ppid=proc.pid,
            uid=SHELL_UID,
            args=list(argv),
            start_ticks=self.ticks(),
            sid=parent.sid if parent else pid,
            pgid=parent.pgid if parent else pid,
            adbd_cgroup=True,
            kind="command",
            vsz_kb=10_700_000,
            rss_kb=3_300,
        )
        try:
            return self._ps_rows(pid, argv)
        finally:
            self.table.pop(pid, None)

    def _ps_rows(self, pid: int, argv: list[str]) -> Result:
        from hardener.sim.android.clock import zone

        ctx = procs.PsContext(
            sdk=self.sdk,
            uptime_s=int(self.clock.boottime()),
            wall=self.clock.wall(),
            tz=zone(self.tz_name),
            running_pid=pid,
            rows=self.rows(),
        )
        out, err, status = procs.ps(argv, ctx)
        return Result(out, err, status)

    def _date(self, argv: list[str]) -> Result:
        from hardener.sim.android.clock import zone
        from hardener.sim.android.toydate import date

        return date(argv, self.clock.wall(), zone(self.tz_name))

    def _cat(self, proc: Proc, argv: list[str], stdin: str) -> Result:
        if len(argv) == 1:
            return Result(stdin)
        out, err, status = [], [], 0
        for name in argv[1:]:
            if name == "-":
                out.append(stdin)
                continue
            path = normalize(name, proc.cwd)
            if self.files.is_dir(path) or self._proc_dir(path):
                err.append(f"cat: {name}: Is a directory\n")
                status = 1
                continue
            text = self.read_file(path)
            if text is None:
                err.append(f"cat: {name}: No such file or directory\n")
                status = 1
            else:
                out.append(text)
        return Result("".join(out), "".join(err), status)

    def _pidof(self, argv: list[str]) -> Result:
        """toybox pidof (lib.c names_to_pid): a process matches when the basename of its
        argv[0] is the name (with -x, of argv[1] too: scripts); /proc order (ascending pids);
        -s stops at the first, -o omits pids."""
        single = scripts = False
        omit: set[str] = set()
        names: list[str] = []
        args = argv[1:]
        while args:
            arg = args.pop(0)
            if arg.startswith("-") and len(arg) > 1 and not names:
                for index, flag in enumerate(arg[1:], 1):
                    if flag == "s":
                        single = True
                    elif flag == "x":
                        scripts = True
                    elif flag == "o":
                        value = arg[index + 1 :] or (args.pop(0) if args else "")
                        omit.update(value.split(","))
                        break
                    else:
                        return Result("", f"pidof: Unknown option '{flag}'\n", 1)
                continue
            names.append(arg)
        found: list[str] = []
        for process in sorted(self.rows(), key=lambda p: p.pid):
            if not process.args or str(process.pid) in omit:
                continue
            argv0 = process.args[0].rsplit("/", 1)[-1]
            script = process.args[1].rsplit("/", 1)[-1] if len(process.args) > 1 else None
            for name in names:
                base = name.rsplit("/", 1)[-1]
                if base == argv0 or (scripts and base == script):
                    found.append(str(process.pid))
                    break
            if single and found:
                break
        if not found:
            return Result(status=1)
        return Result(" ".join(found) + "\n")

    def _mkdir(self, proc: Proc, argv: list[str]) -> Result:
        parents = False
        errors = []
        names = []
        args = argv[1:]
        while args and args[0].startswith("-") and len(args[0]) > 1:
            flag = args.pop(0)
            if flag == "-m" and args:
                args.pop(0)
            elif "p" in flag:
                parents = True
        names = args
        if not names:
            return Result("", "mkdir: Needs 1 argument\n", 1)
        for name in names:
            error = self.files.mkdir(normalize(name, proc.cwd), parents=parents)
            if error is not None:
                errors.append(error.replace(normalize(name, proc.cwd), name) + "\n")
        return Result("", "".join(errors), 1 if errors else 0)

    def _rm(self, proc: Proc, argv: list[str]) -> Result:
        force = recursive = False
        args = argv[1:]
        while args and args[0].startswith("-") and len(args[0]) > 1:
            flag = args.pop(0)
            if flag == "--":
                break
            force = force or "f" in flag
            recursive = recursive or "r" in flag or "R" in flag
        errors = []
        for name in args:
            path = normalize(name, proc.cwd)
            if self.files.is_dir(path):
                if not recursive:
                    errors.append(f"rm: {name}: Is a directory\n")  # unlinkat: EISDIR
                elif not writable(path) or path in (
                    "/data/local/tmp",
                    "/sdcard",
                    "/storage/emulated/0",
                ):
                    errors.append(f"rm: {name}: Permission denied\n")
                else:
                    self.files.remove_tree(path)
            elif path in self.files:
                self.files.remove(path)
            elif not force:
                errors.append(f"rm: {name}: No such file or directory\n")
        return Result("", "".join(errors), 1 if errors else 0)

    def _mv(self, proc: Proc, argv: list[str]) -> Result:
        args = [a for a in argv[1:] if not (a.startswith("-") and len(a) > 1)]
        if len(args) < 2:
            return Result("", "mv: Needs 2 arguments\n", 1)
        target = normalize(args[-1], proc.cwd)
        errors = []
        for name in args[:-1]:
            source = normalize(name, proc.cwd)
            dest = target
            if self.files.is_dir(target):
                dest = target.rstrip("/") + "/" + source.rsplit("/", 1)[-1]
            # toybox cp.c (mv): perror_msg("bad '%s'", src) when rename and copy fail
            if not self.files.exists(source) or not self.files.parent_ok(dest):
                errors.append(f"mv: bad '{name}': No such file or directory\n")
            elif not writable(source) or not writable(dest):
                errors.append(f"mv: bad '{name}': Permission denied\n")
            else:
                self.files.rename(source, dest)
        return Result("", "".join(errors), 1 if errors else 0)

    def _touch(self, proc: Proc, argv: list[str]) -> Result:
        errors = []
        for name in (a for a in argv[1:] if not a.startswith("-")):
            path = normalize(name, proc.cwd)
            if path in self.files or self.files.is_dir(path):
                self.files.mtimes[path] = self.clock.wall()
                continue
            error = self.open_write(path, append=True)
            if error is not None:
                errors.append(f"touch: {name}: {error}\n")
        return Result("", "".join(errors), 1 if errors else 0)

    def _ls(self, proc: Proc, argv: list[str]) -> Result:
        names = [a for a in argv[1:] if not a.startswith("-")] or ["."]
        out: list[str] = []
        errors: list[str] = []
        for name in names:
            path = normalize(name, proc.cwd)
            if path in UNLISTABLE:  # the shell user may not read these folders on a phone
                errors.append(f"ls: {name}: Permission denied\n")
            elif self.files.is_dir(path):
                out.extend(n + "\n" for n in self.files.children(path))
            elif path in self.files:
                out.append(name + "\n")
            else:
                errors.append(f"ls: {name}: No such file or directory\n")
        return Result("".join(out), "".join(errors), 1 if errors else 0)

    # ---- System: time and jobs ---------------------------------------------------------

    def sleep(self, proc: Proc, seconds: float, argv: list[str]) -> int:
        job = self.active_job
        if job is None:  # an adb session: its sleep is part of the script's cost
            self.clock.pending += max(0.0, seconds)
            self.clock.slept += max(0.0, seconds)
            self.run_due(self.clock.awake())
            self.apps.awake_to(self.clock.wall())
            return 0
        wake = self.clock.awake() + max(0.0, seconds)
        if self._next_anyway(job, wake):
            # Catching up, and this job is the next to run anyway: it goes on at once (no one
            # can look at the phone in between), without handing the phone back and forth.
            self._steps = 0
            self.new_pid()  # the `sleep` process it would have forked
            self.clock.pin = wake
            self.apps.awake_to(self.clock.wall())  # what apps did while it slept
            return 0
        pid = self.new_pid()
        parent = self.table.get(proc.pid)
        sleeper = Process(
            pid=pid,
            ppid=proc.pid,
            uid=SHELL_UID,
            args=list(argv),
            start_ticks=self.ticks(),
            sid=parent.sid if parent else pid,
            pgid=parent.pgid if parent else pid,
            adbd_cgroup=True,
            kind="sleep",
            job=job,
            vsz_kb=10_600_000,
            rss_kb=2_900,
        )
        self.table[pid] = sleeper
        job.sleeper = sleeper
        job.wake_at = self.clock.awake() + max(0.0, seconds)
        try:
            self._block(job)
        finally:
            self.table.pop(pid, None)
            job.sleeper = None
        if job.interrupt is not None:
            signal, job.interrupt = job.interrupt, None
            return 128 + signal
        return 0

    def _next_anyway(self, job: Job, wake: float) -> bool:
        """Whether `run_due` would resume `job` at `wake` before anything else happens."""
        target = self._target
        if target is None or wake > target:
            return False
        for other in self.jobs:
            if other is job or other.done or other.wake_at is None:
                continue
            if (other.wake_at, other.record.pid) < (wake, job.record.pid):
                return False
        return True

    def _block(self, job: Job) -> None:
        """The job thread gives the phone back until it is resumed; Killed if killed."""
        self._steps = 0
        self._yielded.release()
        job.go.acquire()
        if job.kill_signal is not None:
            raise Killed(job.kill_signal)

    def _resume(self, job: Job) -> None:
        """Run `job` until it blocks again or ends (the caller waits)."""
        previous = self.active_job
        self.active_job = job
        job.go.release()
        try:
            if not self._yielded.acquire(timeout=JOIN_TIMEOUT_S * 30):
                logger.error("virtual phone: job %d did not yield; killing it", job.record.pid)
                job.kill_signal = SIGNALS["KILL"]
        finally:
            self.active_job = previous

    def spawn(self, parent: Proc, child: Proc, args: list[str], run: Callable[[], None]) -> None:
        parent_record = self.table.get(parent.pid)
        record = Process(
            pid=child.pid,
            ppid=parent.pid,
            uid=SHELL_UID,
            args=list(args),
            start_ticks=self.ticks(),
            sid=parent_record.sid if parent_record else child.pid,
            pgid=parent_record.pgid if parent_record else child.pid,
            adbd_cgroup=True,
            shell=child,
            kind="job",
            vsz_kb=10_700_000,
            rss_kb=3_200,
        )
        job = Job(record)
        record.job = job
        self.table[child.pid] = record
        self.jobs.append(job)

        def body() -> None:
            _current.job = job
            job.go.acquire()
            try:
                if job.kill_signal is None:
                    run()
                    job.status = child.status
            except Killed as killed:
                job.status = 128 + killed.signal
            except Exception:
                logger.exception("virtual phone: job %d failed", child.pid)
                job.status = 255
            finally:
                job.done = True
                for pid, process in list(self.table.items()):
                    if process.job is job:
                        self.table.pop(pid, None)
                        for other in self.table.values():
                            if other.ppid == pid:
                                other.ppid = 1
                self._yielded.release()

        thread = threading.Thread(target=body, name=f"sim-job-{child.pid}", daemon=True)
        job.thread = thread
        thread.start()
        self._resume(job)  # it runs first, until it sleeps or ends

    def before_job_command(self) -> None:
        """Called before each simple command of a job: stop a job that never sleeps."""
        self._steps += 1
        if self._steps > MAX_STEPS_BETWEEN_SLEEPS:
            self._steps = 0
            raise Killed(SIGNALS["KILL"])

    def run_due(self, until: float) -> None:
        """Run every job iteration due up to awake time `until`, in time order, each at the
        time it was due."""
        if self.active_job is not None or not self.jobs:
            return  # a job's own sleep never runs other jobs from inside it
        saved_pin = self.clock.pin
        self._target = until
        try:
            while True:
                due = [
                    j
                    for j in self.jobs
                    if not j.done and j.wake_at is not None and j.wake_at <= until
                ]
                if not due:
                    break
                job = min(due, key=lambda j: (j.wake_at, j.record.pid))
                assert job.wake_at is not None
                self.clock.pin = job.wake_at
                job.wake_at = None
                self.apps.awake_to(self.clock.wall())  # apps first, up to the job's turn
                self._resume(job)
                self.jobs = [j for j in self.jobs if not j.done]
        finally:
            self._target = None
            self.clock.pin = saved_pin

    def kill(self, sender: Proc, pid: int, signal: int) -> str | None:
        if pid <= 0:
            return "Operation not permitted"
        process = self.find(pid)
        if process is None:
            return "No such process"
        if process.uid != SHELL_UID:
            return "Operation not permitted"
        if signal == 0:
            return None
        self.signal(process, signal, sender=sender)
        return None

    def signal(self, process: Process, signal: int, sender: Proc | None = None) -> None:
        """Deliver `signal` to a shell-user process (kill(2) from the shell, or the kernel)."""
        if process.kind == "adbd":
            if signal in (SIGNALS["CHLD"], SIGNALS["CONT"], SIGNALS["USR1"], SIGNALS["USR2"]):
                return
            # adbd runs as shell on user builds, so the shell may kill it: init restarts it
            # and (Android 8+) kills its cgroup, the caller included.
            reason = f"adbd killed by signal {signal}"
            if self.active_job is not None:
                self.restart_pending = reason
                raise Killed(SIGNALS["KILL"])
            raise AdbdRestart(reason)
        job: Job | None = process.job
        if process.kind == "sleep" and job is not None:
            if signal in (SIGNALS["CHLD"], SIGNALS["CONT"]):
                return
            job.interrupt = signal  # toybox sleep dies: the shell sees 128+signal
            job.wake_at = self.clock.awake()
            return
        proc = process.shell
        if proc is not None and signal != SIGNALS["KILL"]:
            if proc.ignores(signal) or signal in (SIGNALS["CHLD"], SIGNALS["CONT"]):
                return
            if signal in proc.traps:
                proc.pending.append(signal)  # runs after the foreground command ends
                return
        # the default action (or SIGKILL): the process ends now
        if sender is not None and proc is sender:
            sender.pending.append(signal)  # `kill $$`: dies when the kill builtin returns
            sender.traps.pop(signal, None)
            return
        if job is not None and not job.done:
            if job.record is process or process.kind in ("command", "job"):
                job.kill_signal = signal
                if self.active_job is not job:
                    job.wake_at = None
                    self._resume(job)
            return
        self.table.pop(process.pid, None)

    def wait(self, proc: Proc, pid: int | None) -> int:
        """`wait`: a session or job blocks until its background children end."""
        targets = [
            j
            for j in self.jobs
            if not j.done and ((pid is None and j.record.ppid == proc.pid) or j.record.pid == pid)
        ]
        if pid is not None and not targets:
            return 127
        status = 0
        for job in targets:
            rounds = 0
            while not job.done and rounds < 100_000:
                rounds += 1
                if job.wake_at is None:
                    break
                delay = max(0.0, job.wake_at - self.clock.awake())
                self.sleep(proc, delay + 1e-6, ["wait"])
            status = job.status or 0
        return status

    # ---- what happens to the phone ---------------------------------------------------

    def catch_up(self) -> None:
        self.run_due(self.clock.awake())
        if self.active_job is None:
            self.apps.awake_to(self.clock.wall())
        self.settle_restart()

    def settle_restart(self) -> None:
        if self.restart_pending is not None and self.active_job is None:
            reason, self.restart_pending = self.restart_pending, None
            self.restart_adbd(reason)

    def advance(self, seconds: float, *, awake: bool) -> None:
        self.catch_up()
        if awake:
            target = self.clock.awake() + max(0.0, seconds)
            self.run_due(target)
            self.clock.add_awake(max(0.0, seconds))
            self.apps.awake_to(self.clock.wall())
            self.settle_restart()
        else:
            self.clock.add_asleep(seconds)
            self.apps.asleep_to(self.clock.wall())
            self.note(f"suspended {seconds:g} s")

    def kill_cgroup(self, reason: str) -> list[int]:
        """init's KillProcessGroup on adbd's cgroup: SIGKILL to everything adb started."""
        killed = [p.pid for p in self.table.values() if p.adbd_cgroup and p.kind != "adbd"]
        for job in list(self.jobs):
            if not job.done:
                job.kill_signal = SIGNALS["KILL"]
                job.wake_at = None
                self._resume(job)
        self.jobs = [j for j in self.jobs if not j.done]
        for pid in killed:
            self.table.pop(pid, None)
        return killed

    def power_off(self) -> None:
        """Every job ends (SIGKILL) and its thread exits: for a phone no longer used."""
        for job in list(self.jobs):
            if not job.done:
                job.kill_signal = SIGNALS["KILL"]
                job.wake_at = None
                self._resume(job)
        self.jobs = []

    def restart_adbd(self, reason: str) -> None:
        self.catch_up()
        old = self.adbd.pid if self.adbd else None
        killed = self.kill_cgroup(reason) if self.sdk >= 26 else []
        if self.adbd is not None:
            self.table.pop(self.adbd.pid, None)
        pid = self.new_pid()
        self.adbd = procs.adbd_process(self.sdk, pid, self.ticks())
        self.table[pid] = self.adbd
        self.note(f"adbd restarted ({reason}): pid {old} -> {pid}; killed {killed or 'none'}")
        for listener in list(self.listeners):
            listener("adbd-restart")

    def reboot(self, off_s: float, boot_s: float, next_pid: Callable[[], int]) -> None:
        self.catch_up()
        for job in list(self.jobs):
            if not job.done:
                job.kill_signal = SIGNALS["KILL"]
                job.wake_at = None
                self._resume(job)
        self.jobs = []
        old = self.boot_id
        self.clock.boot(off_s, boot_s)
        self.apps.off_to(self.clock.wall())  # off, then booting: no app ran
        self.boot_id = str(uuid.uuid4())
        self.boot(next_pid)
        self.app_starts.clear()
        self.note(f"rebooted: boot_id {old} -> {self.boot_id}")
        for listener in list(self.listeners):
            listener("reboot")

    def note(self, what: str) -> None:
        self.events.append((self.clock.wall(), what))
        logger.info("virtual phone: %s", what)

    def status(self) -> dict[str, Any]:
        from hardener.sim.android.clock import zone

        tz = zone(self.tz_name)
        info: dict[str, Any] = dict(self.clock.describe(tz))
        info.update(
            {
                "timezone": self.tz_name,
                "boot_id": self.boot_id,
                "adbd_pid": self.adbd.pid if self.adbd else None,
                "adbd_start_ticks": self.adbd.start_ticks if self.adbd else None,
                "jobs": [
                    {
                        "pid": j.record.pid,
                        "args": j.record.args,
                        "next_run_in_s": None
                        if j.wake_at is None
                        else round(j.wake_at - self.clock.awake(), 3),
                    }
                    for j in self.jobs
                    if not j.done
                ],
                "events": [
                    {
                        "time": datetime.fromtimestamp(t, UTC)
                        .astimezone(tz)
                        .isoformat(timespec="seconds"),
                        "what": w,
                    }
                    for t, w in self.events[-20:]
                ],
            }
        )
        return info

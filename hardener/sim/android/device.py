"""`AndroidDevice`: the model plus its shell, as the `DeviceShell` the ADB server calls.

It also owns what the phone does on its own and what people and tests do to it: the clock
(`advance`, `suspend`, `advance_to`), reboots, adbd restarts and USB-mode changes. See
`kernel.py` for the process and job rules and `clock.py` for the time model.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from hardener.errors import InputError
from hardener.sim.android.behaviour import AppClock
from hardener.sim.android.clock import DeviceClock, parse_instant, zone
from hardener.sim.android.commands import registry
from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.files import Files
from hardener.sim.android.kernel import FIRST_APP_PID, MAX_SESSION_STEPS, Kernel
from hardener.sim.android.model import Model
from hardener.sim.android.procs import ZYGOTE64_PID, Process
from hardener.sim.android.shell import SIGNALS, Killed, Result, Shell
from hardener.sim.android.storage import FileSystem
from hardener.sim.android.zen import CALL, SMS, SYSTEMUI_PACKAGE, Interruption
from hardener.sim.device import ShellOutput
from hardener.sim.faults import AdbdRestart, Costs, Faults, sleep

USB_DATA_FUNCTIONS = frozenset({"mtp", "ptp", "rndis", "midi", "accessory", "audio_source", "ncm"})


class AndroidDevice:
    """A virtual Android phone: `run(command)` answers like `adb shell` does. Thread-safe."""

    def __init__(
        self,
        model: Model,
        *,
        name: str = "",
        costs: Costs | None = None,
        faults: Faults | None = None,
        clock: DeviceClock | None = None,
        behave: bool = True,
    ) -> None:
        """`behave=False`: the persona's `[[behaviours]]` are kept but its apps do nothing
        on their own (for a test that needs a quiet phone)."""
        self.model = model
        self.name = name
        self.costs = costs or Costs()
        self.faults = faults or Faults()
        self.commands_run = 0
        self._session_steps = 0
        self.clock = clock or DeviceClock()
        # The model's clock (the listener mirror's delay) is the phone's CLOCK_MONOTONIC basis.
        model.clock = self.clock.awake
        model.wait = self._model_wait
        self._lock = threading.RLock()
        self.shell_files = Files()  # the shell's text tree (scripts, armed jobs)
        # The phone's storage as adbd's sync: service and bugreportz see it, in step with the
        # shell's tree (`storage.FileSystem.attach`).
        self.files = FileSystem(apks=self._apk_paths, clock=lambda: self.clock.wall())
        self.files.attach(self.shell_files)
        self.kernel = Kernel(
            model.sdk, self.clock, self.shell_files, model.props.get("persist.sys.timezone", "")
        )
        self.kernel.app_rows = self._app_rows
        if model.behaviours and behave:
            # The apps behave on the phone's own clock from the moment it is made.
            self.kernel.apps = AppClock(model, self.clock.wall())
        self.kernel.boot(self._next_pid)
        self._shell = Shell(
            commands=registry.build(Ctx(model), self.files),
            before_command=self._before_command,
            system=self.kernel,
            env={
                "HOME": "/",
                "PATH": "/product/bin:/apex/com.android.runtime/bin:/system/bin",
                "ANDROID_DATA": "/data",
                "ANDROID_ROOT": "/system",
                "USER": "shell",
                "IFS": " \t\n",
            },
        )
        self.kernel.shell = self._shell

    # ---- processes ------------------------------------------------------------------

    def _next_pid(self) -> int:
        return next(self.model._pids)

    def _app_rows(self) -> list[Process]:
        rows = []
        starts = self.kernel.app_starts
        for pkg in self.model.packages.values():
            for user, state in pkg.users.items():
                if state.running and state.pid:
                    start = starts.setdefault(state.pid, self.kernel.ticks())
                    rows.append(
                        Process(
                            pid=state.pid,
                            ppid=ZYGOTE64_PID,
                            uid=pkg.uid(user),
                            args=[pkg.name],
                            start_ticks=start,
                            sid=ZYGOTE64_PID,
                            pgid=state.pid,
                            comm=pkg.name[-15:],
                            kind="app",
                            vsz_kb=14_800_000,
                            rss_kb=98_000,
                        )
                    )
        return rows

    # ---- the shell ------------------------------------------------------------------

    def _model_wait(self, seconds: float) -> None:
        self.clock.pending += max(0.0, seconds)

    def _before_command(self, argv0: str) -> None:
        if self.kernel.active_job is not None:
            self.kernel.before_job_command()  # a detached job: no session costs or faults
            return
        self._session_steps += 1
        if self._session_steps > MAX_SESSION_STEPS:
            raise Killed(SIGNALS["KILL"])
        self.faults.before_command()
        self.commands_run += 1
        self.clock.pending += self.costs.of(argv0)

    def run(self, command: str) -> ShellOutput:
        with self._lock:
            self.kernel.catch_up()
            self.clock.pending = 0.0
            self.clock.slept = 0.0
            self._session_steps = 0
            self.model.settle()
            try:
                result: Result = self._shell.run(command)
            except AdbdRestart as restart:
                self.kernel.restart_adbd(str(restart))  # the session dies with the cgroup
                raise
            finally:
                # The device-side cost of every command the script ran, slept once: the
                # client sees the same total time (output leaves when the script ends), and
                # a hundred phones in one process do not wake up once per command each.
                sleep(self.clock.host_sleep_s())
                self.clock.settle_script()
        merged = None if result.merged is None else result.merged.encode("utf-8")
        return ShellOutput(
            result.out.encode("utf-8"), result.err.encode("utf-8"), result.status, merged
        )

    def banner(self) -> Mapping[str, str]:
        props = self.model.props
        return {
            "ro.product.name": props.get("ro.product.name", ""),
            "ro.product.model": props.get("ro.product.model", ""),
            "ro.product.device": props.get("ro.product.device", ""),
        }

    def serial(self) -> str:
        return self.model.props.get("ro.serialno", "")

    # ---- time -------------------------------------------------------------------------

    @property
    def tz_name(self) -> str:
        return self.kernel.tz_name

    def now(self) -> datetime:
        """The phone's wall clock, in its time zone (what `date` prints)."""
        with self._lock:
            self.kernel.catch_up()
            return self.clock.now(zone(self.kernel.tz_name))

    def advance(self, seconds: float, *, awake: bool = True) -> None:
        """Time passes on the phone. Awake: detached jobs run every iteration that falls
        due, in order, each at its own time. Not awake: see `suspend`."""
        if seconds < 0:
            raise InputError(f"cannot move the phone's clock back ({seconds} s)")
        with self._lock:
            self.kernel.advance(seconds, awake=awake)

    def suspend(self, seconds: float) -> None:
        """The phone sleeps for `seconds`: the wall clock and /proc/uptime jump, CLOCK_MONOTONIC
        does not move, so a job in `sleep` wakes only after resume."""
        self.advance(seconds, awake=False)

    def advance_to(self, when: datetime | str, *, awake: bool = True) -> None:
        """Advance (awake by default) until the wall clock reads `when`."""
        instant = parse_instant(when) if isinstance(when, str) else when
        with self._lock:
            self.kernel.catch_up()
            delta = instant.timestamp() - self.clock.wall()
            if delta < 0:
                raise InputError(
                    f"{instant.isoformat()} is before the phone's time "
                    f"{self.clock.now(zone(self.kernel.tz_name)).isoformat()}",
                    hint="the phone's clock only moves forward",
                )
            self.kernel.advance(delta, awake=awake)

    # ---- what happens to the phone ----------------------------------------------------

    def add_listener(self, listener: Callable[[str], None]) -> None:
        """`listener(event)` after "adbd-restart" and "reboot" (the ADB server drops links)."""
        with self._lock:
            self.kernel.listeners.append(listener)

    def remove_listener(self, listener: Callable[[str], None]) -> None:
        with self._lock:
            if listener in self.kernel.listeners:
                self.kernel.listeners.remove(listener)

    def restart_adbd(self, reason: str = "restart") -> None:
        """adbd stops and starts (debugging toggled, `adb tcpip`/`adb usb`, USB mode): from
        Android 8 every process adb started dies with it; ADB connections drop."""
        with self._lock:
            self.kernel.restart_adbd(reason)

    def usb_mode_change(self) -> None:
        """A USB function change (e.g. the screen locks and "Default USB configuration" is
        not "No data transfer"): `sys.usb.config` goes through `none`, init.usb.rc stops and
        starts adbd."""
        self.restart_adbd("USB mode changed")

    def lock_screen(self) -> bool:
        """The person locks the screen. With a data function in `sys.usb.config` (mtp, ptp,
        rndis...: "Default USB configuration" other than "No data transfer"), many phones
        switch USB functions at the lock (UsbDeviceManager's screen-lock handling; Shizuku
        #1426 on Xiaomi, #1454 on One UI 8), which restarts adbd. True when it did."""
        config = self.model.props.get("sys.usb.config", "adb").split(",")
        if not any(f in USB_DATA_FUNCTIONS for f in config):
            return False
        self.restart_adbd("screen locked: USB functions switched")
        return True

    def reboot(self, *, off_s: float = 5.0, boot_s: float = 25.0) -> None:
        """Power off for `off_s`, boot for `boot_s`: new boot_id, every process gone,
        /data/local/tmp and /sdcard kept, running apps restarted with new pids."""
        with self._lock:
            self.model._pids = itertools.count(FIRST_APP_PID)
            self.kernel.reboot(off_s, boot_s, self._next_pid)
            for pkg in self.model.packages.values():
                for user, state in pkg.users.items():
                    if state.running and state.pid:
                        self.model.start(pkg, user)

    def close(self) -> None:
        """Power the phone off for good: its detached jobs end and their threads exit.
        Idempotent; a phone that is dropped without it keeps one parked thread per job."""
        with self._lock:
            self.kernel.power_off()

    # ---- looking at the phone --------------------------------------------------------

    def jobs(self) -> list[Process]:
        """Live processes adb left behind (detached jobs), oldest first."""
        with self._lock:
            self.kernel.catch_up()
            return sorted((j.record for j in self.kernel.jobs if not j.done), key=lambda p: p.pid)

    def processes(self) -> list[Process]:
        with self._lock:
            self.kernel.catch_up()
            return sorted(self.kernel.rows(), key=lambda p: p.pid)

    def adbd_pid(self) -> int:
        with self._lock:
            assert self.kernel.adbd is not None
            return self.kernel.adbd.pid

    def boot_id(self) -> str:
        with self._lock:
            return self.kernel.boot_id

    def read_file(self, path: str) -> str | None:
        with self._lock:
            self.kernel.catch_up()
            return self.kernel.read_file(path)

    def status(self) -> dict[str, Any]:
        with self._lock:
            self.kernel.catch_up()
            return self.kernel.status()

    # ---- things a person does on the phone itself, not over adb -------------------

    def set_usb_debugging_security_settings(self, enabled: bool) -> None:
        """Xiaomi's Developer options switch "USB debugging (Security settings)"."""
        with self._lock:
            self.model.shell_grant_lock = not enabled

    def launch(self, package: str, user: int = 0) -> None:
        """The user opens an app: it runs, leaves the stopped state and becomes active."""
        with self._lock:
            pkg = self.model.installed(package, user)
            if pkg is None:
                raise KeyError(f"{package} is not installed for user {user}")
            state = pkg.users[user]
            state.stopped = False
            state.not_launched = False
            state.bucket = 10
            self.model.start(pkg, user)

    def _apk_paths(self) -> dict[str, str]:
        """Each installed app's base.apk path -> its package (what `pm path` prints)."""
        return {pkg.source_dir: pkg.name for pkg in list(self.model.packages.values())}

    # ---- Do Not Disturb and the phone network (hardener/sim/android/zen.py) --------

    def incoming_call(self, number: str, at: float | None = None) -> Interruption:
        """A call from `number` arrives: rings or is silenced by Do Not Disturb (logged in
        `model.zen.log`). `at`: seconds on the zen clock (default: now), for repeat callers."""
        with self._lock:
            return self.model.zen.incoming(CALL, number, at)

    def incoming_sms(self, number: str, at: float | None = None) -> Interruption:
        """An SMS from `number` arrives (see `incoming_call`)."""
        with self._lock:
            return self.model.zen.incoming(SMS, number, at)

    def set_dnd_by_hand(self, zen_mode: int) -> None:
        """The person turns Do Not Disturb on (a mode) or off in Quick Settings."""
        with self._lock:
            self.model.zen.set_manual_mode(zen_mode, SYSTEMUI_PACKAGE, "manual")

    def set_zen_rule_active(self, rule_id: str, active: bool) -> None:
        """The person's own schedule (a `[[zen.rules]]` entry) starts or ends."""
        with self._lock:
            self.model.zen.set_rule_active(rule_id, active)

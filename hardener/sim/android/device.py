"""`AndroidDevice`: the model plus its shell, as the `DeviceShell` the ADB server calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping

from hardener.sim.android.commands import registry
from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.model import Model
from hardener.sim.android.shell import Result, Shell
from hardener.sim.android.zen import CALL, SMS, SYSTEMUI_PACKAGE, Interruption
from hardener.sim.device import ShellOutput
from hardener.sim.faults import Costs, Faults, sleep


class AndroidDevice:
    """A virtual Android phone: `run(command)` answers like `adb shell` does. Thread-safe."""

    def __init__(
        self,
        model: Model,
        *,
        name: str = "",
        costs: Costs | None = None,
        faults: Faults | None = None,
    ) -> None:
        self.model = model
        self.name = name
        self.costs = costs or Costs()
        self.faults = faults or Faults()
        self.commands_run = 0
        self._pending_cost = 0.0
        model.clock = self.clock
        model.wait = self.wait
        self._lock = threading.Lock()
        self._files: dict[str, str] = {}
        self._shell = Shell(
            commands=registry.build(Ctx(model), self._files),
            before_command=self._before_command,
            files=self._files,
            env={
                "HOME": "/",
                "PATH": "/product/bin:/apex/com.android.runtime/bin:/system/bin",
                "ANDROID_DATA": "/data",
                "ANDROID_ROOT": "/system",
                "USER": "shell",
            },
        )

    def clock(self) -> float:
        """The phone's time: real time plus what the running script has spent so far (its
        cost is slept when it ends)."""
        return time.monotonic() + self._pending_cost

    def wait(self, seconds: float) -> None:
        """`sleep` in a script: the phone's time moves on; slept with the script's cost."""
        self._pending_cost += max(0.0, seconds)

    def _before_command(self, argv0: str) -> None:
        self.faults.before_command()
        self.commands_run += 1
        self._pending_cost += self.costs.of(argv0)

    def run(self, command: str) -> ShellOutput:
        with self._lock:
            self._pending_cost = 0.0
            self.model.settle()
            try:
                result: Result = self._shell.run(command)
            finally:
                # The device-side cost of every command the script ran, slept once: the
                # client sees the same total time (output leaves when the script ends), and
                # a hundred phones in one process do not wake up once per command each.
                sleep(self._pending_cost)
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

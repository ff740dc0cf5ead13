"""hardener's benchmarks: round trips, fleet scaling, parser speed. Figures, not timed tests.

    .venv/bin/python scripts/bench.py            # everything (a few minutes)
    .venv/bin/python scripts/bench.py --quick    # smaller sizes, for a smoke run
    .venv/bin/python scripts/bench.py rounds fleet parse   # pick sections

Writes bench-results/latest.json and bench-results/latest.md and prints the tables.

* rounds: scan and enforce against a virtual phone with realistic costs (2 ms per round
  trip, 30 ms per dumpsys, 8 ms per cmd/pm/am) at 50, 150 and 300 installed apps, side by
  side with the same work done the way per-command tools do it: one shell per command, one
  app at a time. Round trips are counted in the virtual phone's stream log, bytes on the
  wire by a counting transport.
* fleet: `fleet apply` on 1, 10, 50 and 100 virtual phones (served by a separate process, as
  real phones would be), wall time and peak memory of the hardener process; the median of
  three runs per size, sizes interleaved, with every run listed (this machine is noisy).
* parse: whole-device `dumpsys package` parsing speed, on the real capture in
  ../shared/fixtures/android and on a generated ~10 MB dump.
* peer: a real per-command peer, adb-enhanced (`adbe`, PyPI), side by side with hardener on
  the same virtual phone (pixel-14) and costs, both through the official adb client and
  server, each as the command a person types: revoke contacts and location of the
  workplace apps, restrict their background, set their standby buckets, then read the
  result (adbe: `app info` and `standby-bucket get` per app; hardener: enforce's own
  read-back). Wall time (process start-ups included: they are the peer's real cost) and
  round trips counted in the phone's stream log; the final states are checked equal.
* appops: the access-record parsers (`hardener evidence`) on generated 3 MB dumps in
  Android 14's shape: the unfiltered `dumpsys appops` (last access and refusal per key) and
  `dumpsys appops --history --include-discrete 0` (aggregated intervals and discrete lines).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hardener.android.catalog.catalog import load_catalog  # noqa: E402
from hardener.android.parsers import parse_dumpsys_package  # noqa: E402
from hardener.core import snapshot as assembly  # noqa: E402
from hardener.core.options import PhoneOptions  # noqa: E402
from hardener.device import collect  # noqa: E402
from hardener.device.runner import parse_at, run_profile  # noqa: E402
from hardener.device.transport import open_device  # noqa: E402
from hardener.profile import load_profile  # noqa: E402
from hardener.sim.adbd import SimServer, read_log  # noqa: E402
from hardener.sim.android import load_persona  # noqa: E402
from hardener.sim.faults import Costs  # noqa: E402

REALISTIC = {"round_trip_s": 0.002, "dumpsys_s": 0.030, "cmd_s": 0.008}
EVENING = "2026-11-24T20:00"
FIXTURE = (
    ROOT.parent
    / "shared"
    / "fixtures"
    / "android"
    / "dumpsys-package__10__samsung-galaxy-a40-mvt.txt"
)

BENCH_PROFILE = """\
# Benchmark profile: every app (not only the catalog's) loses location, contacts and
# background running outside work hours, so the work grows with the number of apps.
schema = 1
description = "benchmark: rules on every app"
[work_hours]
timezone = "device"
weekdays = ["09:00-18:00"]
[[rules]]
name = "every app"
categories = ["workplace", "social", "other"]
off_hours = ["location", "contacts", "background_run", "battery_exemption"]
"""


class Counting:
    """Counts bytes and scripts through a transport (the wire, not the phone's log)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.sent = 0
        self.received = 0
        self.serial = inner.serial
        self.spec = inner.spec
        self.max_script_bytes = inner.max_script_bytes

    def shell(self, script: str, *, timeout: float) -> bytes:
        self.sent += len(script.encode())
        out = self.inner.shell(script, timeout=timeout)
        self.received += len(out)
        return out

    def describe(self) -> str:
        return self.inner.describe()

    def close(self) -> None:
        self.inner.close()


class OneShellPerCommand(Counting):
    """How per-command tools talk to a phone: every command in its own `adb shell`.

    It takes hardener's phase script apart line by line (the first line, the start marker,
    travels with the first command), so the output, and every decision made from it, is
    the same; only the number of round trips differs.
    """

    def shell(self, script: str, *, timeout: float) -> bytes:
        lines = script.splitlines()
        out = b""
        for index, line in enumerate(lines[1:]):
            chunk = (lines[0] + "\n" + line) if index == 0 else line
            out += super().shell(chunk, timeout=timeout)
        return out


@contextmanager
def phone(apps: int, log: Path, **costs: float):
    android = load_persona("pixel-14", apps=apps, costs=Costs(**costs))
    with SimServer(android, auth="off", costs=android.costs, log_path=log) as server:
        yield server


def streams(log: Path) -> int:
    return sum(1 for entry in read_log(log) if entry.service.startswith(("shell", "exec")))


@contextmanager
def per_command_reads():
    """Per-command tools read app by app: no whole-device dumps."""
    saved = assembly.WHOLE_DEVICE_FROM
    assembly.WHOLE_DEVICE_FROM = 10**9
    try:
        yield
    finally:
        assembly.WHOLE_DEVICE_FROM = saved


def one_round(kind: str, apps: int, per_command: bool, scratch: Path) -> dict[str, Any]:
    log = scratch / f"{kind}-{apps}-{per_command}.log"
    catalog = load_catalog()
    profile = load_profile(scratch / "bench-profile.toml")
    with phone(apps, log, **REALISTIC) as server, open_device(server.serial, auth_timeout=5) as raw:
        wire = OneShellPerCommand(raw) if per_command else Counting(raw)
        state = scratch / f"state-{kind}-{apps}-{per_command}"
        with per_command_reads() if per_command else nullcontext():
            before = 0
            if kind != "scan":
                # enforce: after `hardener plan`, as the README's flow goes, so hardener knows
                # the phone (its first contact costs one more round trip: a discovery);
                # enforce-again: the cron catch-up, on a phone already converged.
                apply = kind == "enforce-again"
                options = PhoneOptions(state_dir=state)
                run_profile(wire, profile, parse_at(EVENING), options=options, apply=apply)
                before = streams(log)
                wire.sent = wire.received = 0
            started = time.perf_counter()
            if kind == "scan":
                _, snapshot = collect.scan(wire, lambda p, third: p in catalog or third)
                detail = {"apps_read": len(snapshot.apps)}
            else:
                options = PhoneOptions(state_dir=state)
                run = run_profile(wire, profile, parse_at(EVENING), options=options, apply=True)
                assert run.exit_code == 0, run.result
                writes = len(run.plan.script())
                # The phone's own time for the writes: one command each, batched or not.
                detail = {"writes": writes, "writes_device_s": writes * REALISTIC["cmd_s"]}
            seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "round_trips": streams(log) - before,
        "bytes_sent": wire.sent,
        "bytes_received": wire.received,
        **detail,
    }


def rounds(sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        (scratch / "bench-profile.toml").write_text(BENCH_PROFILE)
        for kind in ("scan", "enforce", "enforce-again"):
            for apps in sizes:
                batched = one_round(kind, apps, False, scratch)
                per_command = one_round(kind, apps, True, scratch)
                rows.append(
                    {
                        "work": kind,
                        "apps": apps,
                        "batched": batched,
                        "per_command": per_command,
                        "speedup": per_command["seconds"] / batched["seconds"],
                    }
                )
                print_row(rows[-1])
    return rows


def ceiling(row: dict[str, Any]) -> float:
    """The best speed-up any batching could reach: per-command time over the phone's own
    time for the writes (which no tool can skip). Infinite when nothing is written."""
    device = row["batched"].get("writes_device_s", 0.0)
    return row["per_command"]["seconds"] / device if device else float("inf")


def print_row(row: dict[str, Any]) -> None:
    b, p = row["batched"], row["per_command"]
    extra = f"apps read {b.get('apps_read')}"
    if "writes" in b:
        extra = f"writes {b['writes']}, ceiling " + (
            f"x{ceiling(row):.1f}" if b["writes"] else "none"
        )
    print(
        f"{row['work']:14} {row['apps']:4} apps: batched {b['seconds']:6.2f} s "
        f"{b['round_trips']:3} rt "
        f"{b['bytes_received'] / 1e6:5.2f} MB | per-command {p['seconds']:6.2f} s "
        f"{p['round_trips']:5} rt {p['bytes_received'] / 1e6:5.2f} MB | "
        f"x{row['speedup']:5.1f}  ({extra})",
        flush=True,
    )


# ------------------------------------------------------------------------------- fleet


def serve_phones(count: int, ready: Any, stop: Any, specs: Any) -> None:
    """Child process: `count` virtual phones with realistic costs, until told to stop."""
    servers = []
    for index in range(count):
        android = load_persona("pixel-14", costs=Costs(**REALISTIC), serial=f"FLEET{index:04d}")
        server = SimServer(android, auth="off", costs=android.costs)
        server.start()
        servers.append(server)
    specs.extend([server.serial for server in servers])
    before = resource.getrusage(resource.RUSAGE_SELF)  # building the phones is not the run
    ready.set()
    stop.wait()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    specs.append(f"cpu:{cpu}")
    for server in servers:
        server.stop()


def fleet_child(specs: list[str], result_path: str) -> None:
    """Child process: hardener's fleet apply on `specs`; reports wall time and peak RSS."""
    from hardener.fleet.rollout import Target, device_task, rollout

    state = Path(tempfile.mkdtemp())
    targets = [Target(spec, "bench", "default") for spec in specs]
    options = PhoneOptions(state_dir=state, auth_timeout=5, timeout=300)
    task = device_task("apply", options=options, at=parse_at(EVENING))
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "0")) or len(targets)
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    results = rollout(targets, task, concurrency=concurrency)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_kib = usage.ru_maxrss  # the whole process, imports included
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime  # the run only
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    Path(result_path).write_text(
        json.dumps(
            {"seconds": seconds, "peak_mib": peak_kib / 1024, "cpu_s": cpu, "statuses": statuses}
        )
    )


REPEATS = 3


def fleet(sizes: list[int], repeats: int = REPEATS) -> list[dict[str, Any]]:
    """Each size `repeats` times, sizes interleaved (so a machine that slows down mid-run
    slows every size alike); each row is the run with the median wall time, with the range."""
    runs: dict[int, list[dict[str, Any]]] = {count: [] for count in sizes}
    for _ in range(repeats):
        for count in sizes:
            runs[count].append(fleet_once(count))
    rows = []
    for count in sizes:
        ordered = sorted(runs[count], key=lambda row: row["seconds"])
        row = dict(ordered[len(ordered) // 2])
        row["runs_s"] = [round(r["seconds"], 2) for r in runs[count]]
        row["peak_mib"] = max(r["peak_mib"] for r in runs[count])
        rows.append(row)
    return rows


def fleet_once(count: int) -> dict[str, Any]:
    """One `fleet apply` on `count` fresh virtual phones, served by their own process."""
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    specs, ready, stop = manager.list(), manager.Event(), manager.Event()
    server = context.Process(target=serve_phones, args=(count, ready, stop, specs))
    server.start()
    ready.wait(120)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, __file__, "_fleet_child", out.name, *list(specs)],
            check=True,
            cwd=ROOT,
        )
        row = {"phones": count, **json.loads(Path(out.name).read_text())}
    stop.set()
    server.join(60)
    row["phones_cpu_s"] = float(next(s for s in specs if s.startswith("cpu:"))[4:])
    manager.shutdown()
    print(
        f"fleet apply {count:4} phones: {row['seconds']:6.2f} s, peak {row['peak_mib']:6.1f} "
        f"MiB, hardener CPU {row['cpu_s']:.2f} s, phones CPU {row['phones_cpu_s']:.2f} s, "
        f"{row['statuses']}",
        flush=True,
    )
    return row


# ------------------------------------------------------------------------------- parse


def parse_speed(generated_apps: int) -> list[dict[str, Any]]:
    rows = []
    texts = []
    if FIXTURE.exists():
        texts.append(
            ("real capture (Samsung A40, Android 10)", FIXTURE.read_text(encoding="utf-8"))
        )
    big = load_persona("pixel-14", apps=generated_apps).run("dumpsys package").stdout.decode()
    texts.append((f"generated whole-device dump ({generated_apps} apps)", big))
    for name, text in texts:
        size = len(text.encode())
        repeat = max(1, int(20e6 // size))
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            for _ in range(repeat):
                parsed = parse_dumpsys_package(text)
            timings.append((time.perf_counter() - started) / repeat)
        best = min(timings)
        rows.append(
            {
                "input": name,
                "bytes": size,
                "packages": len(parsed.packages),
                "seconds": best,
                "mb_per_s": size / best / 1e6,
            }
        )
        print(
            f"parse {name}: {size / 1e6:6.2f} MB, {len(parsed.packages)} packages, "
            f"{size / best / 1e6:6.1f} MB/s",
            flush=True,
        )
    return rows


# -------------------------------------------------------------------------------- peer

PEER_PROFILE = """\
# Benchmark profile: the work adb-enhanced can do too, on the workplace apps.
schema = 1
description = "benchmark: what a per-command peer can do"
[work_hours]
timezone = "device"
weekdays = ["09:00-18:00"]
[[rules]]
name = "workplace apps"
categories = ["workplace"]
off_hours = ["location", "contacts", "background_run", "standby_bucket"]
"""


def find_adbe() -> Path | None:
    beside = Path(sys.executable).with_name("adbe")
    return beside if beside.is_file() else None


@contextmanager
def adb_server_for(serial: str, scratch: Path):
    """An isolated official adb server (its own HOME and port) connected to `serial`."""
    import adbutils

    adb = Path(adbutils.__file__).parent / "binaries" / "adb"
    home = scratch / "adb-home"
    home.mkdir(exist_ok=True)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANDROID_", "ADB_"))}
    env.update(HOME=str(home), ANDROID_ADB_SERVER_PORT=str(port), ADB_USB="0", ADB_MDNS="0")
    env["ADB_EMU"] = "0"
    env["HARDENER_STATE_DIR"] = str(scratch / "state")
    env["PATH"] = f"{adb.parent}{os.pathsep}{env.get('PATH', '')}"
    server = subprocess.Popen(
        [str(adb), "-P", str(port), "server", "nodaemon"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while subprocess.run([str(adb), "connect", serial], env=env, capture_output=True,
                             text=True).stdout.find("connected") < 0:  # fmt: skip
            if time.monotonic() > deadline:
                raise RuntimeError("the adb server did not connect to the virtual phone")
            time.sleep(0.2)
        while (
            f"{serial}\tdevice"
            not in subprocess.run(
                [str(adb), "devices"], env=env, capture_output=True, text=True
            ).stdout
        ):
            if time.monotonic() > deadline:
                raise RuntimeError("the virtual phone never became 'device'")
            time.sleep(0.1)
        yield env
    finally:
        subprocess.run([str(adb), "kill-server"], env=env, capture_output=True, check=False)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def workplace_packages(android: Any) -> list[str]:
    catalog = load_catalog()
    return sorted(
        name
        for name, pkg in android.model.packages.items()
        if not pkg.system and catalog.category_of(name) == "workplace"
    )


def final_state(android: Any, packages: list[str]) -> dict[str, Any]:
    model = android.model
    code = model.ops.code("RUN_ANY_IN_BACKGROUND")
    state = {}
    for name in packages:
        pkg = model.packages[name]
        user = pkg.users[0]
        state[name] = {
            "granted": sorted(
                p for p, s in user.runtime.items()
                if s.granted and ("CONTACTS" in p or "LOCATION" in p or p.endswith("ACCOUNTS"))
            ),
            "background": user.package_ops.get(code, "default"),
            "bucket": model.effective_bucket(pkg, 0),
        }  # fmt: skip
    return state


def peer_once(tool: str, scratch: Path) -> dict[str, Any]:
    log = scratch / f"peer-{tool}.log"
    android = load_persona("pixel-14", costs=Costs(**REALISTIC))
    packages = workplace_packages(android)
    commands: list[list[str]] = []
    server = SimServer(android, auth="off", costs=android.costs, log_path=log)
    with server, adb_server_for(server.serial, scratch) as env:
        before = streams(log)
        started = time.perf_counter()
        if tool == "adb-enhanced":
            adbe = str(find_adbe())
            for name in packages:
                commands += [
                    [adbe, "-s", server.serial, "permissions", "revoke", name, "contacts"],
                    [adbe, "-s", server.serial, "permissions", "revoke", name, "location"],
                    [adbe, "-s", server.serial, "restrict-background", "true", name],
                    [adbe, "-s", server.serial, "standby-bucket", "set", name, "rare"],
                ]
            for name in packages:
                commands += [
                    [adbe, "-s", server.serial, "app", "info", name],
                    [adbe, "-s", server.serial, "standby-bucket", "get", name],
                ]
        else:
            profile = scratch / "peer-profile.toml"
            profile.write_text(PEER_PROFILE)
            hardener = str(Path(sys.executable).with_name("hardener"))
            commands.append(
                    [hardener, "enforce", "--device", f"server:{server.serial}", "--profile",
                     str(profile), "--at", EVENING]
                )  # fmt: skip
        codes = [
            subprocess.run(command, env=env, capture_output=True, check=False).returncode
            for command in commands
        ]
        seconds = time.perf_counter() - started
        round_trips = streams(log) - before
    return {
        "seconds": seconds,
        "round_trips": round_trips,
        "processes": len(commands),
        "exit_codes": sorted(set(codes)),
        "apps": len(packages),
        "state": final_state(android, packages),
    }


def peer() -> list[dict[str, Any]]:
    if find_adbe() is None:
        print("peer: adb-enhanced is not installed (scripts/bootstrap.sh dev); skipped")
        return []
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        theirs = peer_once("adb-enhanced", scratch)
        ours = peer_once("hardener", scratch)
    # What one tool left granted that the other took away, by permission: count of apps.
    left: dict[str, dict[str, int]] = {"peer": {}, "hardener": {}}
    for name in theirs["state"]:
        mine, peers = set(ours["state"][name]["granted"]), set(theirs["state"][name]["granted"])
        for who, extra in (("peer", peers - mine), ("hardener", mine - peers)):
            for perm in extra:
                short = perm.rsplit(".", 1)[-1]
                left[who][short] = left[who].get(short, 0) + 1
    same = left["peer"] | {f"hardener: {k}": v for k, v in left["hardener"].items()}
    row = {
        "work": "revoke contacts+location, restrict background, set bucket, read back",
        "apps": ours["apps"],
        "peer": {k: v for k, v in theirs.items() if k != "state"},
        "hardener": {k: v for k, v in ours.items() if k != "state"},
        "ratio": theirs["seconds"] / ours["seconds"],
        "grants_differ": same,
    }
    print(
        f"peer adb-enhanced {theirs['seconds']:6.2f} s {theirs['round_trips']:4} rt "
        f"{theirs['processes']} processes | hardener {ours['seconds']:6.2f} s "
        f"{ours['round_trips']} rt | x{row['ratio']:.1f} | "
        f"left granted: {same or 'none'}",
        flush=True,
    )
    return [row]


def _generated_appops(target: int) -> tuple[str, str]:
    """A `dumpsys appops` and a `--history --include-discrete 0` dump of about `target`
    bytes each, written from the documented grammar (parsers/appops_access.py and
    appops_history.py), one synthetic app after another."""
    ops = ["COARSE_LOCATION", "FINE_LOCATION", "CAMERA", "RECORD_AUDIO", "READ_CONTACTS"]
    ops += ["WAKE_LOCK", "READ_CALENDAR", "READ_PHONE_STATE", "VIBRATE", "POST_NOTIFICATION"]
    states = ["top-s", "fg-s", "bg-s", "cch-tpd"]
    plain = ["Current AppOps Service state:\n  Settings:\n    top_state_settle_time=+5s0ms\n\n"]
    size, app = len(plain[0]), 0
    while size < target:
        block = [f"  Uid u0a{app}:\n    state=cch\n    capability=------\n"]
        block.append("    appWidgetVisible=false\n      COARSE_LOCATION: mode=foreground\n")
        block.append(f"    Package com.generated.app{app}:\n")
        for number, op in enumerate(ops):
            block.append(f"      {op} (allow): \n        null=[\n")
            for state in states:
                minute = (app + number) % 60
                block.append(
                    f"          Access: [{state}] 2026-11-22 21:{minute:02d}:00.000 "
                    f"(-{app % 20}h{minute}m0s0ms) duration=+{number}s0ms\n"
                )
            block.append(
                f"          Reject: [bg-s]2026-11-22 23:{number:02d}:00.000 (-9h0m0s0ms)\n"
            )
            block.append("        ]\n")
        text = "".join(block)
        plain.append(text)
        size += len(text)
        app += 1
    history = ["Current AppOps Service state:\n\n  History:  mode=HISTORICAL_MODE_ENABLED_ACTIVE\n"]
    size, snapshot = len(history[0]), 0
    discrete = ["Discrete accesses: \n  Largest chain id: 0\n"]
    while size < target:
        lines = [
            "\n    snapshot:\n"
            f"      begin = 2026-11-22 {snapshot % 24:02d}:00:00.000  (-{snapshot}h0m0s0ms)\n"
            f"      end = 2026-11-22 {snapshot % 24:02d}:15:00.000  (-{snapshot}h45m0s0ms)\n"
        ]
        for app in range(40):
            lines.append(f"\n      Uid u0a{app}:\n        Package com.generated.app{app}:\n")
            lines.append("          Attribution null:\n")
            for op in ops[:5]:
                lines.append(
                    f"            {op}:\n"
                    "              [bg-s] = access=3, reject=1, duration=+2s0ms\n"
                )
        chunk = "".join(lines)
        history.append(chunk)
        uid = 10000 + snapshot % 200
        entry = (
            f"  Uid: {uid}\n    Package: com.generated.app{snapshot}\n      FINE_LOCATION\n"
            "        Attribution: null\n"
            + "".join(
                f"          Access [bg-s] at 2026-11-2{minute % 7} "
                f"{minute % 24:02d}:{minute % 60:02d}:00.000 for 60000 milliseconds \n"
                for minute in range(60)
            )
        )
        discrete.append(entry)
        size += len(chunk) + len(entry)
        snapshot += 1
    return "".join(plain), "".join(history) + "".join(discrete)


def _generated_discrete_sql(target: int) -> str:
    """Android 16's SQLite discrete history (DiscreteOpsSqlRegistry.dump, grammar in
    parsers/appops_history.py) of about `target` bytes: one row per access."""
    out = [
        "Discrete accesses: \n  Largest chain id: 0\n"
        "UID|PACKAGE_NAME|DEVICE_ID|OP_NAME|ATTRIBUTION_TAG|UID_STATE|OP_FLAGS|ATTR_FLAGS"
        "|CHAIN_ID|ACCESS_TIME|DURATION\n"
    ]
    size, row = len(out[0]), 0
    states = ["top", "fg", "bg", "fgsvc"]
    while size < target:
        minute = row % 10_080
        line = (
            f"{10000 + row % 200}|com.generated.app{row % 200}|default:0|FINE_LOCATION|null"
            f"|{states[row % 4]}|{'s|tpd' if row % 7 == 0 else 's'}|0|-1"
            f"|2026-11-{16 + minute // 1440} {minute // 60 % 24:02d}:{minute % 60:02d}"
            f":{row % 60:02d}.{row % 1000:03d}|{-1 if row % 3 else 61_500}\n"
        )
        out.append(line)
        size += len(line)
        row += 1
    return "".join(out) + "\n"


def appops_speed(target: int) -> list[dict[str, Any]]:
    from hardener.android.parsers.appops_access import parse_last_access
    from hardener.android.parsers.appops_dump import parse_dumpsys_appops
    from hardener.android.parsers.appops_history import parse_appops_history

    plain, history = _generated_appops(target)
    discrete_sql = _generated_discrete_sql(target)
    cases = [
        ("dumpsys appops: last access (appops_access)", plain, parse_last_access, len),
        ("dumpsys appops: modes (appops_dump)", plain, parse_dumpsys_appops, lambda r: len(r.uids)),
        (
            "--history --include-discrete 0 (appops_history)",
            history,
            parse_appops_history,
            lambda r: len(r.counts) + len(r.discrete),
        ),
        (
            "--history --include-discrete 0, Android 16 SQLite table (appops_history)",
            discrete_sql,
            parse_appops_history,
            lambda r: len(r.discrete),
        ),
    ]
    rows = []
    for name, text, parser, count in cases:
        size = len(text.encode())
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            parsed = parser(text)
            timings.append(time.perf_counter() - started)
        best = min(timings)
        rows.append(
            {"input": name, "bytes": size, "records": count(parsed), "seconds": best,
             "mb_per_s": size / best / 1e6}
        )  # fmt: skip
        print(
            f"appops {name}: {size / 1e6:5.2f} MB, {count(parsed)} records, "
            f"{best:.3f} s, {size / best / 1e6:6.1f} MB/s",
            flush=True,
        )
    return rows


def profile_check_speed(sizes: list[int]) -> list[dict[str, Any]]:
    """`profile check` on profiles of many rules (each its own package in the catalog)."""
    from hardener.profile import check_profile

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for rules in sizes:
            lines = ["schema = 1", "[work_hours]", 'weekdays = ["09:00-18:00"]']
            for i in range(rules):
                lines += ["[[rules]]", f'name = "rule {i}"', f'packages = ["com.example.app{i}"]',
                          'off_hours = ["contacts"]']  # fmt: skip
            listed = ", ".join(f'"com.example.app{i}"' for i in range(rules))
            lines += ["[catalog]", f"workplace = [{listed}]"]
            path = Path(scratch) / f"rules{rules}.toml"
            path.write_text("\n".join(lines) + "\n")
            started = time.perf_counter()
            result = check_profile(path)
            seconds = time.perf_counter() - started
            rows.append({"rules": rules, "seconds": seconds, "ok": result.ok})
            print(f"profile check, {rules} rules: {seconds:.2f} s", flush=True)
    return rows


# ------------------------------------------------------------------------------- report


def markdown(results: dict[str, Any]) -> str:
    lines = [f"# hardener benchmarks ({results['when']}, {results['machine']})", ""]
    if "rounds" in results:
        lines += [
            "Costs: 2 ms per round trip, 30 ms per dumpsys, 8 ms per other command (device side).",
            "",
            "The ceiling is the best speed-up any batching could reach: per-command time over the",
            "phone's own time for the writes (one 8 ms command each, batched or not). enforce runs",
            "after `hardener plan`, so hardener knows the phone (first contact: one round trip",
            "more); enforce-again is the cron catch-up on a phone already converged.",
            "",
            "| work | apps | batched s | rt | MB in | per-command s | rt | MB in | speed-up "
            "| ceiling |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in results["rounds"]:
            b, p = row["batched"], row["per_command"]
            lines.append(
                f"| {row['work']} | {row['apps']} | {b['seconds']:.2f} | {b['round_trips']} | "
                f"{b['bytes_received'] / 1e6:.2f} | {p['seconds']:.2f} | {p['round_trips']} | "
                f"{p['bytes_received'] / 1e6:.2f} | x{row['speedup']:.1f} | "
                + (f"x{ceiling(row):.1f} |" if b.get("writes_device_s") else "none |")
            )
        lines.append("")
    if results.get("peer"):
        lines += [
            f"A real per-command peer (measured {results.get('peer_when', results['when'])}):",
            "adb-enhanced (`adbe`) against hardener on the same virtual phone (pixel-14, same",
            "costs), both through the official adb server, each run as the commands a person",
            "types (process start-ups included). Work: revoke contacts and location of the",
            "workplace apps, restrict their background, set their standby bucket, then read",
            "the result back.",
            "",
            "`left granted` names what one tool left granted that the other revoked (adbe's",
            "hard-coded groups lack GET_ACCOUNTS and ACCESS_BACKGROUND_LOCATION on Android 10+).",
            "",
            "| work | apps | adbe s | rt | processes | hardener s | rt | processes | ratio |"
            " left granted |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in results["peer"]:
            p, h = row["peer"], row["hardener"]
            differ = (
                ", ".join(f"{k} ({v} apps)" for k, v in sorted(row["grants_differ"].items()))
                or "none"
            )
            lines.append(
                f"| {row['work']} | {row['apps']} | {p['seconds']:.2f} | {p['round_trips']} | "
                f"{p['processes']} | {h['seconds']:.2f} | {h['round_trips']} | "
                f"{h['processes']} | x{row['ratio']:.1f} | {differ} |"
            )
        lines.append("")
    if "fleet" in results:
        lines += [
            f"Fleet: median of {REPEATS} runs per size (sizes interleaved); all runs listed.",
            "",
            "| phones | wall s (median) | vs one phone | runs s | peak MiB | results |",
            "|---|---|---|---|---|---|",
        ]
        one = results["fleet"][0]["seconds"]
        for row in results["fleet"]:
            runs = " / ".join(f"{r:.2f}" for r in row.get("runs_s", [row["seconds"]]))
            lines.append(
                f"| {row['phones']} | {row['seconds']:.2f} | x{row['seconds'] / one:.2f} | "
                f"{runs} | {row['peak_mib']:.0f} | {row['statuses']} |"
            )
        lines.append("")
    if "parse" in results:
        lines += ["| input | MB | packages | MB/s |", "|---|---|---|---|"]
        for row in results["parse"]:
            lines.append(
                f"| {row['input']} | {row['bytes'] / 1e6:.2f} | {row['packages']} | "
                f"{row['mb_per_s']:.1f} |"
            )
        lines.append("")
    if "appops" in results:
        lines += ["| access-record input | MB | records | s | MB/s |", "|---|---|---|---|---|"]
        for row in results["appops"]:
            lines.append(
                f"| {row['input']} | {row['bytes'] / 1e6:.2f} | {row['records']} | "
                f"{row['seconds']:.3f} | {row['mb_per_s']:.1f} |"
            )
    if "profile" in results:
        lines += ["| profile check | rules | seconds |", "|---|---|---|"]
        for row in results["profile"]:
            lines.append(f"| {'ok' if row['ok'] else 'errors'} | {row['rules']} | "
                         f"{row['seconds']:.2f} |")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_fleet_child":
        fleet_child(sys.argv[3:], sys.argv[2])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="SECTION",
        help="rounds, fleet, parse, peer, appops, profile (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other sections of the existing --out file; replace only those run",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "latest.json")
    args = parser.parse_args()
    sections = ["rounds", "fleet", "parse", "peer", "appops", "profile"]
    args.sections = args.sections or sections
    unknown = set(args.sections) - set(sections)
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}: choose from {', '.join(sections)}")
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }
    if args.merge and args.out.exists():
        results = {**json.loads(args.out.read_text()), **{"merged": True}}
        for section in args.sections:
            results[f"{section}_when"] = time.strftime("%Y-%m-%d %H:%M")
    if "rounds" in args.sections:
        results["rounds"] = rounds([50] if args.quick else [50, 150, 300])
    if "fleet" in args.sections:
        results["fleet"] = fleet([1, 5] if args.quick else [1, 10, 50, 100])
    if "parse" in args.sections:
        results["parse"] = parse_speed(300 if args.quick else 3900)
    if "peer" in args.sections:
        results["peer"] = peer()
    if "appops" in args.sections:
        results["appops"] = appops_speed(3_000_000)
    if "profile" in args.sections:
        results["profile"] = profile_check_speed([1000] if args.quick else [4000, 20000])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(results))
    print(f"\nwritten: {args.out} and {args.out.with_suffix('.md')}")
    print(markdown(results))


if __name__ == "__main__":
    main()

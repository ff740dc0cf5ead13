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
    saved = collect.WHOLE_DEVICE_FROM
    collect.WHOLE_DEVICE_FROM = 10**9
    try:
        yield
    finally:
        collect.WHOLE_DEVICE_FROM = saved


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
                run_profile(wire, profile, parse_at(EVENING), state_dir=state, apply=apply)
                before = streams(log)
                wire.sent = wire.received = 0
            started = time.perf_counter()
            if kind == "scan":
                _, snapshot = collect.scan(wire, lambda p, third: p in catalog or third)
                detail = {"apps_read": len(snapshot.apps)}
            else:
                run = run_profile(wire, profile, parse_at(EVENING), state_dir=state, apply=True)
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
    task = device_task("apply", state_dir=state, at=parse_at(EVENING), auth_timeout=5, timeout=300)
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
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_fleet_child":
        fleet_child(sys.argv[3:], sys.argv[2])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "sections", nargs="*", metavar="SECTION", help="rounds, fleet, parse (default: all)"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "latest.json")
    args = parser.parse_args()
    args.sections = args.sections or ["rounds", "fleet", "parse"]
    unknown = set(args.sections) - {"rounds", "fleet", "parse"}
    if unknown:
        parser.error(f"unknown section(s) {sorted(unknown)}: choose from rounds, fleet, parse")
    results: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }
    if "rounds" in args.sections:
        results["rounds"] = rounds([50] if args.quick else [50, 150, 300])
    if "fleet" in args.sections:
        results["fleet"] = fleet([1, 5] if args.quick else [1, 10, 50, 100])
    if "parse" in args.sections:
        results["parse"] = parse_speed(300 if args.quick else 3900)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    args.out.with_suffix(".md").write_text(markdown(results))
    print(f"\nwritten: {args.out} and {args.out.with_suffix('.md')}")
    print(markdown(results))


if __name__ == "__main__":
    main()

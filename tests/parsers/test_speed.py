"""Whole-device `dumpsys package` must parse at 20 MB/s or better (the brief's floor).

The text is generated in Android 10's grammar with the sections that make up a real
whole-device dump (resolver tables, packages with requested/install/runtime permissions
for three users, dexopt state), with varied grant flags so repeated lines are not the
whole story. Best of three runs, so a busy machine does not fail the test by accident.
"""

from __future__ import annotations

import random
import time

from parsers_support import Grant, RenderPackage, RenderUser, render_dumpsys_package

from hardener.parsers import parse_dumpsys_package

FLOOR_MB_PER_S = 20.0

RUNTIME = [f"android.permission.RUNTIME_{index}" for index in range(45)]
INSTALL = [f"android.permission.INSTALL_{index}" for index in range(90)]
FLAGS = [
    "USER_SET",
    "USER_FIXED",
    "USER_SENSITIVE_WHEN_GRANTED",
    "USER_SENSITIVE_WHEN_DENIED",
    "RESTRICTION_UPGRADE_EXEMPT",
    "REVOKE_WHEN_REQUESTED",
    "GRANTED_BY_DEFAULT",
    "ONE_TIME",
]


def large_dump(packages: int = 1600, seed: int = 7) -> str:
    rng = random.Random(seed)

    def runtime() -> list[Grant]:
        names = rng.sample(RUNTIME, rng.randrange(5, 25))
        return [
            Grant(n, rng.random() < 0.5, tuple(rng.sample(FLAGS, rng.randrange(0, 4))))
            for n in names
        ]

    rendered = [
        RenderPackage(
            name=f"com.vendor{index % 97}.app{index}",
            app_id=10_000 + index,
            version_code=rng.randrange(1, 10**9),
            version_name=f"{rng.randrange(1, 30)}.{rng.randrange(100)}.{index}",
            system=index % 3 == 0,
            installer="com.android.vending" if index % 2 else None,
            requested=rng.sample(RUNTIME + INSTALL, rng.randrange(10, 40)),
            install=[Grant(n, True) for n in rng.sample(INSTALL, rng.randrange(5, 30))],
            users=[RenderUser(user, runtime=runtime()) for user in (0, 10, 11)],
        )
        for index in range(packages)
    ]
    return render_dumpsys_package(rendered, style=10, filler_lines=packages * 60, seed=seed)


def test_whole_device_dump_parses_at_20_mb_per_second() -> None:
    text = large_dump()
    megabytes = len(text.encode()) / 1e6
    assert megabytes > 15  # a dump the size of a busy phone's
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        result = parse_dumpsys_package(text)
        best = min(best, time.perf_counter() - started)
    assert len(result.packages) == 1600
    assert len(result.packages["com.vendor5.app5"].users) == 3
    rate = megabytes / best
    print(f"\ndumpsys package: {megabytes:.1f} MB in {best:.3f} s = {rate:.0f} MB/s")
    assert rate >= FLOOR_MB_PER_S, f"{rate:.1f} MB/s is below the {FLOOR_MB_PER_S} MB/s floor"

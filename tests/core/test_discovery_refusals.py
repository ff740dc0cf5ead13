"""A refused `pm list packages -3` is reported like a refused `-U`, and system apps are then
told apart by each app's SYSTEM flag instead of every app counting as a system app."""

from __future__ import annotations

from hardener.core.command_result import CommandResult
from hardener.core.reads import by_name
from hardener.core.snapshot import (
    assemble,
    detail_request,
    discovery_reads,
    parse_discovery,
    selected,
)

REFUSAL = (
    "\nException occurred while executing 'list':\n"
    "java.lang.SecurityException: Shell does not have permission to access user 150\n"
    " com.android.server.am.ActivityManagerService.handleIncomingUser:15285 "
    "android.app.ActivityManager.handleIncomingUser:4954 "
    "com.android.server.pm.PackageManagerShellCommand.translateUserId:3620 \n"
    "\tat com.android.server.am.UserController.handleIncomingUser(UserController.java:3097)\n"
)
PROPS = "[ro.build.version.sdk]: [34]\n[ro.product.manufacturer]: [samsung]\n"
USERS = "Users:\n\tUserInfo{0:Owner:4c13} running\n"
ALL = (
    "package:com.alibaba.android.rimet uid:10201\n"
    "package:com.google.android.apps.tachyon uid:10150\n"
)


def discovery_results(third: str, all_packages: str = ALL) -> dict[str, CommandResult]:
    outputs = [PROPS, USERS, "0\n", all_packages, third, "set-permission-flags\n"]
    results = [
        CommandResult(f"cmd{i}", out, 255 if "Exception" in out else 0)
        for i, out in enumerate(outputs)
    ]
    return by_name(discovery_reads(), results)


def test_a_refused_third_party_list_is_a_problem_like_a_refused_full_list():
    third_refused = parse_discovery("S", discovery_results(REFUSAL))
    all_refused = parse_discovery("S", discovery_results("", all_packages=REFUSAL))
    assert any(
        "third-party" in p and "Shell does not have permission" in p for p in third_refused.problems
    )
    assert any("Shell does not have permission" in p for p in all_refused.problems)
    assert third_refused.third_party_known is False
    assert all_refused.third_party_known is True


def test_then_the_dumps_system_flag_decides_what_is_a_system_app():
    found = parse_discovery("S", discovery_results(REFUSAL))
    wanted = selected(found, lambda _package, third: third)
    assert set(wanted) == {"com.alibaba.android.rimet", "com.google.android.apps.tachyon"}
    request = detail_request(found, wanted)
    dump = (
        "Packages:\n"
        "  Package [com.alibaba.android.rimet] (1):\n    appId=10201\n"
        "    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]\n"
        "    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false\n"
        "  Package [com.google.android.apps.tachyon] (2):\n    appId=10150\n"
        "    flags=[ SYSTEM HAS_CODE UPDATED_SYSTEM_APP ]\n"
        "    User 0: ceDataInode=2 installed=true hidden=false suspended=false stopped=false\n"
    )
    outputs = ["", "0\n", "", "", "null\n", "null\n"]  # allow-list, zen mode and dump, user 0
    for package in request.packages:
        one = dump[dump.index(f"  Package [{package}]") :]
        rest = one.find("  Package [", 3)
        outputs += ["Packages:\n" + (one if rest < 0 else one[:rest]), "No operations.\n"]
    results = [CommandResult(c, o, 0) for c, o in zip(request.commands, outputs, strict=True)]
    snap = assemble(found, request, by_name(request.reads, results))
    system = {app.package: app.system for app in snap.apps}
    assert system == {"com.alibaba.android.rimet": False, "com.google.android.apps.tachyon": True}

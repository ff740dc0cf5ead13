"""Named reads: a read's output reaches its own parser whatever the order of the phase."""

from __future__ import annotations

import random

import pytest

from hardener.core.command_result import CommandResult
from hardener.core.reads import ReadKind, by_name
from hardener.core.snapshot import ALL_PACKAGES, PROPS, discovery_reads, parse_discovery

OUTPUTS = {
    "getprop": "[ro.serialno]: [R58M]\n[ro.build.version.sdk]: [34]\n",
    "users": "Users:\n\tUserInfo{0:Owner:c13} running\n",
    "current_user": "0\n",
    "packages": "package:com.tencent.mm uid:10200\npackage:com.android.phone uid:1001\n",
    "third_party": "package:com.tencent.mm uid:10200\n",
    "pm_help": "  set-permission-flags [--user USER_ID] PACKAGE PERM [FLAGS..]\n",
}


def test_each_read_pairs_its_command_with_its_parser():
    assert PROPS.at().name == "getprop" and PROPS.at().command == "getprop"
    kind = ReadKind("appops", lambda user, pkg: f"appops get --user {user} {pkg}", str.upper)
    read = kind.at(10, "com.x.y")
    assert (read.name, read.command) == ("appops:10:com.x.y", "appops get --user 10 com.x.y")
    outputs = {read.name: CommandResult(read.command, "ok", 0)}
    assert kind.parsed(outputs, 10, "com.x.y") == "OK"
    with pytest.raises(KeyError, match=r"appops:0:com\.x\.y"):
        kind.parsed(outputs, 0, "com.x.y")


def test_discovery_does_not_depend_on_the_order_of_its_reads():
    reads = discovery_reads()
    results = [CommandResult(r.command, OUTPUTS[r.name], 0) for r in reads]
    expected = parse_discovery("usb:x", by_name(reads, results))
    shuffled = list(zip(reads, results, strict=True))
    random.Random(4).shuffle(shuffled)
    again = parse_discovery("usb:x", by_name([r for r, _ in shuffled], [c for _, c in shuffled]))
    assert again == expected
    assert expected.device.serial == "R58M" and "com.tencent.mm" in expected.third_party
    assert ALL_PACKAGES.parsed(by_name(reads, results)).names == (
        "com.tencent.mm",
        "com.android.phone",
    )


def test_a_phase_with_a_missing_or_duplicate_result_is_refused():
    reads = discovery_reads()
    results = [CommandResult(r.command, "", 0) for r in reads]
    with pytest.raises(ValueError, match="reads but"):
        by_name(reads, results[:-1])
    with pytest.raises(ValueError, match="share a name"):
        by_name([reads[0], reads[0]], results[:2])

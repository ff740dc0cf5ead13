"""`pm list permission-groups` / `pm list permissions`: a real capture, AOSP's shape per
release (derived from `PackageManagerShellCommand.runListPermissions`), and consistency
with the model's permission definitions and grants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android import platform as pf
from hardener.sim.android.javaorder import arraymap_order

CAPTURES = Path(__file__).parent / "captures"
GROUPS_CAPTURE = CAPTURES / "pm-list-permission-groups__13__xiaomi-poco-f4gt-ingres.txt"


def run(phone: AndroidDevice, command: str) -> tuple[str, str, int]:
    result = phone.run(command)
    return result.stdout.decode(), result.stderr.decode(), result.exit_code


def sections(text: str) -> dict[str | None, list[str]]:
    """`group:NAME` / `ungrouped:` -> the permission names listed under it."""
    found: dict[str | None, list[str]] = {}
    current: str | None = None
    for line in text.splitlines():
        if line.startswith("group:"):
            current = line[len("group:") :]
            found[current] = []
        elif line == "ungrouped:":
            current = None
            found[None] = []
        elif line.startswith("  permission:"):
            found[current].append(line[len("  permission:") :])
    return found


def runtime_for(sdk: int) -> set[str]:
    return {name for name, (_, since) in pf.RUNTIME_PERMISSIONS.items() if since <= sdk}


def test_the_real_capture_is_in_arraymap_order() -> None:
    names = [line.split(":", 1)[1] for line in GROUPS_CAPTURE.read_text().splitlines()]
    assert arraymap_order(names) == names


def test_android_13_plus_groups_match_the_real_capture(pixel: AndroidDevice) -> None:
    out, _, code = run(pixel, "pm list permission-groups")
    assert code == 0
    assert out == GROUPS_CAPTURE.read_text()  # a phone with Google Play services
    del pixel.model.packages["com.google.android.gms"]
    platform_only = [
        line for line in GROUPS_CAPTURE.read_text().splitlines() if "permission-group." in line
    ]
    assert run(pixel, "pm list permission-groups")[0].splitlines() == platform_only


def test_android_9_has_no_undefined_group_and_no_android_13_groups(legacy9: AndroidDevice) -> None:
    out, _, _ = run(legacy9, "pm list permission-groups")
    names = {line.split(":", 1)[1] for line in out.splitlines()}
    assert "android.permission-group.CONTACTS" in names
    assert "android.permission-group.UNDEFINED" not in names
    assert "android.permission-group.READ_MEDIA_VISUAL" not in names


def test_grouped_dangerous_listing_on_android_10_plus_has_empty_platform_groups(
    pixel: AndroidDevice,
) -> None:
    out, err, code = run(pixel, "pm list permissions -g -d")
    assert (code, err) == (0, "")
    assert out.startswith("Dangerous Permissions:\n\ngroup:")
    found = sections(out)
    assert list(found)[-1] is None, "ungrouped: comes last"
    assert set(found["android.permission-group.UNDEFINED"]) == runtime_for(34)
    for group, listed in found.items():
        if group != "android.permission-group.UNDEFINED":
            assert listed == [], group
    # Groups are separated by one empty line, never after the header's.
    assert "\n\n\n" not in out


def test_grouped_dangerous_listing_on_android_9_uses_the_real_groups(
    legacy9: AndroidDevice,
) -> None:
    found = sections(run(legacy9, "pm list permissions -g -d")[0])
    assert set(found["android.permission-group.CONTACTS"]) == {
        pf.P + "READ_CONTACTS",
        pf.P + "WRITE_CONTACTS",
        pf.P + "GET_ACCOUNTS",
    }
    assert set(found["android.permission-group.LOCATION"]) == {
        pf.P + "ACCESS_FINE_LOCATION",
        pf.P + "ACCESS_COARSE_LOCATION",
    }
    assert pf.P + "ACCESS_BACKGROUND_LOCATION" not in out_all(legacy9)
    assert found[None] == []  # every dangerous permission has its group on 9


def out_all(phone: AndroidDevice) -> str:
    return run(phone, "pm list permissions")[0]


def test_without_g_the_group_argument_selects_and_no_argument_means_ungrouped(
    legacy9: AndroidDevice, pixel: AndroidDevice
) -> None:
    out, _, _ = run(legacy9, "pm list permissions android.permission-group.CONTACTS")
    assert out.splitlines()[:2] == ["All Permissions:", ""]
    listed = {line[len("permission:") :] for line in out.splitlines()[2:]}
    assert listed == {pf.P + "READ_CONTACTS", pf.P + "WRITE_CONTACTS", pf.P + "GET_ACCOUNTS"}
    # No group: only the permissions without one (the normal ones here), never dangerous.
    ungrouped = {line[len("permission:") :] for line in out_all(pixel).splitlines()[2:]}
    assert pf.P + "INTERNET" in ungrouped
    assert not ungrouped & runtime_for(34)
    # With -g the argument is ignored: every group is listed.
    with_g = run(legacy9, "pm list permissions -g android.permission-group.CONTACTS")[0]
    assert "group:android.permission-group.LOCATION" in with_g


def test_an_unknown_group_throws_after_the_header(pixel: AndroidDevice) -> None:
    out, err, code = run(pixel, "pm list permissions -d com.example.NOPE")
    assert out == "Dangerous Permissions:\n\n"
    assert code == 255
    assert "java.lang.NullPointerException" in err
    assert "Exception occurred while executing 'list':" in err


def test_u_lists_dangerous_and_normal_and_d_u_lists_them_apart(pixel: AndroidDevice) -> None:
    both = run(pixel, "pm list permissions -u -g")[0]
    assert both.startswith("Dangerous and Normal Permissions:\n\n")
    assert "permission:android.permission.INTERNET" in both
    assert "permission:android.permission.READ_CONTACTS" in both
    assert "permission:android.permission.SYSTEM_ALERT_WINDOW" not in both  # signature
    apart = run(pixel, "pm list permissions -d -u -g")[0]
    dangerous, normal = apart.split("Normal Permissions:\n\n")
    assert dangerous.startswith("Dangerous Permissions:\n\n")
    assert "INTERNET" not in dangerous and "READ_CONTACTS" in dangerous
    assert "INTERNET" in normal and "READ_CONTACTS" not in normal
    assert "SYSTEM_ALERT_WINDOW" in run(pixel, "pm list permissions -g")[0]


def test_f_and_s_formats(legacy9: AndroidDevice) -> None:
    full = run(legacy9, "pm list permissions -f -d android.permission-group.CAMERA")[0]
    assert full == (
        "Dangerous Permissions:\n\n"
        "+ permission:android.permission.CAMERA\n"
        "  package:android\n"
        "  protectionLevel:dangerous\n"
    )
    grouped_full = run(legacy9, "pm list permissions -f -g -d")[0]
    assert "+ group:android.permission-group.CAMERA\n  package:android\n" in grouped_full
    assert "  + permission:android.permission.CAMERA\n    package:android\n" in grouped_full
    assert grouped_full.rstrip("\n").endswith("+ ungrouped:")
    summary = run(legacy9, "pm list permissions -s -d")[0].splitlines()
    assert "android.permission-group.CAMERA: android.permission.CAMERA" in summary
    assert summary[-2:] == ["ungrouped:", ""]


def test_unknown_option(pixel: AndroidDevice) -> None:
    assert run(pixel, "pm list permissions -x") == ("Error: Unknown option: -x\n", "", 1)


@pytest.mark.parametrize("persona", ["pixel-14", "xiaomi-hyperos-14", "samsung-oneui-work"])
def test_every_listed_dangerous_permission_is_one_pm_revoke_accepts(persona: str) -> None:
    phone = load_persona(persona)
    phone.set_usb_debugging_security_settings(True)
    found = sections(run(phone, "pm list permissions -g -d")[0])
    listed = set(found["android.permission-group.UNDEFINED"])
    pkg = phone.model.packages["com.tencent.mm"]
    for perm in sorted(listed & set(pkg.requested)):
        _, err, _ = run(phone, f"pm revoke com.tencent.mm {perm}")
        assert err == "", (perm, err)
        assert not pkg.users[0].runtime[perm].granted


OPTIONS = st.lists(st.sampled_from(["-g", "-f", "-d", "-u", "-s"]), max_size=5)


@settings(max_examples=40, deadline=None)
@given(options=OPTIONS, sdk9=st.booleans())
def test_any_option_mix_keeps_the_header_and_the_protection_range(
    options: list[str], sdk9: bool
) -> None:
    phone = load_persona("android9-legacy" if sdk9 else "pixel-14", apps=12)
    out, err, code = run(phone, "pm list permissions " + " ".join(options))
    assert (code, err) == (0, "")
    first = out.splitlines()[0]
    if "-d" in options:
        assert first == "Dangerous Permissions:"
        assert ("Normal Permissions:" in out) == ("-u" in options)
    elif "-u" in options:
        assert first == "Dangerous and Normal Permissions:"
    else:
        assert first == "All Permissions:"
    names = set(re.findall(r"permission:(\S+)", out))
    if "-d" in options and "-u" not in options:
        assert names <= runtime_for(phone.model.sdk)

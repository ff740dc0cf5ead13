"""Output formats: the same expectations hold for the real captures and every persona."""

from __future__ import annotations

from pathlib import Path

import pytest
import sim_android_expectations as ex

from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android.javaorder import arraymap_order, hashmap_order, signed32, string_hash


def out(phone: AndroidDevice, command: str) -> str:
    result = phone.run(command)
    return result.stdout.decode()


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# ----------------------------------------------------------------------------- getprop


def check_getprop(text: str) -> None:
    """`[key]: [value]` entries, keys sorted; a value may span lines (the capture has one)."""
    entries = ex.GETPROP_ENTRY.findall(text)
    assert entries, "no getprop output"
    assert "".join(f"[{k}]: [{v}]\n" for k, v in entries) == text
    keys = [key for key, _ in entries]
    assert keys == sorted(keys), "getprop prints keys sorted bytewise"


def test_getprop_capture(captures: Path) -> None:
    text = (captures / "getprop__11__oneplus-nord-n10-oxygenos11.txt").read_text()
    check_getprop(text if text.endswith("\n") else text + "\n")


def test_getprop_persona(phone: AndroidDevice) -> None:
    check_getprop(out(phone, "getprop"))
    for line in out(phone, "getprop").splitlines():
        assert ex.GETPROP_LINE.match(line), line
    sdk = phone.model.props["ro.build.version.sdk"]
    assert out(phone, "getprop ro.build.version.sdk") == f"{sdk}\n"
    assert out(phone, "getprop no.such.property") == "\n"
    assert (
        out(phone, "getprop persist.sys.timezone").strip()
        == phone.model.props["persist.sys.timezone"]
    )


# ----------------------------------------------------------------------- pm list packages


@pytest.mark.parametrize(
    ("name", "grammar"),
    [
        ("pm-list-packages-3__14__xiaomi-pad6-hyperos2.txt", ex.PACKAGE_LINE),
        ("pm-list-packages-s__14__xiaomi-pad6-hyperos2.txt", ex.PACKAGE_LINE),
        ("pm-list-packages-f__7__genymotion-metasploit14140.txt", ex.PACKAGE_F_LINE),
    ],
)
def test_list_packages_capture_grammar(captures: Path, name: str, grammar: object) -> None:
    for line in lines_of(captures / name):
        assert grammar.match(line), line  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("options", "grammar"),
    [
        ("", ex.PACKAGE_LINE),
        ("-3", ex.PACKAGE_LINE),
        ("-s", ex.PACKAGE_LINE),
        ("-f", ex.PACKAGE_F_LINE),
        ("-U", ex.PACKAGE_U_LINE),
        ("-i", ex.PACKAGE_I_LINE),
    ],
)
def test_list_packages_persona_grammar(phone: AndroidDevice, options: str, grammar: object) -> None:
    command = f"pm list packages {options} --user 0"
    lines = out(phone, command).splitlines()
    assert lines, command
    for line in lines:
        assert grammar.match(line), line  # type: ignore[attr-defined]


def test_list_packages_order_android_12_plus_is_hashmap_order(captures: Path) -> None:
    """Android 12+ prints from a HashMap of lines: the captures show exactly that order."""
    for name in (
        "pm-list-packages-3__14__xiaomi-pad6-hyperos2.txt",
        "pm-list-packages-s__14__xiaomi-pad6-hyperos2.txt",
    ):
        lines = lines_of(captures / name)
        assert hashmap_order(lines) == lines
    phone = load_persona("pixel-14")
    for options in ("-3", "-s", "-U", "-f"):
        lines = out(phone, f"pm list packages {options} --user 0").splitlines()
        keys = [line.split(" uid:")[0] for line in lines]  # the map's keys have no uids
        assert hashmap_order(keys) == keys


def test_list_packages_order_older_releases_is_package_map_order(captures: Path) -> None:
    """Before 12, the list follows the package ArrayMap: ascending String.hashCode."""
    names = [
        line.rsplit("=", 1)[1]
        for line in lines_of(captures / "pm-list-packages-f__7__genymotion-metasploit14140.txt")
    ]
    hashes = [signed32(string_hash(n)) for n in names]
    assert hashes == sorted(hashes)
    phone = load_persona("android9-legacy")
    names = [line[len("package:") :] for line in out(phone, "pm list packages").splitlines()]
    assert names == arraymap_order(names)


def test_list_packages_third_party_and_system_split(phone: AndroidDevice) -> None:
    every = set(out(phone, "pm list packages --user 0").splitlines())
    third = set(out(phone, "pm list packages -3 --user 0").splitlines())
    system = set(out(phone, "pm list packages -s --user 0").splitlines())
    assert third and system
    assert third | system == every
    assert not third & system


def test_list_packages_enabled_and_disabled(pixel: AndroidDevice) -> None:
    disabled = out(pixel, "pm list packages -d --user 0").splitlines()
    enabled = set(out(pixel, "pm list packages -e --user 0").splitlines())
    assert sorted(disabled) == [
        "package:com.google.android.apps.tachyon",
        "package:com.google.android.videos",
    ]
    assert enabled | set(disabled) == set(out(pixel, "pm list packages --user 0").splitlines())
    assert " enabled=3 " in out(pixel, "dumpsys package com.google.android.videos")


def test_list_users(phone: AndroidDevice) -> None:
    lines = out(phone, "pm list users").splitlines()
    assert lines[0] == ex.USERS_HEADER
    assert len(lines) == len(phone.model.users) + 1
    for line in lines[1:]:
        assert ex.USER_INFO_LINE.match(line), line


# --------------------------------------------------------------------- dumpsys package


def check_package_dump(text: str, pipe_flags: bool) -> dict[str, list[str]]:
    blocks = ex.dump_blocks(text)
    assert blocks, "no Package [...] block"
    perm_grammar = ex.PERM_LINE_PIPE if pipe_flags else ex.PERM_LINE_SPACE
    for name, block in blocks.items():
        assert any(ex.APP_ID_LINE.match(line) for line in block), name
        assert sum(bool(ex.VERSION_LINE.match(line)) for line in block) == 1, name
        for line in block:
            if line.startswith(("    flags=", "    pkgFlags=")):
                assert ex.FLAGS_LINE.match(line), line
            if line.startswith("    User "):
                assert ex.USER_STATE_LINE.match(line), line
        for line in ex.runtime_permission_lines(block):
            assert perm_grammar.match(line), line
    return blocks


def test_package_dump_capture(captures: Path) -> None:
    text = (captures / "dumpsys-package__10__samsung-galaxy-a40-mvt.txt").read_text()
    blocks = check_package_dump(text, pipe_flags=True)
    assert set(blocks) == {
        "com.samsung.android.provider.filterprovider",
        "com.sec.android.app.DataCreate",
    }
    excerpt = (captures / "dumpsys-package-excerpt__10__aosp-launcher3-blog.txt").read_text()
    assert set(ex.dump_blocks(excerpt)) == {"com.android.launcher3"}


def test_runtime_permissions_are_in_arraymap_order(captures: Path) -> None:
    text = (captures / "dumpsys-package__10__samsung-galaxy-a40-mvt.txt").read_text()
    for block in ex.dump_blocks(text).values():
        names = [line.split(":")[0].strip() for line in ex.runtime_permission_lines(block)]
        assert names == arraymap_order(names)
    phone = load_persona("pixel-14")
    for block in ex.dump_blocks(out(phone, "dumpsys package com.tencent.mm")).values():
        names = [line.split(":")[0].strip() for line in ex.runtime_permission_lines(block)]
        assert names and names == arraymap_order(names)


def test_package_dump_persona(phone: AndroidDevice) -> None:
    pipe = phone.model.sdk >= 29
    for name, pkg in list(phone.model.packages.items())[::7]:
        blocks = check_package_dump(out(phone, f"dumpsys package {name}"), pipe)
        assert list(blocks) == [name]
        label = "appId" if phone.model.sdk >= 34 else "userId"
        assert f"    {label}={pkg.app_id}" in blocks[name]


def test_whole_package_dump_persona(phone: AndroidDevice) -> None:
    blocks = check_package_dump(out(phone, "dumpsys package"), phone.model.sdk >= 29)
    assert set(blocks) == set(phone.model.packages)
    assert list(blocks) == arraymap_order(blocks)


def test_space_separated_flags_before_android_10() -> None:
    phone = load_persona("android9-legacy")
    text = out(phone, "dumpsys package com.alibaba.android.rimet")
    lines = ex.runtime_permission_lines(ex.dump_blocks(text)["com.alibaba.android.rimet"])
    assert (
        "        android.permission.READ_PHONE_STATE: granted=false, flags=[ USER_SET USER_FIXED ]"
        in lines
    )
    assert not any("|" in line for line in lines)


def test_pipe_joined_flags_from_android_10(pixel: AndroidDevice) -> None:
    text = out(pixel, "dumpsys package com.tencent.wework")
    lines = ex.runtime_permission_lines(ex.dump_blocks(text)["com.tencent.wework"])
    assert (
        "        android.permission.READ_CALENDAR: granted=false, flags=[ "
        "USER_SET|USER_FIXED|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]"
    ) in lines


def test_unable_to_find_package(phone: AndroidDevice) -> None:
    result = phone.run("dumpsys package com.example.not.installed")
    assert result.exit_code == 0
    assert result.stdout.decode() == "Unable to find package: com.example.not.installed\n"
    assert ex.UNABLE_TO_FIND.match(result.stdout.decode().strip())


# ------------------------------------------------------------------------- exceptions


def check_exception(text: str, *, header_required: bool) -> str:
    lines = text.splitlines()
    while lines and not lines[0]:
        lines.pop(0)
    if lines and ex.EXCEPTION_HEADER.match(lines[0]):
        lines.pop(0)
        while lines and not lines[0]:
            lines.pop(0)
    else:
        assert not header_required, text
    assert ex.EXCEPTION_LINE.match(lines[0]), lines[0]
    frames = lines[1:]
    while frames and not ex.STACK_FRAME.match(frames[0]):
        frames.pop(0)  # a message may span lines (handleIncomingUser appends its callers)
    assert frames, "a stack trace follows the exception"
    for frame in frames:
        assert ex.STACK_FRAME.match(frame), frame
    return lines[0]


@pytest.mark.parametrize(
    "name",
    [
        "pm-grant-error-neither-user-2000__11__unknown-wavelet183.txt",
        "pm-grant-error-neither-user-2000__13__oneplus9pro-oxygenos13.txt",
        "pm-grant-error-neither-user-2000__14__unknown-secondscreen110.txt",
        "pm-grant-error-not-requested__11__oneplus7pro.txt",
    ],
)
def test_exception_shape_capture(captures: Path, name: str) -> None:
    check_exception((captures / name).read_text(), header_required=False)


def test_exception_shape_persona(phone: AndroidDevice) -> None:
    system = next(p for p in phone.model.packages.values() if p.name == "android")
    result = phone.run(f"pm grant {system.name} android.permission.NO_SUCH_PERMISSION")
    assert result.exit_code == 255
    text = result.stderr.decode()
    if phone.model.sdk >= 29:
        assert text.startswith("\nException occurred while executing 'grant':\n")
    check_exception(text, header_required=phone.model.sdk >= 29)


def test_xiaomi_refusal_matches_the_captures(captures: Path, xiaomi: AndroidDevice) -> None:
    result = xiaomi.run("pm grant com.tencent.mm android.permission.READ_CONTACTS")
    ours = check_exception(result.stderr.decode(), header_required=True)
    theirs = check_exception(
        (
            captures / "pm-grant-error-neither-user-2000__14__unknown-secondscreen110.txt"
        ).read_text(),
        header_required=False,
    )
    assert ours == theirs == ex.NEITHER_USER_2000
    frames_ours = [f.strip() for f in result.stderr.decode().splitlines() if "\tat " in f]
    frames_real = [
        f.strip()
        for f in (captures / "pm-grant-error-neither-user-2000__14__unknown-secondscreen110.txt")
        .read_text()
        .splitlines()[1:]
    ]
    assert frames_ours[: len(frames_real)] == frames_real


# ----------------------------------------------------------------------------- appops


@pytest.mark.parametrize(
    "name",
    [
        "cmd-appops-get__unknown__galaxy-s7edge-hero2lte-rooted.txt",
        "cmd-appops-get-op__unknown__galaxy-s7edge-hero2lte-rooted.txt",
        "cmd-appops-get-op-no-operations__unknown__galaxy-s7edge-hero2lte-rooted.txt",
    ],
)
def test_appops_get_capture(captures: Path, name: str) -> None:
    for line in lines_of(captures / name):
        assert line == ex.APPOPS_EMPTY or ex.APPOPS_LINE.match(line), line


def test_appops_get_persona(phone: AndroidDevice) -> None:
    named = [p for p in phone.model.packages.values() if p.installed_for(0) and not p.system]
    for pkg in named[:30]:
        text = out(phone, f"cmd appops get --user 0 {pkg.name}")
        lines = text.splitlines()
        assert sum(line.startswith("Uid mode: ") for line in lines) <= 1
        if lines[0].startswith("Uid mode: ") is False and any("Uid mode" in line for line in lines):
            pytest.fail("Uid mode: is printed before the first uid entry only")
        for line in lines:
            assert line == ex.APPOPS_EMPTY or ex.APPOPS_LINE.match(line), line
    empty = out(phone, "cmd appops get --user 0 android RUN_ANY_IN_BACKGROUND").splitlines()
    assert empty[0] == ex.APPOPS_EMPTY and ex.APPOPS_DEFAULT.match(empty[1])


def test_appops_dump_capture_and_persona(captures: Path, phone: AndroidDevice) -> None:
    for text in (
        (captures / "dumpsys-appops__10__samsung-galaxy-a40-mvt.txt").read_text(),
        out(phone, "dumpsys appops"),
    ):
        lines = text.splitlines()
        assert lines[0] == "Current AppOps Service state:"
        uid_lines = [line for line in lines if line.startswith("  Uid ")]
        assert uid_lines
        for line in uid_lines:
            assert __import__("re").match(r"^  Uid (\d+|u\d+[as]\d+):$", line), line


# ------------------------------------------------------------------ deviceidle, settings


def test_deviceidle_dump_capture_and_persona(captures: Path, phone: AndroidDevice) -> None:
    for text in (
        (captures / "dumpsys-deviceidle__14__xiaomi-pad6-hyperos2.txt").read_text(),
        out(phone, "dumpsys deviceidle"),
    ):
        present = [s for s in ex.DEVICEIDLE_SECTIONS if s in text.splitlines()]
        positions = [text.splitlines().index(s) for s in present]
        assert positions == sorted(positions), "sections in DeviceIdleController.dump order"
        for header in present[:3]:
            names = ex.section(text, header)
            assert names == arraymap_order(names), header
        assert "  mState=ACTIVE mLightState=ACTIVE" in text.splitlines()


def test_deviceidle_whitelist_persona(phone: AndroidDevice) -> None:
    lines = out(phone, "cmd deviceidle whitelist").splitlines()
    kinds = [line.split(",")[0] for line in lines]
    assert kinds == sorted(kinds, key=["system-excidle", "system", "user"].index)
    for line in lines:
        assert ex.WHITELIST_LINE.match(line), line
    assert out(phone, "dumpsys deviceidle whitelist") == out(phone, "cmd deviceidle whitelist")


def test_settings_capture(captures: Path) -> None:
    lines = lines_of(captures / "settings-list-secure__14__xiaomi-pad6-hyperos2.txt")
    for line in lines:
        assert ex.SETTINGS_LINE.match(line), line
    keys = [line.split("=", 1)[0] for line in lines]
    assert keys == sorted(keys)
    value = (
        captures
        / "settings-get-secure-enabled_accessibility_services__14__xiaomi-pad6-hyperos2.txt"
    )
    assert ex.COMPONENT_LIST.match(value.read_text().strip())


def test_settings_persona(phone: AndroidDevice) -> None:
    lines = out(phone, "settings list secure").splitlines()
    for line in lines:
        assert ex.SETTINGS_LINE.match(line), line
    keys = [line.split("=", 1)[0] for line in lines]
    assert keys == sorted(keys)
    for key in ("enabled_notification_listeners", "enabled_accessibility_services"):
        value = out(phone, f"settings get secure {key}").strip()
        assert value == "" or ex.COMPONENT_LIST.match(value), value
    assert out(phone, "settings get secure no_such_key") == "null\n"


def test_standby_buckets_persona(phone: AndroidDevice) -> None:
    lines = out(phone, "am get-standby-bucket --user 0").splitlines()
    assert lines
    for line in lines:
        assert ex.BUCKET_ALL_LINE.match(line), line
    name = lines[0].split(":")[0]
    assert out(phone, f"am get-standby-bucket --user 0 {name}") == lines[0].split(": ")[1] + "\n"

"""The virtual phone's files as the shell sees them, and `bugreportz` as adb calls it."""

from __future__ import annotations

import io
import zipfile

import pytest

from hardener.sim.android import load_persona


@pytest.fixture
def phone():
    return load_persona("pixel-14")


def run(phone, script: str) -> tuple[str, str, int]:
    out = phone.run(script)
    return out.stdout.decode(), out.stderr.decode(), out.exit_code


def test_redirections_cat_ls_and_rm_share_one_tree(phone):
    assert run(phone, "echo a > /data/local/tmp/x; echo b >> /data/local/tmp/x") == ("", "", 0)
    assert phone.files.read("/data/local/tmp/x") == b"a\nb\n"
    assert run(phone, "cat /sdcard/../data/local/tmp/x")[0] == "a\nb\n"
    phone.files.write("/sdcard/Download/f.txt", b"from the sync service\n")
    assert run(phone, "cat /storage/emulated/0/Download/f.txt")[0] == "from the sync service\n"
    assert run(phone, "ls /data/local/tmp")[0] == "x\n"
    assert run(phone, "rm /data/local/tmp/x; ls /data/local/tmp") == ("", "", 0)


def test_ls_refusals_read_as_toybox_prints_them(phone):
    assert run(phone, "ls /data/app") == ("", "ls: /data/app: Permission denied\n", 1)
    assert run(phone, "ls /nope") == ("", "ls: /nope: No such file or directory\n", 1)
    assert (
        run(phone, "echo x > /system/x")[1]
        == "/system/bin/sh: can't create /system/x: Read-only file system\n"
    )
    assert run(phone, "rm /system/build.prop")[2] == 1


def test_bugreportz_version_help_and_report(phone):
    assert run(phone, "bugreportz -v") == ("", "1.2\n", 0)
    assert run(phone, "bugreportz -h")[1].startswith("usage: bugreportz")
    assert run(phone, "bugreportz -x")[2] == 1
    out, _, status = run(phone, "bugreportz")
    assert status == 0 and out.startswith("OK:/bugreports/bugreport-") and out.endswith(".zip\n")
    with zipfile.ZipFile(io.BytesIO(phone.files.read(out[3:].strip()))) as archive:
        assert set(archive.namelist()) >= {"main_entry.txt", "version.txt"}


def test_bugreportz_progress_lines_follow_the_protocol(phone):
    lines = run(phone, "bugreportz -p")[0].splitlines()
    assert lines[0].startswith("BEGIN:/bugreports/")
    assert lines[-1] == "OK:" + lines[0].removeprefix("BEGIN:")
    progress = [line for line in lines if line.startswith("PROGRESS:")]
    assert progress and all(p.split(":")[1].split("/")[1] == "100" for p in progress)


def test_an_old_phone_has_an_older_bugreportz():
    assert run(load_persona("android9-legacy"), "bugreportz -v")[1] == "1.1\n"


def test_the_service_dumps_follow_the_model(phone):
    phone.run(
        "cmd notification disallow_listener com.tencent.wework/.msg.NotificationListenerService 0"
    )
    dump = run(phone, "dumpsys notification")[0]
    assert (
        "com.tencent.wework" not in dump.split("Allowed notification listeners:")[1].split("\n")[1]
    )
    phone.run("am set-standby-bucket com.ss.android.lark rare")
    assert "package=com.ss.android.lark u=0 bucket=40 " in run(phone, "dumpsys usagestats")[0]
    assert "UserInfo{0:" in run(phone, "dumpsys user")[0]
    assert (
        "{com.alibaba.android.rimet/.biz.accessibility.DingAccessibilityService}"
        in run(phone, "dumpsys accessibility")[0]
    )

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.android import commands as c


def test_builders_produce_the_android_commands():
    assert c.revoke(10, "com.tencent.mm", "android.permission.READ_CONTACTS") == (
        "pm revoke --user 10 com.tencent.mm android.permission.READ_CONTACTS"
    )
    assert c.set_flags(0, "com.Slack", "android.permission.CAMERA", {"USER_FIXED", "USER_SET"}) == (
        "pm set-permission-flags --user 0 com.Slack android.permission.CAMERA user-fixed user-set"
    )
    assert c.appops_set(0, "com.tencent.mm", "RUN_ANY_IN_BACKGROUND", "ignore") == (
        "cmd appops set --user 0 com.tencent.mm RUN_ANY_IN_BACKGROUND ignore"
    )
    assert c.appops_set(0, "com.tencent.tim", "READ_CONTACTS", "ignore", uid=True) == (
        "cmd appops set --user 0 --uid com.tencent.tim READ_CONTACTS ignore"
    )
    assert c.whitelist_remove("com.whatsapp") == "cmd deviceidle whitelist -com.whatsapp"
    assert (
        c.set_bucket(0, "com.whatsapp", 45)
        == "am set-standby-bucket --user 0 com.whatsapp restricted"
    )
    # a component with an inner class is quoted, not interpreted by the shell
    cmd = c.disallow_listener(0, "com.tencent.mm/.plugin.Listener$Inner")
    assert shlex.split(cmd)[-2] == "com.tencent.mm/.plugin.Listener$Inner"
    assert c.put_accessibility_services(0, []) == (
        "settings --user 0 put secure enabled_accessibility_services ''"
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: c.revoke(0, "com.x; reboot", "android.permission.CAMERA"),
        lambda: c.revoke(0, "com.x", "android.permission.CAMERA`id`"),
        lambda: c.revoke(-1, "com.x", "android.permission.CAMERA"),
        lambda: c.appops_set(0, "com.x.y", "RUN_ANY_IN_BACKGROUND", "allow; rm -rf /"),
        lambda: c.appops_set(0, "com.x.y", "run $(id)", "allow"),
        lambda: c.set_bucket(0, "com.x.y", 5),
        lambda: c.set_flags(0, "com.x.y", "a.b", {"SYSTEM_FIXED"}),
        lambda: c.list_packages("-3;id"),
        lambda: c.disallow_listener(0, "com.x/../../etc"),
    ],
)
def test_unsafe_input_never_reaches_a_shell(call):
    with pytest.raises(c.UnsafeName):
        call()


@given(st.text())
def test_any_text_is_rejected_or_stays_one_word(text):
    try:
        cmd = c.dumpsys_package(text)
    except c.UnsafeName:
        return
    assert shlex.split(cmd) == ["dumpsys", "package", text]


def test_a_pause_is_whole_seconds_toybox_accepts_everywhere():
    from hardener.android.commands import UnsafeName, pause

    assert pause(1) == "sleep 1"
    for bad in (0, -1, 61):
        with pytest.raises(UnsafeName):
            pause(bad)

"""`dumpsys accessibility`: the old block form and the Android 14 one-line form (grammar §7)."""

# Android prints these lines long and some with a trailing blank; the samples keep them so.
# ruff: noqa: E501

from __future__ import annotations

from hardener.android.parsers import Component, parse_dumpsys_accessibility

ANDROID_14 = """\
ACCESSIBILITY MANAGER (dumpsys accessibility)

currentUserId=0
User state[
     attributes:{id=0, touchExplorationEnabled=false, serviceHandlesDoubleTap=false}
     shortcut key:{}
     Bound services:{Service[label=MacroDroid, feedbackType[FEEDBACK_GENERIC], capabilities=1]}
     Enabled services:{{com.arlosoft.macrodroid/com.arlosoft.macrodroid.action.services.UIInteractionAccessibilityService}, {com.example.helper/.A11yService}}
     Binding services:{}
]
User state[
     attributes:{id=10, touchExplorationEnabled=false}
     Enabled services:{}
]
"""


def test_android_14_one_line_lists_per_user() -> None:
    dump = parse_dumpsys_accessibility(ANDROID_14)
    assert [user.user for user in dump.users] == [0, 10]
    assert dump.users[0].enabled == (
        Component(
            "com.arlosoft.macrodroid",
            "com.arlosoft.macrodroid.action.services.UIInteractionAccessibilityService",
        ),
        Component("com.example.helper", "com.example.helper.A11yService"),
    )
    assert dump.users[1].enabled == () and dump.users[0].installed == ()
    assert dump.enabled == dump.users[0].enabled


def test_block_form_without_user_header() -> None:
    text = (
        "  installed services: {\n"
        "    0 : com.a/.S\n"
        "    1 : com.b/com.b.T\n"
        "  }\n"
        "  enabled services: {\n"
        "    {com.a/.S}\n"
        "  }\n"
    )
    dump = parse_dumpsys_accessibility(text)
    (user,) = dump.users
    assert user.user is None
    assert [c.flat for c in user.installed] == ["com.a/com.a.S", "com.b/com.b.T"]
    assert [c.flat for c in user.enabled] == ["com.a/com.a.S"]


def test_nothing_to_read() -> None:
    assert parse_dumpsys_accessibility("").users == ()

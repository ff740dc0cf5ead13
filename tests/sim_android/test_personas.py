"""Persona loading: the bundled phones, generated large phones, and clear errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hardener.errors import InputError
from hardener.sim.android import DEFAULT_PERSONA, load_persona, persona_names

WORK_AND_SOCIAL = [
    "com.alibaba.android.rimet",
    "com.tencent.wework",
    "com.ss.android.lark",
    "com.tencent.mm",
    "com.tencent.mobileqq",
    "com.ss.android.ugc.aweme",
    "com.Slack",
    "com.microsoft.teams",
    "com.whatsapp",
    "org.telegram.messenger",
]


def third_party(phone: object) -> list[str]:
    text = phone.run("pm list packages -3 --user 0").stdout.decode()  # type: ignore[attr-defined]
    return [line[len("package:") :] for line in text.splitlines()]


def test_bundled_personas() -> None:
    assert persona_names() == [
        "android9-legacy",
        "pixel-14",
        "samsung-oneui-work",
        "xiaomi-hyperos-14",
    ]
    assert DEFAULT_PERSONA == "pixel-14"
    assert load_persona().name == "pixel-14"


@pytest.mark.parametrize("name", persona_names())
def test_persona_loads(name: str) -> None:
    """Every bundled persona loads (its load time is measured by scripts/bench.py, not here:
    a timed assertion failed on a busy machine)."""
    phone = load_persona(name)
    assert phone.model.packages


def test_pixel_holds_what_such_apps_hold() -> None:
    phone = load_persona("pixel-14")
    apps = third_party(phone)
    assert set(WORK_AND_SOCIAL) <= set(apps)
    assert 110 <= len(apps) <= 130
    model = phone.model
    background = [
        p
        for p in WORK_AND_SOCIAL
        if model.packages[p].users[0].runtime.get("android.permission.ACCESS_BACKGROUND_LOCATION")
        and model.packages[p]
        .users[0]
        .runtime["android.permission.ACCESS_BACKGROUND_LOCATION"]
        .granted
    ]
    assert background, "some app holds location all the time"
    assert set(model.whitelist_user) & set(WORK_AND_SOCIAL)
    secure = model.secure[0]
    assert secure["enabled_notification_listeners"] and secure["enabled_accessibility_services"]
    flags_seen = set()
    for name in WORK_AND_SOCIAL:
        for state in model.packages[name].users[0].runtime.values():
            flags_seen.add(state.flags)
            assert not state.flags & (1 << 16), "no ONE_TIME grants in the bundled apps"
    assert any(f & 2 for f in flags_seen), "some USER_FIXED denials"
    system_flags = {
        s.flags for s in model.packages["com.android.providers.contacts"].users[0].runtime.values()
    }
    assert all(f & 16 and f & 32 for f in system_flags), (
        "SYSTEM_FIXED|GRANTED_BY_DEFAULT on a system app"
    )


def test_banner_and_serial() -> None:
    phone = load_persona("samsung-oneui-work")
    assert phone.banner() == {
        "ro.product.name": "e1sxeea",
        "ro.product.model": "SM-S921B",
        "ro.product.device": "e1s",
    }
    assert phone.serial() == "R5CX10ABCDE"
    xiaomi = load_persona("xiaomi-hyperos-14")
    assert xiaomi.run("getprop ro.mi.os.version.name").stdout == b"OS1.0\n"
    assert xiaomi.run("getprop persist.sys.timezone").stdout == b"Asia/Shanghai\n"


@pytest.mark.parametrize("count", [50, 150, 300, 600])
def test_large_generated_personas(count: int) -> None:
    start = time.perf_counter()
    phone = load_persona("pixel-14", apps=count)
    elapsed = time.perf_counter() - start
    apps = third_party(phone)
    assert len(apps) == count and len(set(apps)) == count
    assert set(WORK_AND_SOCIAL) <= set(apps)
    assert elapsed < 1.0
    start = time.perf_counter()
    phone.run("dumpsys package com.whatsapp")
    assert time.perf_counter() - start < 0.05, "one package dump is cheap"


def test_fewer_apps_than_the_persona_names() -> None:
    assert len(third_party(load_persona("pixel-14", apps=3))) == 3


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[device]\nsdk = 34\ncolour = 'red'\n", "unknown key 'colour'"),
        ("[device]\nrelease = '14'\n", "missing 'sdk'"),
        ("[device]\nsdk = 7\n", "7 is not a supported Android API level"),
        (
            "[device]\nsdk = 34\n[[apps]]\npackage = 'a.b'\nrequested = ['CAMERA']\n"
            "[apps.state.grants]\nCAMERA = 'granted SHINY'\n",
            "unknown permission flag 'SHINY'",
        ),
        (
            "[device]\nsdk = 34\n[[apps]]\npackage = 'a.b'\n"
            "[apps.state.grants]\nCAMERA = 'granted'\n",
            "grant for android.permission.CAMERA which the app does not request",
        ),
        (
            "[device]\nsdk = 28\n[[apps]]\npackage = 'a.b'\n[apps.state]\nbucket = 'restricted'\n",
            "the restricted bucket does not exist before Android 12",
        ),
        (
            "[device]\nsdk = 34\n[[apps]]\npackage = 'a.b'\n"
            "[apps.state]\npackage_ops = { NOPE = 'allow' }\n",
            "unknown app-op 'NOPE'",
        ),
        ("[device\nsdk = 34\n", "not valid TOML"),
    ],
)
def test_persona_errors_name_the_problem(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml)
    with pytest.raises(InputError) as caught:
        load_persona(str(path))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert caught.value.hint


def test_persona_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("[device]\nsdk = 33\nordinary_apps = 5\n")
    phone = load_persona(path)
    assert phone.name == "mine"
    assert phone.run("getprop ro.build.version.sdk").stdout == b"33\n"
    assert len(third_party(phone)) == 5


def test_unknown_persona_lists_the_bundled_ones() -> None:
    with pytest.raises(InputError) as caught:
        load_persona("nokia-3310")
    assert "pixel-14" in (caught.value.hint or "")
    with pytest.raises(InputError):
        load_persona("/no/such/persona.toml")
    with pytest.raises(InputError):
        load_persona("pixel-14", apps=-1)

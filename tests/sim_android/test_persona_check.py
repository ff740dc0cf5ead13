"""Persona files are checked like profiles: every problem at once, each with file:line, key
path, what is wrong and what would be accepted (exit 2, no traceback)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hardener.errors import InputError
from hardener.profile.problems import ProfileError
from hardener.sim.android import load_persona, persona_names
from hardener.sim.android.persona import PERSONA_DIR
from hardener.sim.android.persona_check import (
    DEVICE_KEYS,
    DEVICE_TEXT_KEYS,
    MAX_SDK,
    MIN_SDK,
    PersonaError,
    parse_persona,
)

DEVICE = "[device]\nsdk = 34\n"
APP = DEVICE + '[[apps]]\npackage = "a.b"\nrequested = ["CAMERA", "READ_CONTACTS"]\n'

# (persona text, key path, line, a fragment of the message)
BAD = [
    ('[device]\nsdk = "x"\n', "device.sdk", 2, "must be a whole number, not 'x'"),
    ("[device]\nsdk = 7\n", "device.sdk", 2, "7 is not a supported Android API level"),
    ("[device]\nsdk = 37\n", "device.sdk", 2, "37 is not a supported Android API level"),
    ("[device]\nsdk = true\n", "device.sdk", 2, "must be a whole number, not True"),
    ('[device]\nrelease = "14"\n', "device.sdk", 1, "missing 'sdk'"),
    ("# nothing\n", "device.sdk", None, "missing 'sdk'"),
    (DEVICE + 'colour = "red"\n', "device.colour", 3, "unknown key 'colour'"),
    (DEVICE + "model = 3\n", "device.model", 3, "must be text, not 3"),
    (DEVICE + 'timezone = "Mars/Olympus"\n', "device.timezone", 3, "not a known time zone"),
    (DEVICE + 'system_set = "nokia"\n', "device.system_set", 3, "'nokia' is not one of"),
    (DEVICE + 'region = "eu"\n', "device.region", 3, "'eu' is not one of"),
    (DEVICE + "ordinary_apps = -1\n", "device.ordinary_apps", 3, "-1 is out of range"),
    (DEVICE + "ordinary_apps = 1.5\n", "device.ordinary_apps", 3, "must be a whole number"),
    (DEVICE + "seed = 'x'\n", "device.seed", 3, "must be a whole number"),
    (DEVICE + 'vendor_ops = [10008, "x"]\n', "device.vendor_ops[1]", 3, "not an app-op code"),
    (DEVICE + 'usb_debugging_security_settings = "no"\n',
     "device.usb_debugging_security_settings", 3, "must be true or false"),
    (DEVICE + "current_user = 5\n", "device.current_user", 3, "user 5 is not in [[users]]"),
    ("device = 3\n", "device", 1, "must be a table, not 3"),
    (DEVICE + "[colour]\n", "colour", 3, "unknown key 'colour'"),
    (DEVICE + '[props]\n"ro.x" = [1]\n', 'props."ro.x"', 4, "must be text or a number"),
    (DEVICE + "[settings.global]\nadb_enabled = true\n", "settings.global.adb_enabled", 4,
     "must be text or a number"),
    (DEVICE + "[settings.vendor]\n", "settings.vendor", 3, "unknown key 'vendor'"),
    # [[users]]
    (DEVICE + "[[users]]\nid = 10\n", "users", 3, "there is no user 0"),
    (DEVICE + "[[users]]\nid = 0\n[[users]]\nid = 0\n", "users[1].id", 6, "listed twice"),
    (DEVICE + '[[users]]\nid = 0\nname = "Owner"\n[[users]]\nname = "x"\n',
     "users[1].id", 6, "missing 'id'"),
    (DEVICE + "[[users]]\nid = 0\nflags = '0x13'\n", "users[0].flags", 5, "whole number"),
    (DEVICE + "[[users]]\nid = 0\nparent = 4\n", "users[0].parent", 5, "user 4 is not in"),
    (DEVICE + "[[users]]\nid = 0\nrunning = 1\n", "users[0].running", 5, "true or false"),
    (DEVICE + "[[users]]\nid = 0\ncolour = 1\n", "users[0].colour", 5, "unknown key"),
    # [[apps]]
    ("apps = 3\n" + DEVICE, "apps", 1, "must be an array of tables"),
    (DEVICE + "[[apps]]\nversion_code = 1\n", "apps[0].package", 3, "missing 'package'"),
    (DEVICE + '[[apps]]\npackage = "a b"\n', "apps[0].package", 4, "'a b' is not a package"),
    (DEVICE + '[[apps]]\npackage = "a.b"\n[[apps]]\npackage = "a.b"\n', "apps[1].package", 6,
     "a.b is listed twice"),
    (APP + 'flags = 1\n', "apps[0].flags", 6, "unknown key 'flags' (did you mean \"auto_flags\"?)"),
    (APP + "target_sdk = '34'\n", "apps[0].target_sdk", 6, "must be a whole number"),
    (APP + "app_id = 100000\n", "apps[0].app_id", 6, "100000 is out of range"),
    (APP + "system = 'yes'\n", "apps[0].system", 6, "must be true or false"),
    (APP + "installer = 7\n", "apps[0].installer", 6, "must be text"),
    (DEVICE + '[[apps]]\npackage = "a.b"\nrequested = ["CAMERA", "NOPE"]\n',
     "apps[0].requested[1]", 5, "unknown permission android.permission.NOPE"),
    (APP + "users = [3]\n", "apps[0].users[0]", 6, "3 is not in [[users]]"),
    (APP + 'accessed = ["WAKE_LOCK", "NAPPING"]\n', "apps[0].accessed[1]", 6,
     "unknown app-op 'NAPPING' on API 34"),
    (APP + 'notification_listeners = ["a b"]\n', "apps[0].notification_listeners[0]", 6,
     "'a b' is not a class name"),
    (APP + "[apps.state]\nbucket = 'sometimes'\n", "apps[0].state.bucket", 7,
     "unknown standby bucket 'sometimes'"),
    (APP + "[apps.state]\nbucket = 11\n", "apps[0].state.bucket", 7, "unknown standby bucket 11"),
    (APP.replace("34", "28") + "[apps.state]\nbucket = 'restricted'\n", "apps[0].state.bucket", 7,
     "the restricted bucket does not exist before Android 12"),
    (APP + "[apps.state]\nstopped = 'no'\n", "apps[0].state.stopped", 7, "true or false"),
    (APP + "[apps.state]\nenabled = 9\n", "apps[0].state.enabled", 7, "9 is out of range"),
    (APP + "[apps.state]\nshiny = true\n", "apps[0].state.shiny", 7, "unknown key 'shiny'"),
    (APP + "[apps.state]\npackage_ops = { NOPE = 'allow' }\n", "apps[0].state.package_ops.NOPE",
     7, "unknown app-op 'NOPE'"),
    (APP + "[apps.state.uid_ops]\nCAMERA = 'maybe'\n", "apps[0].state.uid_ops.CAMERA", 7,
     "unknown app-op mode 'maybe'"),
    (APP + "[apps.state.grants]\nCAMERA = 'granted SHINY'\n", "apps[0].state.grants.CAMERA", 7,
     "unknown permission flag 'SHINY'"),
    (APP + "[apps.state.grants]\nCAMERA = 'maybe USER_SET'\n", "apps[0].state.grants.CAMERA", 7,
     "must start with granted or denied"),
    (APP + "[apps.state.grants]\nCAMERA = true\n", "apps[0].state.grants.CAMERA", 7,
     "must be text"),
    (APP + "[apps.state.grants]\nRECORD_AUDIO = 'granted'\n",
     "apps[0].state.grants.RECORD_AUDIO", 7,
     "grant for android.permission.RECORD_AUDIO which the app does not request"),
    (DEVICE + '[[apps]]\npackage = "a.b"\nrequested = ["INTERNET"]\n'
     "[apps.state.grants]\nINTERNET = 'granted'\n", "apps[0].state.grants.INTERNET", 7,
     "android.permission.INTERNET is not a runtime permission on API 34"),
    (APP + "[apps.user.7]\nbucket = 'rare'\n", "apps[0].user.7", 6,
     "user '7' is not in this app's users"),
    (APP + "[apps.user.0.grants]\nCAMERA = 'granted OOPS'\n",
     "apps[0].user.0.grants.CAMERA", 7, "unknown permission flag 'OOPS'"),
    (DEVICE + '[[apps]]\npackage = "a.b"\n[[apps]]\npackage = "c.d"\n[apps.state]\nbucket = 0\n',
     "apps[1].state.bucket", 8, "unknown standby bucket 0"),
    # [system], [power]
    (DEVICE + '[system]\ndisabled = ["com.example.none"]\n', "system.disabled[0]", 4,
     "com.example.none is not a system package of this persona"),
    (DEVICE + '[power]\nuser_allowlist = ["com.example.none"]\n', "power.user_allowlist[0]", 4,
     "com.example.none is not installed"),
    (DEVICE + "[power]\nsystem_allowlist = 'com.android.phone'\n", "power.system_allowlist", 4,
     "must be a list"),
    # [zen]
    (DEVICE + "[zen]\nmode = 'loud'\n", "zen.mode", 4, "'loud' is not one of"),
    (DEVICE + "[zen]\ncalls_from = 'friends'\n", "zen.calls_from", 4, "'friends' is not one of"),
    (DEVICE + "[zen]\nalarms = 'yes'\n", "zen.alarms", 4, "must be true or false"),
    (DEVICE + "[zen]\ncontacts = ['+861', 5]\n", "zen.contacts[1]", 4, "must be text, not 5"),
    (DEVICE + "[zen]\nstarred = ['  ']\n", "zen.starred[0]", 4, "number"),
    (DEVICE + "[[zen.rules]]\nid = 'a'\nmode = 'off'\n", "zen.rules[0].mode", 5,
     "'off' is not one of"),
    (DEVICE + "[[zen.rules]]\nname = 'a'\nmode = 'none'\n", "zen.rules[0].id", 3, "missing 'id'"),
    (DEVICE + "[[zen.rules]]\nid = 'a'\nmode = 'none'\n[[zen.rules]]\nid = 'a'\nmode = 'none'\n",
     "zen.rules[1].id", 7, "'a' is used twice"),
    # [[behaviours]]
    (DEVICE + "[[behaviours]]\nopens = ['08:00']\n", "behaviours[0].package", 3,
     "missing 'package'"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nopens = ['08:00', '25:00']\n",
     "behaviours[0].opens[1]", 5, "'25:00' is not a time of day"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nsession = 'long'\n", "behaviours[0].session",
     5, "'long' is not a duration"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nuser = 3\n", "behaviours[0].user", 5,
     "user 3 is not in [[users]]"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nreads = [{ op = 'CAMERA', every = 'soon' }]\n",
     "behaviours[0].reads[0].every", 5, "'soon' is not a duration"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nreads = [{ every = '1h' }]\n",
     "behaviours[0].reads[0].op", 5, "missing 'op'"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\n"
     "reads = [\n  { op = 'CAMERA' },\n  { op = 'GAZING', daily = '02:00' },\n]\n",
     "behaviours[0].reads[1].op", 7, "unknown app-op 'GAZING'"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nreads = [{ op = 'CAMERA', flags = 'S!' }]\n",
     "behaviours[0].reads[0].flags", 5, "not access flags"),
    (DEVICE + "[[behaviours]]\npackage = 'a.b'\nshiny = 1\n", "behaviours[0].shiny", 5,
     "unknown key 'shiny'"),
    # TOML syntax
    ("[device\nsdk = 34\n", "", 1, "not valid TOML"),
    ('[device]\nsdk = 34\nmodel = "Pixel\n', "", 3, "not valid TOML"),
]  # fmt: skip


@pytest.mark.parametrize(("toml", "key_path", "line", "fragment"), BAD)
def test_each_mistake_is_named_with_its_line_and_key_path(
    tmp_path: Path, toml: str, key_path: str, line: int | None, fragment: str
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(PersonaError) as caught:
        load_persona(path)
    problems = caught.value.problems
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert (problem.key_path, problem.line) == (key_path, line), str(problem)
    assert fragment in problem.message
    assert problem.file == str(path)
    assert problem.expected, "every problem says what would be accepted"
    shown = str(caught.value)
    where = f"{path}:{line}: " if line else f"{path}: "
    assert (where + (f"{key_path}: " if key_path else "")) in shown
    assert caught.value.exit_code == 2 and caught.value.hint


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_text(
        '[device]\nsdk = "x"\nmodel = 3\ntimezone = "Nowhere/Land"\n'  # lines 2-4
        "[[apps]]\nflags = 1\n"  # 5-6
        '[[apps]]\npackage = "c.d"\n[apps.state]\nbucket = "sometimes"\n'  # 7-10
        "[zen]\nmode = 'loud'\n"  # 11-12
        "[[behaviours]]\npackage = 'c.d'\nopens = ['noon']\n",  # 13-15
        encoding="utf-8",
    )
    with pytest.raises(PersonaError) as caught:
        load_persona(path)
    found = [(p.line, p.key_path) for p in caught.value.problems]
    assert found == [
        (2, "device.sdk"),
        (3, "device.model"),
        (4, "device.timezone"),
        (5, "apps[0].package"),
        (6, "apps[0].flags"),
        (10, "apps[1].state.bucket"),
        (12, "zen.mode"),
        (15, "behaviours[0].opens[0]"),
    ]
    assert str(caught.value).startswith("the persona has 8 errors:\n")


@pytest.mark.parametrize("name", persona_names())
def test_the_bundled_personas_have_no_problem(name: str) -> None:
    text = (PERSONA_DIR / f"{name}.toml").read_text(encoding="utf-8")
    assert parse_persona(text, name)["device"]["sdk"] >= 23


def test_a_persona_that_is_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[device]\nsdk = 34\nmodel = "Gr\xfcn"\n')
    with pytest.raises(InputError, match="cannot read the persona"):
        load_persona(path)


def test_a_persona_may_start_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf[device]\nsdk = 33\n")
    assert load_persona(path).run("getprop ro.build.version.sdk").stdout == b"33\n"


def test_names_from_the_file_reach_the_terminal_visibly(tmp_path: Path) -> None:
    """A key or value with a terminal escape is shown escaped, never raw."""
    path = tmp_path / "hostile.toml"
    path.write_text(
        '[device]\nsdk = 34\n"\\u001b]0;pwned\\u0007" = 1\n[zen]\nmode = "\\u001b[2J"\n',
        encoding="utf-8",
    )
    with pytest.raises(PersonaError) as caught:
        load_persona(path)
    shown = str(caught.value)
    assert len(caught.value.problems) == 2
    assert "\x1b" not in shown and "\x07" not in shown
    assert f"{path}:3: " in shown and f"{path}:5: zen.mode: " in shown


def test_the_builder_backstop_speaks_the_same_format() -> None:
    """Unreachable through load_persona (the check comes first), so called directly."""
    from hardener.sim.android.persona import _Builder

    with pytest.raises(PersonaError) as caught:
        _Builder(Path("p.toml"), {"device": {"sdk": 7}}, None)
    (problem,) = caught.value.problems
    assert problem.file == "p.toml" and problem.line is None
    assert problem.message == "[device] sdk: 7 is not a supported Android API level"
    assert problem.expected and caught.value.exit_code == 2


def test_the_user_allowlist_may_name_a_generated_ordinary_app(tmp_path: Path) -> None:
    """The check knows the apps the builder generates (the same seed, region and count)."""
    from hardener.sim.android import generate

    (first, _), *_ = generate.ordinary_apps(3, 34, "global", set())
    path = tmp_path / "p.toml"
    path.write_text(
        f'[device]\nsdk = 34\nordinary_apps = 3\n[power]\nuser_allowlist = ["{first}"]\n'
    )
    assert first in load_persona(path).model.whitelist_user
    with pytest.raises(PersonaError, match="is not installed"):
        load_persona(path, apps=0)  # no ordinary apps then


def test_sim_with_a_bad_persona_exits_2_naming_each_line(tmp_path: Path) -> None:
    path = tmp_path / "badp.toml"
    path.write_text('[device]\nsdk = "x"\nmodel = 3\n[[apps]]\nflags = 1\n', encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "hardener", "sim", "--persona", str(path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    for line in (
        f"{path}:2: device.sdk: must be a whole number, not 'x'",
        f"{path}:3: device.model: must be text, not 3",
        f"{path}:4: apps[0].package: missing 'package'",
        f"{path}:5: apps[0].flags: unknown key 'flags'",
    ):
        assert line in done.stderr, done.stderr
    assert "the persona has 4 errors" in done.stderr


# ---- anything in [device] gives a phone or a located error, never a crash -----------------


def _toml(value: Any) -> str:
    """A TOML value for `value` (basic strings, arrays and inline tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"


_SCALARS = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.integers(min_value=-2, max_value=40)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["Asia/Shanghai", "pixel", "cn", "34", "UTC", "../etc/passwd", "x" * 300])
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_FREE_TEXT = [k for k in DEVICE_TEXT_KEYS if k not in ("timezone", "system_set", "region")]
_KEYS = st.sampled_from([*DEVICE_KEYS, "colour"]) | st.text(min_size=1, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    texts=st.dictionaries(st.sampled_from(_FREE_TEXT), st.text(max_size=20), max_size=5),
    device=st.dictionaries(_KEYS, _VALUES, max_size=3),
    sdk=st.integers(min_value=MIN_SDK, max_value=MAX_SDK) | st.none() | _VALUES,
)
def test_any_device_table_builds_or_is_a_located_error(
    tmp_path_factory: pytest.TempPathFactory,
    texts: dict[str, str],
    device: dict[str, Any],
    sdk: Any,
) -> None:
    device = {**texts, **device}
    if sdk is not None:
        device["sdk"] = sdk
    text = "[device]\n" + "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in device.items())
    path = tmp_path_factory.mktemp("fuzz") / "p.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_persona(path, apps=0, real_time=False)
        event("a phone")
    except ProfileError as error:
        event("problems")
        assert error.problems and all(p.file == str(path) for p in error.problems)
        assert all(p.line is not None for p in error.problems), str(error)


# ---- a whole persona the checker accepts always builds: the builder's checks stay silent --

_NAMES = ["a.b", "c.d", "com.android.phone", "com.google.android.gms", "x y", 5]
_PERMS = ["CAMERA", "READ_CONTACTS", "INTERNET", "ACCESS_BACKGROUND_LOCATION", "READ_MEDIA_IMAGES"]
_OPS = ["CAMERA", "RUN_ANY_IN_BACKGROUND", "COARSE_LOCATION", "MIUIOP(10008)", "10008", "NOPE"]
_USERS = st.sampled_from([0, 10, 150, 3])


def _some(*choices: Any) -> st.SearchStrategy[Any]:
    return st.sampled_from(choices)


_STATE = st.fixed_dictionaries(
    {},
    optional={
        "grants": st.dictionaries(
            _some(*_PERMS, "NOPE"),
            _some("granted", "denied USER_SET", "granted|USER_FIXED", "granted SHINY", "", True),
            max_size=3,
        ),
        "bucket": _some(5, 10, 45, 50, 11, "rare", "restricted", "x", 1.5),
        "uid_ops": st.dictionaries(_some(*_OPS), _some("allow", "foreground", "x", 0), max_size=2),
        "package_ops": st.dictionaries(_some(*_OPS), _some("ignore", "deny"), max_size=2),
        "enabled": _some(0, 3, 9, "x"),
        "stopped": _some(True, False, "no"),
        "installed": st.booleans(),
        "running": st.booleans(),
        "colour": st.just(1),
    },
)
_APP = st.fixed_dictionaries(
    {"package": _some(*_NAMES)},
    optional={
        "system": _some(True, False, "yes"),
        "users": st.lists(_USERS, max_size=2),
        "requested": st.lists(_some(*_PERMS, "NOPE", 3), max_size=4),
        "target_sdk": _some(22, 30, 34, "34"),
        "app_id": _some(0, 10500, 100000),
        "accessed": st.lists(_some(*_OPS), max_size=2),
        "notification_listeners": st.lists(_some(".Listen", "a b", "com.x.Y"), max_size=2),
        "battery_exempt": st.booleans(),
        "auto_flags": st.booleans(),
        "state": _STATE,
        "user": st.dictionaries(_some("0", "10", "150", "x"), _STATE, max_size=2),
    },
)
_PERSONA = st.fixed_dictionaries(
    {"device": st.fixed_dictionaries({"sdk": _some(28, 29, 31, 34, 36)}, optional={
        "system_set": _some("pixel", "xiaomi", "aosp9"),
        "vendor_ops": _some([10008], []),
        "current_user": _USERS,
        "ordinary_apps": _some(0, 4),
    })},
    optional={
        "users": st.lists(
            st.fixed_dictionaries({"id": _USERS}, optional={
                "flags": _some(0x4C13, 0x1030, 0x1010),
                "parent": _USERS,
                "shell_restricted": st.booleans(),
            }),
            max_size=3,
        ),
        "apps": st.lists(_APP, max_size=3),
        "system": st.fixed_dictionaries({"disabled": st.lists(_some(*_NAMES), max_size=2)}),
        "power": st.fixed_dictionaries({"user_allowlist": st.lists(_some(*_NAMES), max_size=2)}),
        "zen": st.fixed_dictionaries({}, optional={
            "mode": _some("off", "priority", "none", "loud"),
            "calls_from": _some("contacts", "none", "x"),
            "contacts": st.lists(_some("+8613800000000", "", "abc"), max_size=2),
            "rules": st.lists(
                st.fixed_dictionaries({"id": _some("a", "b")}, optional={
                    "mode": _some("priority", "off", "x"), "active": st.booleans(),
                }),
                max_size=2,
            ),
        }),
        "behaviours": st.lists(
            st.fixed_dictionaries({"package": _some(*_NAMES)}, optional={
                "user": _USERS,
                "opens": st.lists(_some("08:50", "25:00", 7), max_size=2),
                "session": _some("5m", "soon"),
                "reads": st.lists(
                    st.fixed_dictionaries({"op": _some(*_OPS)}, optional={
                        "every": _some("10m", "0s"), "daily": _some("02:00", "2am"),
                        "on_open": st.booleans(), "flags": _some("tpd", "S!"),
                    }),
                    max_size=2,
                ),
            }),
            max_size=2,
        ),
    },
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(persona=_PERSONA, apps=st.none() | st.integers(min_value=0, max_value=3))
def test_a_persona_the_check_accepts_builds(
    tmp_path_factory: pytest.TempPathFactory, persona: dict[str, Any], apps: int | None
) -> None:
    text = "".join(f"{key} = {_toml(value)}\n" for key, value in persona.items())
    path = tmp_path_factory.mktemp("fuzz") / "p.toml"
    path.write_text(text, encoding="utf-8")
    try:
        load_persona(path, apps=apps, real_time=False)
        event("a phone")
    except ProfileError as error:
        event("problems")
        assert error.problems and all(p.line is not None for p in error.problems), str(error)


@pytest.mark.parametrize("name", ["x" * 300, "Mars/Olympus", "Europe/Berlin\x00"])
def test_a_timezone_option_that_is_no_zone_is_an_input_error(name: str) -> None:
    """`hardener sim --timezone` with a name too long for a file path was an internal error."""
    with pytest.raises(InputError, match="not a known zone name"):
        load_persona("android9-legacy", timezone=name, real_time=False)

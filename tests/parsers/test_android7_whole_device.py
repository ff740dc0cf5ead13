"""Android 7.x whole-device dumps (derived from AOSP 7.1, see derived/SOURCES.md).

A whole-device `dumpsys package` on Android ≤ 9 prints no `requested permissions:`; a legacy
app (targetSdk < 23) holds its dangerous permissions as install permissions (`granted=true`);
a shared-user member prints none of its own. Android 7's `dumpsys appops` prints modes as
integers. hardener must still see every capability a legacy app holds, and harden it
through its app-ops.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hardener.android.catalog.capabilities import capability_state
from hardener.android.parsers import parse_dumpsys_appops, parse_dumpsys_package
from hardener.core.evaluate import evaluate
from hardener.core.levers import UID_OP, LeverKey
from hardener.core.records import User
from hardener.device.collect import Discovery, assemble, detail_request
from hardener.device.phase import CommandResult
from hardener.profile import load_profile

DERIVED = Path(__file__).parent / "derived"
PACKAGES = (DERIVED / "dumpsys-package__7__derived-aosp71.txt").read_text()
APPOPS = (DERIVED / "dumpsys-appops__7__derived-aosp71.txt").read_text()
P = "android.permission."
WECHAT, DING, MAIL, MUSIC = (
    "com.tencent.mm",
    "com.alibaba.android.rimet",
    "com.example.legacy.mail",
    "com.android.music",
)


def test_the_dump_prints_no_requested_list_yet_each_app_requests_what_it_holds():
    dump = parse_dumpsys_package(PACKAGES)
    assert set(dump.packages) == {WECHAT, DING, MAIL, MUSIC}
    wechat = dump.packages[WECHAT]
    assert wechat.requested_listed is False and wechat.requested_permissions == ()
    assert wechat.target_sdk == 22
    for name in ("READ_CONTACTS", "ACCESS_FINE_LOCATION", "READ_EXTERNAL_STORAGE", "CAMERA"):
        assert P + name in wechat.requested
        assert wechat.install_permissions[P + name].granted
    # a modern app: its runtime grants (granted or flagged) count as requested too
    ding = dump.packages[DING]
    assert {P + "READ_CONTACTS", P + "CAMERA", P + "INTERNET"} <= set(ding.requested)
    assert ding.users[0].runtime_permissions[P + "CAMERA"].granted is False
    # a shared-user member takes the shared user's install grants
    mail = dump.packages[MAIL]
    assert mail.install_from_shared_user
    assert {P + "READ_CONTACTS", P + "READ_CALENDAR"} <= set(mail.requested)


def test_a_single_package_dump_keeps_its_own_requested_list():
    one = PACKAGES.replace(
        "    install permissions:\n      android.permission.INTERNET: granted=true\n"
        "      android.permission.ACCESS_NETWORK_STATE",
        "    requested permissions:\n      android.permission.INTERNET\n"
        "    install permissions:\n      android.permission.INTERNET: granted=true\n"
        "      android.permission.ACCESS_NETWORK_STATE",
        1,
    )
    ding = parse_dumpsys_package(one).packages[DING]
    assert ding.requested_listed and ding.requested == (P + "INTERNET",)


def test_android7_appops_integer_modes_are_named():
    ops = parse_dumpsys_appops(APPOPS)
    wechat = ops.for_uid(10089)
    assert wechat is not None
    assert wechat.uid_modes == {"COARSE_LOCATION": "ignore"}
    modes = wechat.packages[WECHAT]
    assert modes["CAMERA"] == "ignore" and modes["READ_CONTACTS"] == "allow"
    assert modes["RECORD_AUDIO"] == "allow"  # `mode=0 (running)`
    assert ops.package_modes(DING)["RUN_IN_BACKGROUND"] == "allow"


def discovery() -> Discovery:
    props = {
        "ro.build.version.sdk": "25",
        "ro.build.version.release": "7.1.2",
        "ro.product.manufacturer": "Google",
        "ro.product.model": "Pixel",
        "persist.sys.timezone": "Europe/Berlin",
    }
    return Discovery(
        transport_serial="FA7A0301234",
        props=props,
        users=(User(0, "Owner"), User(10, "Work", flags=0x30)),
        current_user=0,
        packages={WECHAT: 10089, DING: 10092, MAIL: 10101, MUSIC: 10046},
        third_party=frozenset({WECHAT, DING, MAIL}),
        permission_flags=False,
    )


def snapshot():
    found = discovery()
    request = detail_request(found, [WECHAT, DING, MAIL, MUSIC], whole_device=True)
    outputs = ["system-excidle,com.android.shell,2000\n"]
    for _user in request.users:
        outputs += ["", "null\n", "null\n"]  # no buckets printed, no listener, no a11y
    outputs += [PACKAGES, APPOPS]
    assert len(outputs) == len(request.commands)
    results = [CommandResult(c, o, 0) for c, o in zip(request.commands, outputs, strict=True)]
    return assemble(found, request, results)


def test_the_legacy_apps_capabilities_are_seen_by_scan():
    snap = snapshot()
    wechat = snap.app(WECHAT, 0)
    assert wechat is not None and wechat.legacy and not wechat.system
    assert snap.app(WECHAT, 10) is None  # installed=false in the work profile
    assert capability_state(wechat, "contacts", 25) == "granted"
    assert capability_state(wechat, "storage", 25) == "granted"
    assert capability_state(wechat, "camera", 25) == "denied"  # its op is ignore
    assert capability_state(wechat, "location", 25) == "partial"  # coarse op ignored (uid)
    mail = snap.app(MAIL, 0)
    assert mail is not None and capability_state(mail, "calendar", 25) == "granted"
    music = snap.app(MUSIC, 0)
    assert music is not None and music.system
    assert capability_state(music, "storage", 25) == "granted"


def test_audit_and_enforce_harden_the_legacy_app_through_its_ops(tmp_path):
    profile = tmp_path / "p.toml"
    profile.write_text(
        'schema = 1\nextends = "default"\n[[rules]]\nname = "social quiet"\n'
        'categories = ["social"]\noff_hours = ["contacts", "storage"]\n'
    )
    evening = datetime(2026, 11, 24, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    ev = evaluate(snapshot(), load_profile(profile), evening)
    judged = {f.name for f in ev.findings if f.package == WECHAT}
    assert {"contacts", "storage", "background_location"} <= judged
    keys = {w.key for w in ev.wants if w.key.package == WECHAT}
    for op in ("READ_CONTACTS", "WRITE_CONTACTS", "READ_EXTERNAL_STORAGE", "FINE_LOCATION"):
        assert LeverKey(UID_OP, 0, WECHAT, op) in keys
    assert all(key.kind == UID_OP for key in keys)  # never `pm revoke` on a legacy app

"""Properties: no parser raises on any input, and rendered grammar parses back to its data."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from parsers_support import (
    PARSERS,
    Grant,
    ListedPackage,
    RenderPackage,
    RenderUser,
    format_duration,
    render_appops_get,
    render_dumpsys_package,
    render_getprop,
    render_pm_list_packages,
)

from hardener.android.parsers import (
    OP_CODES,
    PACKAGE,
    UID,
    Component,
    parse_appops_get,
    parse_component_list,
    parse_deviceidle_whitelist,
    parse_dumpsys_package,
    parse_duration_ms,
    parse_getprop,
    parse_pm_list_packages,
    parse_settings_get,
    parse_settings_list,
    to_text,
)

# Fragments of every grammar, so random text reaches deep into the parsers' branches.
FRAGMENTS = [
    "Packages:\n",
    "Shared users:\n",
    "Hidden system packages:\n",
    "  Package [com.a] (1f):\n",
    "  SharedUser [android.uid.system] (2):\n",
    "    Packages\n",
    "      PackageSetting{5 com.a/1000}\n",
    "    userId=10001\n",
    "    appId=",
    "    sharedUser=SharedUserSetting{cb android.uid.system/1000}\n",
    "    versionCode=1 minSdk=2 targetSdk=3\n",
    "    flags=[ SYSTEM HAS_CODE ]\n",
    "    requested permissions:\n",
    "    install permissions:\n",
    "    declared permissions:\n",
    "      a.b: prot=normal, INSTALLED\n",
    "    User 0: ceDataInode=1 installed=true enabled=0\n",
    "    User ",
    "      runtime permissions:\n",
    "        android.permission.CAMERA: granted=true, flags=[ USER_SET|USER_FIXED]\n",
    ": granted=",
    "flags=[ ",
    "userId=",
    "Unable to find package: ",
    "Uid mode: ",
    "COARSE_LOCATION: allow; time=+1d2h ago\n",
    "MIUIOP(10008): ignore\n",
    "  Uid u0a12:\n",
    "    Package com.a:\n",
    "      CAMERA (allow):\n",
    "      CAMERA: mode=ignore\n",
    "No operations.\n",
    "Default mode: ",
    "package:/data/app/x==/base.apk=com.a versionCode:3  installer=null uid:1,2\n",
    "UserInfo{0:Owner:c13} running\n",
    "[ro.x]: [",
    "]\n",
    "user,com.a,10001\n",
    "  Whitelist user apps:\n",
    "installed services: {\n",
    "Enabled services:{{com.a/.B}}\n",
    "attributes:{id=0\n",
    "Exception occurred while executing 'grant':\n",
    "java.lang.SecurityException: ",
    "Neither user 2000 nor current process has android.permission.X.\n",
    "Error: ",
    "\tat x.y(Z.java:1)\n",
    "=",
    ":",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\x00",
    "\ufeff",
]
android_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40
).map("".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), android_text))
def test_no_parser_raises_on_text(text: str) -> None:
    for parser in PARSERS:
        parser(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(),
        android_text.map(lambda text: text.encode("utf-8", "surrogatepass")),
        android_text.map(lambda text: b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")),
        android_text.map(lambda text: text.encode("utf-16-be", "surrogatepass")),
    )
)
def test_no_parser_raises_on_bytes(data: bytes) -> None:
    for parser in PARSERS:
        parser(data)


# ---------------------------------------------------------------- normaliser


plain = st.text(st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",))).filter(
    lambda text: not text.startswith("\ufeff")
)


@given(plain)
def test_encodings_and_line_ends_do_not_change_text(text: str) -> None:
    assert to_text(text) == text
    assert to_text(text.encode("utf-8")) == text
    assert to_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert to_text(b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")) == text
    assert to_text(b"\xfe\xff" + text.encode("utf-16-be")) == text


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_durations_round_trip(ms: int) -> None:
    assert parse_duration_ms(format_duration(ms)) == ms
    assert parse_duration_ms(format_duration(ms) + " ago") == ms


# ---------------------------------------------------------------- getprop


prop_key = st.text(
    st.characters(blacklist_characters="]\n\r\x00", blacklist_categories=("Cs",)), max_size=30
)
prop_value = st.text(
    st.characters(blacklist_characters="\n\r\x00", blacklist_categories=("Cs",)), max_size=40
)


@given(st.dictionaries(prop_key, prop_value, max_size=20))
def test_getprop_round_trip(props: dict[str, str]) -> None:
    assert parse_getprop(render_getprop(props)) == props


@given(st.lists(st.text("abcdefghij0123456789,_", min_size=1, max_size=12), min_size=2, max_size=5))
def test_getprop_multiline_value_round_trip(value_lines: list[str]) -> None:
    value = "\n".join(value_lines)
    props = {"a.before": "1", "persist.sys.boot.reason.history": value, "z.after": "2"}
    assert parse_getprop(render_getprop(props)) == props


# ---------------------------------------------------------------- pm list packages

segment = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
package_name = st.lists(segment, min_size=2, max_size=4).map(".".join)
source_dir = st.from_regex(r"/[A-Za-z0-9_/~=@.\-]{0,40}\.apk", fullmatch=True)


@st.composite
def listed_packages(draw: st.DrawFn) -> list[ListedPackage]:
    names = draw(st.lists(package_name, unique=True, max_size=12))
    return [
        ListedPackage(
            package=name,
            path=draw(source_dir),
            version_code=draw(st.integers(min_value=0, max_value=2**40)),
            installer=draw(st.one_of(st.none(), package_name)),
            uids=tuple(draw(st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=3))),
        )
        for name in names
    ]


@given(listed_packages(), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_pm_list_packages_round_trip(
    entries: list[ListedPackage], f: bool, versions: bool, i: bool, u: bool
) -> None:
    listing = parse_pm_list_packages(
        render_pm_list_packages(entries, f=f, versions=versions, i=i, u=u)
    )
    assert listing.error is None
    assert [(e.package, e.path, e.version_code, e.installer, e.uids) for e in listing.entries] == [
        (
            entry.package,
            entry.path if f else "",
            entry.version_code if versions else None,
            entry.installer if i else None,
            entry.uids if u else (),
        )
        for entry in entries
    ]


# ---------------------------------------------------------------- dumpsys package

FLAG_NAMES = [
    "GRANTED_BY_DEFAULT",
    "USER_SET",
    "USER_FIXED",
    "POLICY_FIXED",
    "SYSTEM_FIXED",
    "REVOKE_WHEN_REQUESTED",
    "REVIEW_REQUIRED",
    "REVOKED_COMPAT",
    "USER_SENSITIVE_WHEN_GRANTED",
    "USER_SENSITIVE_WHEN_DENIED",
    "RESTRICTION_UPGRADE_EXEMPT",
    "ONE_TIME",
    "AUTO_REVOKED",
    "SELECTED_LOCATION_ACCURACY",
    "4194304",
]
permission_name = st.sampled_from(
    [
        "android.permission.READ_CONTACTS",
        "android.permission.WRITE_CONTACTS",
        "android.permission.ACCESS_FINE_LOCATION",
        "android.permission.ACCESS_COARSE_LOCATION",
        "android.permission.ACCESS_BACKGROUND_LOCATION",
        "android.permission.CAMERA",
        "android.permission.RECORD_AUDIO",
        "android.permission.POST_NOTIFICATIONS",
        "com.example.permission.C2D_MESSAGE",
    ]
)


@st.composite
def grants(draw: st.DrawFn) -> list[Grant]:
    names = draw(st.lists(permission_name, unique=True, max_size=6))
    return [
        Grant(
            name,
            draw(st.booleans()),
            tuple(draw(st.lists(st.sampled_from(FLAG_NAMES), unique=True, max_size=4))),
        )
        for name in names
    ]


@st.composite
def render_packages(draw: st.DrawFn) -> list[RenderPackage]:
    names = draw(st.lists(package_name, unique=True, min_size=1, max_size=6))
    packages = []
    for index, name in enumerate(names):
        user_ids = draw(st.lists(st.sampled_from([0, 10, 11, 150]), unique=True, max_size=3))
        packages.append(
            RenderPackage(
                name=name,
                app_id=10_000 + index,
                version_code=draw(st.integers(0, 2**40)),
                version_name=draw(st.from_regex(r"[0-9a-z.() =-]{1,20}", fullmatch=True)).strip()
                or "1",
                min_sdk=draw(st.integers(1, 36)),
                target_sdk=draw(st.integers(1, 36)),
                system=draw(st.booleans()),
                installer=draw(st.one_of(st.none(), package_name)),
                requested=draw(st.lists(permission_name, unique=True, max_size=5)),
                install=[Grant(g.name, g.granted, ()) for g in draw(grants())],
                users=[
                    RenderUser(
                        user=user,
                        installed=draw(st.booleans()),
                        hidden=draw(st.booleans()),
                        suspended=draw(st.booleans()),
                        stopped=draw(st.booleans()),
                        not_launched=draw(st.booleans()),
                        enabled=draw(st.integers(0, 4)),
                        runtime=draw(grants()),
                    )
                    for user in user_ids
                ],
            )
        )
    return packages


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(render_packages(), st.sampled_from([6, 7, 10, 12, 14]), st.sampled_from([0, 30]))
def test_dumpsys_package_round_trip(packages: list[RenderPackage], style: int, filler: int) -> None:
    result = parse_dumpsys_package(
        render_dumpsys_package(packages, style=style, filler_lines=filler)
    )
    assert list(result.packages) == [package.name for package in packages]
    for package in packages:
        parsed = result.packages[package.name]
        assert parsed.app_id == package.app_id
        assert (parsed.version_code, parsed.version_name) == (
            package.version_code,
            package.version_name,
        )
        assert (parsed.min_sdk, parsed.target_sdk) == (package.min_sdk, package.target_sdk)
        assert parsed.system == package.system
        assert parsed.installer == package.installer
        assert parsed.requested_permissions == tuple(package.requested)
        assert {n: p.granted for n, p in parsed.install_permissions.items()} == {
            g.name: g.granted for g in package.install
        }
        assert set(parsed.users) == {user.user for user in package.users}
        for user in package.users:
            got = parsed.users[user.user]
            assert (got.installed, got.stopped, got.not_launched, got.enabled) == (
                user.installed,
                user.stopped,
                user.not_launched,
                user.enabled,
            )
            if style > 6:
                assert (got.hidden, got.suspended) == (user.hidden, user.suspended)
            assert {n: (p.granted, set(p.flags)) for n, p in got.runtime_permissions.items()} == {
                g.name: (g.granted, set(g.flags)) for g in user.runtime
            }


@settings(max_examples=50)
@given(grants(), grants())
def test_shared_user_grants_round_trip(owner: list[Grant], work: list[Grant]) -> None:
    member = RenderPackage(
        name="com.example.settings",
        app_id=1000,
        shared_user="android.uid.system",
        users=[RenderUser(0), RenderUser(10)],
    )
    shared_users = [RenderUser(0, runtime=owner), RenderUser(10, runtime=work)]
    text = render_dumpsys_package(
        [member],
        style=12,
        shared=[("android.uid.system", 1000, ["com.example.settings"], shared_users)],
    )
    parsed = parse_dumpsys_package(text).packages["com.example.settings"]
    for user_id, expected in ((0, owner), (10, work)):
        user = parsed.users[user_id]
        assert {n: p.granted for n, p in user.runtime_permissions.items()} == {
            g.name: g.granted for g in expected
        }
        assert user.runtime_from_shared_user == bool(expected)


# ---------------------------------------------------------------- appops get

ops_by_code = sorted(
    {name: code for name, code in OP_CODES.items() if name != "RECEIVE_EMERGECY_SMS"}.items(),
    key=lambda item: item[1],
)
op_names = [name for name, _ in ops_by_code]
mode = st.sampled_from(["allow", "ignore", "deny", "default", "foreground"])


@st.composite
def appops_groups(
    draw: st.DrawFn,
) -> tuple[list[tuple[str, str]], list[tuple[str, str, int | None]]]:
    uid_names = sorted(
        draw(st.lists(st.sampled_from(op_names), unique=True, max_size=8)), key=op_names.index
    )
    package_names = sorted(
        draw(st.lists(st.sampled_from(op_names), unique=True, max_size=8)), key=op_names.index
    )
    uid_ops = [(name, draw(mode)) for name in uid_names]
    package_ops = [
        (name, draw(mode), draw(st.one_of(st.none(), st.integers(0, 10**9))))
        for name in package_names
    ]
    return uid_ops, package_ops


@given(appops_groups())
def test_appops_get_scopes_are_never_wrong(
    groups: tuple[list[tuple[str, str]], list[tuple[str, str, int | None]]],
) -> None:
    uid_ops, package_ops = groups
    result = parse_appops_get(render_appops_get(uid_ops, package_ops))
    truth = [UID] * len(uid_ops) + [PACKAGE] * len(package_ops)
    assert len(result.entries) == len(truth)
    for entry, expected in zip(result.entries, truth, strict=True):
        assert entry.scope in (expected, "unknown")
    if uid_ops:
        assert result.entries[0].scope == UID
    if uid_ops and package_ops and OP_CODES[package_ops[0][0]] <= OP_CODES[uid_ops[-1][0]]:
        assert [entry.scope for entry in result.entries] == truth  # the code break is exact
    timed = [index for index, (_, _, ago) in enumerate(package_ops) if ago is not None]
    if timed:  # access history proves the package group from there on
        first = len(uid_ops) + timed[0]
        assert {entry.scope for entry in result.entries[first:]} == {PACKAGE}
    # The effective mode never depends on scope: the uid mode wins where both exist.
    expected_modes = {name: m for name, m, _ in package_ops} | dict(uid_ops)
    assert result.modes() == expected_modes


# ---------------------------------------------------------------- lists and settings


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["system-excidle", "system", "user"]),
            package_name,
            st.integers(0, 99999),
        ),
        max_size=20,
    )
)
def test_deviceidle_whitelist_round_trip(rows: list[tuple[str, str, int]]) -> None:
    text = "".join(f"{kind},{name},{app_id}\n" for kind, name, app_id in rows)
    parsed = parse_deviceidle_whitelist(text)
    assert [(e.kind, e.package, e.app_id) for e in parsed.entries] == rows


settings_key = st.from_regex(r"[A-Za-z0-9_.]{1,30}", fullmatch=True)
settings_value = st.text(
    st.characters(blacklist_characters="\n\r\x00", blacklist_categories=("Cs",)), max_size=40
)


@given(st.dictionaries(settings_key, settings_value, max_size=20))
def test_settings_list_round_trip(values: dict[str, str]) -> None:
    text = "".join(f"{key}={value}\n" for key, value in values.items())
    assert parse_settings_list(text) == values


class_segment = st.from_regex(r"[A-Za-z_][A-Za-z0-9_$]{0,8}", fullmatch=True)


@given(
    st.lists(
        st.tuples(package_name, st.lists(class_segment, min_size=1, max_size=3), st.booleans()),
        max_size=8,
    )
)
def test_component_list_round_trip(rows: list[tuple[str, list[str], bool]]) -> None:
    components = [
        Component(package, package + "." + ".".join(parts) if relative else ".".join(parts))
        for package, parts, relative in rows
    ]
    text = ":".join(
        c.short if relative else c.flat
        for c, (_, _, relative) in zip(components, rows, strict=True)
    )
    assert parse_component_list(text) == tuple(components)
    assert parse_settings_get(text + "\n") == text

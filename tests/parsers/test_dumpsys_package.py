"""`dumpsys package`: hand-written cases for each version's grammar (android-output-grammar §1)."""

# Android prints these lines long and some with a trailing blank; the samples keep them so.
# ruff: noqa: E501, W291

from __future__ import annotations

from hardener.android.parsers import parse_dumpsys_package
from hardener.core.records import Permission

ANDROID_6 = """\
Packages:
  Package [com.example.legacy] (3a1b2c):
    userId=10077
    pkg=Package{4d5e6f com.example.legacy}
    codePath=/data/app/com.example.legacy-1
    versionCode=12 targetSdk=22
    versionName=2.1
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]
    requested permissions:
      android.permission.READ_CONTACTS
    install permissions:
      android.permission.INTERNET: granted=true
    User 0:  installed=true hidden=false stopped=true notLaunched=false enabled=0
      runtime permissions:
        android.permission.READ_CONTACTS: granted=true
"""

ANDROID_7 = """\
Packages:
  Package [com.example.chat] (b1c2d3):
    userId=10123
    pkg=Package{e4f5a6 com.example.chat}
    codePath=/data/app/com.example.chat-2
    versionCode=4410 minSdk=16 targetSdk=25
    versionName=4.4.10 (release)
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    privateFlags=[ PRIVATE_FLAG_ACTIVITIES_RESIZE_MODE_RESIZEABLE_VIA_SDK_VERSION ]
    installerPackageName=com.android.vending
    installPermissionsFixed=true installStatus=1
    pkgFlags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    install permissions:
      android.permission.INTERNET: granted=true, flags=[ ]
    User 0: ceDataInode=262145 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0
      gids=[3003]
      runtime permissions:
        android.permission.ACCESS_FINE_LOCATION: granted=true, flags=[ USER_SET ]
        android.permission.READ_CONTACTS: granted=false, flags=[ USER_SET USER_FIXED ]
        android.permission.CAMERA: granted=true, flags=[ SYSTEM_FIXED GRANTED_BY_DEFAULT ]
    User 10: ceDataInode=0 installed=false hidden=false suspended=false stopped=true notLaunched=true enabled=0
"""

ANDROID_12 = """\
Packages:
  Package [com.example.work] (aa11bb):
    userId=10210
    pkg=Package{cc22dd com.example.work}
    codePath=/data/app/~~Zm9vYmFy==/com.example.work-YmF6cXV4==
    versionCode=300 minSdk=26 targetSdk=31
    versionName=3.0 build=7 beta
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]
    requested permissions:
      android.permission.READ_CONTACTS
      android.permission.READ_CALL_LOG: restricted=true
      android.permission.ACCESS_FINE_LOCATION
    install permissions:
      android.permission.INTERNET: granted=true
      android.permission.FOREGROUND_SERVICE: granted=true
      android.permission.FOREGROUND_SERVICE: granted=false, userId=10
    User 0: ceDataInode=8123 installed=true hidden=false suspended=false distractionFlags=0 stopped=false notLaunched=false enabled=0 instant=false virtual=false
      gids=[3003]
      runtime permissions:
        android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.ACCESS_FINE_LOCATION: granted=false, flags=[ USER_SET|USER_FIXED|ONE_TIME]
    User 10: ceDataInode=9001 installed=true hidden=false suspended=true distractionFlags=0 stopped=false notLaunched=false enabled=3 instant=false virtual=false
      Suspend params:
        suspendingPackage=com.android.shell dialogInfo=null
      gids=[3003]
      runtime permissions:
        android.permission.READ_CONTACTS: granted=false, flags=[ POLICY_FIXED]
      disabledComponents:
        com.example.work.Receiver
"""

ANDROID_16 = """\
Packages:
  Package [com.example.social] (e3e9947):
    appId=10122
    pccId=-1
    pkg=Package{2c52988 com.example.social}
    codePath=/data/app/~~n2bh9d3uwcIzWkLTn8026g==/com.example.social-gHuXLrpyNbgiI-EumUx7rw==
    versionCode=1 minSdk=29 targetSdk=36
    minExtensionVersions=[]
    versionName=1.0
    flags=[ HAS_CODE ALLOW_CLEAR_USER_DATA ]
    timeStamp=2025-10-09 06:11:38
    lastUpdateTime=2025-10-09 06:11:38
    installerPackageName=null
    installerPackageUid=-1
    initiatingPackageName=com.android.shell
    signatures=PackageSignatures{7ca4f21 version:2, signatures:[1cbf3ab3], past signatures:[]}
    requested permissions:
      android.permission.POST_NOTIFICATIONS
    User 0: ceDataInode=3456 deDataInode=3457 installed=true hidden=false suspended=false distractionFlags=0 stopped=true notLaunched=true enabled=0 instant=false virtual=false quarantined=false
      installReason=4
      dataDir=/data/user/0/com.example.social
      firstInstallTime=2025-10-09 06:11:38
      uninstallReason=0
      gids=[3003]
      runtime permissions:
        android.permission.POST_NOTIFICATIONS: granted=false, flags=[ USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
    User 11: ceDataInode=0 deDataInode=0 installed=true hidden=false suspended=false distractionFlags=0 stopped=false notLaunched=false enabled=0 instant=false virtual=false quarantined=false
      runtime permissions:
"""


def test_android_6_user_line_and_flagless_grants() -> None:
    package = parse_dumpsys_package(ANDROID_6).packages["com.example.legacy"]
    assert (package.target_sdk, package.min_sdk, package.version_name) == (22, None, "2.1")
    user = package.users[0]
    assert (user.installed, user.stopped, user.enabled) == (True, True, 0)
    assert user.suspended is None  # not printed on 6
    assert user.runtime_permissions == {
        "android.permission.READ_CONTACTS": Permission("android.permission.READ_CONTACTS", True)
    }
    assert package.requested_permissions == ("android.permission.READ_CONTACTS",)
    assert package.install_permissions["android.permission.INTERNET"].granted


def test_android_7_space_separated_flags() -> None:
    package = parse_dumpsys_package(ANDROID_7).packages["com.example.chat"]
    assert package.version_name == "4.4.10 (release)"
    assert package.installer == "com.android.vending"
    assert package.fields["installStatus"] == "1"
    assert package.install_permissions["android.permission.INTERNET"].flags == frozenset()
    runtime = package.users[0].runtime_permissions
    assert runtime["android.permission.READ_CONTACTS"] == Permission(
        "android.permission.READ_CONTACTS", False, frozenset({"USER_SET", "USER_FIXED"})
    )
    assert runtime["android.permission.CAMERA"].flags == {"SYSTEM_FIXED", "GRANTED_BY_DEFAULT"}
    assert package.users[0].gids == (3003,)
    other = package.users[10]
    assert (other.installed, other.not_launched, other.runtime_permissions) == (False, True, {})


def test_android_12_overrides_restricted_and_per_user_state() -> None:
    package = parse_dumpsys_package(ANDROID_12).packages["com.example.work"]
    assert package.version_name == "3.0 build=7 beta"  # free text, never split on `=`
    assert package.code_path == "/data/app/~~Zm9vYmFy==/com.example.work-YmF6cXV4=="
    assert package.requested_permissions == (
        "android.permission.READ_CONTACTS",
        "android.permission.READ_CALL_LOG",
        "android.permission.ACCESS_FINE_LOCATION",
    )
    assert package.restricted_permissions == {"android.permission.READ_CALL_LOG"}
    assert package.install_permissions["android.permission.FOREGROUND_SERVICE"].granted
    assert package.install_permission_overrides == {
        10: {
            "android.permission.FOREGROUND_SERVICE": Permission(
                "android.permission.FOREGROUND_SERVICE", False
            )
        }
    }
    owner = package.users[0].runtime_permissions
    assert owner["android.permission.ACCESS_FINE_LOCATION"].flags == {
        "USER_SET",
        "USER_FIXED",
        "ONE_TIME",
    }
    work = package.users[10]
    assert (work.suspended, work.enabled) == (True, 3)
    assert work.fields["distractionFlags"] == "0"
    assert "suspendingPackage" not in work.fields  # inside `Suspend params:`, not a state field
    assert work.runtime_permissions["android.permission.READ_CONTACTS"].flags == {"POLICY_FIXED"}


def test_android_16_app_id_and_user_sub_fields() -> None:
    package = parse_dumpsys_package(ANDROID_16).packages["com.example.social"]
    assert package.app_id == 10122 and package.fields["pccId"] == "-1"
    assert package.installer is None  # `installerPackageName=null`
    assert package.fields["initiatingPackageName"] == "com.android.shell"
    assert package.target_sdk == 36
    user = package.users[0]
    assert user.fields["firstInstallTime"] == "2025-10-09 06:11:38"
    assert user.fields["quarantined"] == "false" and user.fields["installReason"] == "4"
    assert (user.stopped, user.not_launched) == (True, True)
    grant = user.runtime_permissions["android.permission.POST_NOTIFICATIONS"]
    assert not grant.granted
    assert package.users[11].runtime_permissions == {}  # empty header is normal on 15/16


SHARED = """\
Packages:
  Package [com.example.settings] (1):
    userId=1000
    sharedUser=SharedUserSetting{cb92b86 android.uid.system/1000}
    flags=[ SYSTEM HAS_CODE PERSISTENT ]
    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0 instant=false virtual=false
      gids=[1000]
  Package [com.example.phone] (2):
    userId=1001
    sharedUser=SharedUserSetting{aa android.uid.phone/1001}
    User 0: ceDataInode=2 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0
      runtime permissions:
        android.permission.CAMERA: granted=true

Hidden system packages:
  Package [com.example.settings] (3):
    userId=1000
    versionCode=1 minSdk=30 targetSdk=30
    versionName=factory

Shared users:
  SharedUser [android.uid.system] (4):
    userId=1000
    Packages
      PackageSetting{5 com.example.settings/1000}
      PackageSetting{6 android/1000}
    install permissions:
      android.permission.INTERNET: granted=true
    User 0: 
      gids=[1000, 3003]
      runtime permissions:
        android.permission.ACCESS_FINE_LOCATION: granted=true, flags=[ SYSTEM_FIXED|GRANTED_BY_DEFAULT]
    User 10: 
      runtime permissions:
        android.permission.ACCESS_FINE_LOCATION: granted=false
  SharedUser [android.uid.phone] (7):
    userId=1001
    User 0: 
      runtime permissions:
        android.permission.READ_PHONE_STATE: granted=true
"""


def test_shared_user_grants_reach_member_packages() -> None:
    result = parse_dumpsys_package(SHARED)
    system = result.shared_users["android.uid.system"]
    assert system.app_id == 1000
    assert system.packages == ("com.example.settings", "android")
    assert system.install_permissions["android.permission.INTERNET"].granted
    assert set(system.runtime_permissions) == {0, 10}

    settings = result.packages["com.example.settings"]
    assert settings.shared_user == "android.uid.system"
    owner = settings.users[0]
    assert owner.runtime_from_shared_user and owner.gids == (1000,)
    assert owner.installed is True  # the package's own state fields are kept
    assert owner.runtime_permissions["android.permission.ACCESS_FINE_LOCATION"].flags == {
        "SYSTEM_FIXED",
        "GRANTED_BY_DEFAULT",
    }
    assert (
        not settings.users[10]
        .runtime_permissions["android.permission.ACCESS_FINE_LOCATION"]
        .granted
    )

    phone = result.packages["com.example.phone"]  # printed grants of its own win
    assert not phone.users[0].runtime_from_shared_user
    assert set(phone.users[0].runtime_permissions) == {"android.permission.CAMERA"}


def test_hidden_system_copy_does_not_replace_the_installed_package() -> None:
    result = parse_dumpsys_package(SHARED)
    assert result.packages["com.example.settings"].version_name == ""
    assert result.hidden_system_packages["com.example.settings"].version_name == "factory"
    assert "PERSISTENT" in result.packages["com.example.settings"].flags


def test_missing_package_is_not_a_package_without_permissions() -> None:
    missing = parse_dumpsys_package("Unable to find package: com.nope\n")
    assert missing.not_found == ("com.nope",) and missing.packages == {}
    assert missing.get("com.nope") is None
    empty = parse_dumpsys_package("")
    assert empty.not_found == () and empty.packages == {}


def test_tab_indentation_and_uniform_extra_indent() -> None:
    tabbed = (
        ANDROID_7.replace("        ", "\t\t\t\t")
        .replace("      ", "\t\t\t")
        .replace("    ", "\t\t")
        .replace("  ", "\t")
    )
    assert parse_dumpsys_package(tabbed) == parse_dumpsys_package(ANDROID_7)
    shifted = "".join("      " + line + "\n" for line in ANDROID_12.splitlines())
    package = parse_dumpsys_package(shifted).packages["com.example.work"]
    assert package.users[10].enabled == 3
    assert (
        package.requested_permissions
        == parse_dumpsys_package(ANDROID_12).packages["com.example.work"].requested_permissions
    )


def test_other_sections_are_ignored() -> None:
    text = (
        "Activity Resolver Table:\n"
        "  Non-Data Actions:\n"
        "      android.intent.action.MAIN:\n"
        "        5a4b3c com.example.chat/.Main filter 1a2b\n"
        "          versionCode=999\n"
        "\n"
        "Permissions:\n"
        "  Permission [android.permission.CAMERA] (1f):\n"
        "    sourcePackage=android\n"
        "    uid=1000 gids=null type=0 prot=dangerous\n"
        "\n" + ANDROID_7 + "\n"
        "Dexopt state:\n"
        "  [com.example.chat]\n"
        "    path: /data/app/com.example.chat-2/base.apk\n"
        "      arm64: [status=speed-profile] [reason=install]\n"
        "Queries:\n"
        "  system apps queryable: false\n"
    )
    result = parse_dumpsys_package(text)
    assert list(result.packages) == ["com.example.chat"]
    assert (
        result.packages["com.example.chat"]
        == parse_dumpsys_package(ANDROID_7).packages["com.example.chat"]
    )


def test_crlf_and_utf16_give_the_same_result() -> None:
    expected = parse_dumpsys_package(ANDROID_12)
    utf16 = b"\xff\xfe" + ANDROID_12.replace("\n", "\r\n").encode("utf-16-le")
    assert parse_dumpsys_package(utf16) == expected


def test_a_suspended_users_block_keeps_its_runtime_permissions():
    # Settings.dumpPackageLPr (Android 14): "Suspend params:" at the indent of "User 0:",
    # its params, gids and the runtime permissions one level deeper.
    text = (
        "Packages:\n"
        "  Package [com.Slack] (1a2b3c4):\n"
        "    appId=10104\n"
        "    User 0: ceDataInode=182867 installed=true hidden=false suspended=true stopped=false"
        " notLaunched=false enabled=0\n"
        "      installReason=4\n"
        "    Suspend params:\n"
        "      suspendingPackage=com.android.shell dialogInfo=null\n"
        "      gids=[3003]\n"
        "      runtime permissions:\n"
        "        android.permission.CAMERA: granted=true, flags=[ USER_SET]\n"
        "    User 10: ceDataInode=1 installed=false hidden=false suspended=false stopped=false"
        " notLaunched=false enabled=0\n"
    )
    dump = parse_dumpsys_package(text).get("com.Slack")
    assert dump is not None
    user = dump.users[0]
    assert user.suspended is True
    assert user.gids == (3003,)
    assert user.runtime_permissions["android.permission.CAMERA"].granted is True
    assert dump.users[10].installed is False

"""`pm list packages` with every flag combination and the errors it can answer with."""

from __future__ import annotations

import pytest

from hardener.android.parsers import USER_ACCESS, PackageListEntry, parse_pm_list_packages
from hardener.android.parsers.shell_errors import UNKNOWN_OPTION


def test_all_suffixes_in_documented_order() -> None:
    line = (
        "package:/data/app/~~aGVsbG8=/com.whatsapp-d29ybGQ==/base.apk=com.whatsapp "
        "versionCode:241115007  installer=com.android.vending uid:10199\n"
    )
    assert parse_pm_list_packages(line).entries == (
        PackageListEntry(
            package="com.whatsapp",
            path="/data/app/~~aGVsbG8=/com.whatsapp-d29ybGQ==/base.apk",
            version_code=241115007,
            installer="com.android.vending",
            uids=(10199,),
        ),
    )


def test_apex_path_with_at_sign_and_no_uid() -> None:
    line = (
        "package:/apex/com.android.tethering/priv-app/TetheringNextGoogle@361685600/"
        "TetheringNextGoogle.apk=com.google.android.networkstack.tethering  installer=null\n"
    )
    (entry,) = parse_pm_list_packages(line).entries
    assert entry.package == "com.google.android.networkstack.tethering"
    assert entry.path.endswith("@361685600/TetheringNextGoogle.apk")
    assert entry.installer is None and entry.uid is None


def test_merged_users_give_several_uids() -> None:
    (entry,) = parse_pm_list_packages("package:com.whatsapp uid:10199,1010199\n").entries
    assert entry.uids == (10199, 1010199) and entry.uid == 10199


@pytest.mark.parametrize(
    "line",
    [
        "  package:com.x uid:10001  ",
        "package:com.x\tuid:10001",
        "package:com.x uid:10001\r",
    ],
)
def test_liberal_blanks(line: str) -> None:
    (entry,) = parse_pm_list_packages(line).entries
    assert (entry.package, entry.uids) == ("com.x", (10001,))


def test_path_with_spaces_stays_whole() -> None:
    (entry,) = parse_pm_list_packages(
        "package:/system/app/My App/a.apk=com.x versionCode:3\n"
    ).entries
    assert (entry.path, entry.package, entry.version_code) == (
        "/system/app/My App/a.apk",
        "com.x",
        3,
    )


def test_non_package_lines_are_skipped() -> None:
    text = "WARNING: linker: odd\npackage:\npackage:com.a\n\nsomething else\n"
    assert parse_pm_list_packages(text).names == ("com.a",)


def test_locked_user_is_an_error_not_an_empty_list() -> None:
    text = (
        "Exception occurred while executing 'list':\n"
        "java.lang.SecurityException: Shell does not have permission to access user 150\n"
        " com.android.server.am.ActivityManagerService.handleIncomingUser:14905 \n"
        "\tat android.app.ActivityManager.handleIncomingUser(ActivityManager.java:4890)\n"
    )
    listing = parse_pm_list_packages(text)
    assert listing.entries == ()
    assert listing.error is not None
    assert (listing.error.kind, listing.error.user, listing.error.verb) == (
        USER_ACCESS,
        150,
        "list",
    )


def test_old_build_without_uid_option() -> None:
    listing = parse_pm_list_packages("Error: Unknown option: -U\n")
    assert listing.error is not None
    assert (listing.error.kind, listing.error.argument) == (UNKNOWN_OPTION, "-U")


def test_empty_output_is_no_packages_and_no_error() -> None:
    listing = parse_pm_list_packages("")
    assert listing.entries == () and listing.error is None

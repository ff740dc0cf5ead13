"""`pm list users` and `am get-current-user`."""

from __future__ import annotations

from hardener.android.parsers import USER_ACCESS, parse_current_user, parse_pm_list_users
from hardener.core.records import USER_FLAG_MANAGED_PROFILE


def test_owner_work_profile_and_secure_folder() -> None:
    text = (
        "Users:\n"
        "\tUserInfo{0:Owner:c13} running\n"
        "        UserInfo{10:Work profile:1030} running\n"
        "\tUserInfo{150:Secure Folder:10001030}\n"
    )
    users = parse_pm_list_users(text).users
    assert [(u.id, u.name, u.flags, u.running) for u in users] == [
        (0, "Owner", 0xC13, True),
        (10, "Work profile", 0x1030, True),
        (150, "Secure Folder", 0x10001030, False),
    ]
    assert users[1].is_work_profile and users[1].flags & USER_FLAG_MANAGED_PROFILE
    assert not users[0].is_work_profile


def test_name_with_colons_and_braces() -> None:
    (user,) = parse_pm_list_users("Users:\n\tUserInfo{11:Dual: App {x}:0} running\n").users
    assert (user.id, user.name, user.flags) == (11, "Dual: App {x}", 0)


def test_unknown_lines_and_errors() -> None:
    assert parse_pm_list_users("Users:\n\tUserInfo{broken}\n").users == ()
    result = parse_pm_list_users(
        "java.lang.SecurityException: Shell does not have permission to access user 10\n"
    )
    assert result.error is not None and result.error.kind == USER_ACCESS


def test_current_user() -> None:
    assert parse_current_user("10\n") == 10
    assert parse_current_user(b"\xff\xfe" + "0\r\n".encode("utf-16-le")) == 0
    assert parse_current_user("\n  \n") is None
    assert parse_current_user("Error: something\n") is None

"""`pm list users` and `am get-current-user`: which users and profiles a phone has.

`pm list users` prints `Users:` and then one `UserInfo{<id>:<name>:<hex flags>} [running]`
line per user (tab-indented by the shell; 8 spaces in pastes). The name may contain `:`,
so the id is read from the left and the flags from the right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.parsers.shell_errors import ShellError, parse_shell_error
from hardener.parsers.text import RawText, lines, to_hex_int, to_int
from hardener.records import User

_USER_INFO = re.compile(r"UserInfo\{(-?[0-9]{1,12}):(.*):([0-9a-fA-F]{1,16})\}(.*)")


@dataclass(frozen=True)
class UserList:
    """Users in the phone's order (as `hardener.records.User`), or the refusal."""

    users: tuple[User, ...] = ()
    error: ShellError | None = None

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(user.id for user in self.users)


def parse_pm_list_users(text: RawText) -> UserList:
    """Users from `pm list users`; the `Users:` header and unknown lines are skipped."""
    users: list[User] = []
    for line in lines(text):
        match = _USER_INFO.search(line)
        if match is None:
            continue
        user_id = to_int(match.group(1))
        flags = to_hex_int(match.group(3))
        if user_id is None or flags is None:
            continue
        running = "running" in match.group(4).split()
        users.append(User(id=user_id, name=match.group(2), flags=flags, running=running))
    error = None if users else parse_shell_error(text)
    return UserList(users=tuple(users), error=error)


def parse_current_user(text: RawText) -> int | None:
    """`am get-current-user` prints the foreground user's id; None when it printed no number."""
    for line in lines(text):
        value = to_int(line)
        if value is not None:
            return value
    return None

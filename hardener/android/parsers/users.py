"""`pm list users` and `am get-current-user`: which users and profiles a phone has.

`pm list users` prints `Users:` and then one `UserInfo{<id>:<name>:<hex flags>} [running]`
line per user (tab-indented by the shell; 8 spaces in pastes). The name may contain `:`,
so the id is read from the left and the flags from the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardener.android.parsers.shell_errors import ShellError, parse_shell_error
from hardener.android.parsers.text import RawText, lines, to_hex_int, to_int
from hardener.core.records import User

_MARKER = "UserInfo{"


@dataclass(frozen=True)
class UserList:
    """Users in the phone's order (as `hardener.core.records.User`), or the refusal."""

    users: tuple[User, ...] = ()
    error: ShellError | None = None

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(user.id for user in self.users)


def parse_pm_list_users(text: RawText) -> UserList:
    """Users from `pm list users`; the `Users:` header and unknown lines are skipped."""
    users: list[User] = []
    for line in lines(text):
        user = _user_info(line)
        if user is not None:
            users.append(user)
    error = None if users else parse_shell_error(text)
    return UserList(users=tuple(users), error=error)


def _user_info(line: str) -> User | None:
    """`UserInfo{<id>:<name>:<hex flags>}[ running]`, read from both ends (names hold `:`)."""
    start = line.find(_MARKER)
    end = line.rfind("}")
    if start < 0 or end < start:
        return None
    inner = line[start + len(_MARKER) : end]
    raw_id, _, rest = inner.partition(":")
    name, sep, raw_flags = rest.rpartition(":")
    user_id, flags = to_int(raw_id), to_hex_int(raw_flags)
    if not sep or user_id is None or flags is None:
        return None
    running = "running" in line[end + 1 :].split()
    return User(id=user_id, name=name, flags=flags, running=running)


def parse_current_user(text: RawText) -> int | None:
    """`am get-current-user` prints the foreground user's id; None when it printed no number."""
    for line in lines(text):
        value = to_int(line)
        if value is not None:
            return value
    return None

"""`appops` / `cmd appops`: get, set (package or --uid), query-op, reset, write-settings."""

from __future__ import annotations

import re

from hardener.sim.android import help_text
from hardener.sim.android import platform as pf
from hardener.sim.android.commands import appops_records
from hardener.sim.android.commands.base import Args, Ctx, parse_user
from hardener.sim.android.model import AndroidException, Package
from hardener.sim.android.shell import Result


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    if len(argv) < 2:
        return Result(help_text.APPOPS_HELP, status=255)
    verb = argv[1]
    args = Args(argv[2:], site="appops.args")
    try:
        if verb in ("help", "-h"):
            return Result(help_text.APPOPS_HELP, status=255)
        if verb == "get":
            return _get(ctx, args)
        if verb == "set":
            return _set(ctx, args)
        if verb == "query-op":
            return _query(ctx, args)
        if verb == "reset":
            return _reset(ctx, args)
        if verb == "write-settings":
            if ctx.model.shell_grant_lock:
                ctx.model._enforce_appops()
            return Result("Current settings written.\n")
        if verb == "read-settings":
            return Result("Last settings read.\n")
        return Result(f"Unknown command: {verb}\n", status=255)
    except AndroidException as exc:
        return ctx.fail(exc, verb)


class _Target:
    def __init__(self) -> None:
        self.user = -2
        self.package: str | None = None
        self.uid: int | None = None
        self.op: int | None = None
        self.targets_uid = False


def _parse(ctx: Ctx, args: Args, require_op: bool) -> tuple[_Target | None, Result | None]:
    target = _Target()
    op_text: str | None = None
    while (arg := args.next_arg()) is not None:
        if arg == "--user":
            target.user = parse_user(args.next_required(), "appops.args")
        elif arg == "--uid":
            target.targets_uid = True
        elif arg == "--attribution":
            args.next_required()
        elif target.package is None:
            target.package = arg
        elif op_text is None:
            op_text = arg
            break
    if target.package is None:
        return None, Result("", "Error: Package name not specified.\n", 255)
    if op_text is None and require_op:
        return None, Result("", "Error: Operation not specified.\n", 255)
    if op_text is not None:
        code = ctx.model.ops.parse(op_text)
        if code is None:
            return None, Result("", f"Error: Unknown operation string: {op_text}\n", 255)
        target.op = code
    target.user = ctx.model.resolve_user(target.user)
    package = target.package
    uid = _parse_uid(package)
    if uid is not None:
        target.uid = uid
        target.package = None
        return target, None
    ctx.model.check_shell_access(target.user, "appops.user")
    pkg = ctx.model.installed(package, target.user)
    if pkg is None:
        return None, Result("", f"Error: No UID for {package} in user {target.user}\n", 255)
    target.uid = pkg.uid(target.user)
    return target, None


def _parse_uid(text: str) -> int | None:
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    match = re.fullmatch(r"u([0-9]+)([as])([0-9]+)", text)
    if match:
        user, kind, value = int(match[1]), match[2], int(match[3])
        return user * 100_000 + (value + 10_000 if kind == "a" else value)
    return None


def _owner(ctx: Ctx, uid: int) -> tuple[Package, int] | None:
    user, app_id = divmod(uid, 100_000)
    for pkg in ctx.model.packages.values():
        if pkg.app_id == app_id and pkg.installed_for(user):
            return pkg, user
    return None


def _get(ctx: Ctx, args: Args) -> Result:
    target, error = _parse(ctx, args, require_op=False)
    if error is not None or target is None:
        return error or Result(status=255)
    ops = ctx.model.ops
    owner = _owner(ctx, target.uid or 0)
    lines: list[str] = []
    if owner is not None:
        pkg, user = owner
        state = pkg.users[user]
        uid_entries = sorted(c for c in state.uid_ops if target.op in (None, c))
        logged = appops_records.last_access_suffixes(ctx, pkg.uid(user), pkg.name)
        logged_codes = {ops.code(name) for name in logged} - {None}
        pkg_entries = sorted(
            c
            for c in {*state.package_ops, *state.op_times, *logged_codes}
            if c is not None and target.op in (None, c)
        )
        if target.package is None:
            pkg_entries = []
        for index, code in enumerate(uid_entries):
            prefix = "Uid mode: " if index == 0 else ""
            lines.append(f"{prefix}{ops.name(code)}: {state.uid_ops[code]}\n")
        for code in pkg_entries:
            mode = state.package_ops.get(code, ops.default_mode(code))
            suffix = logged.get(ops.name(code), state.op_times.get(code, ""))
            lines.append(f"{ops.name(code)}: {mode}{suffix}\n")
    if not lines:
        text = "No operations.\n"
        if target.op is not None and target.op < len(ops.names):
            text += f"Default mode: {ops.default_mode(target.op)}\n"
        return Result(text)
    return Result("".join(lines))


def _set(ctx: Ctx, args: Args) -> Result:
    target, error = _parse(ctx, args, require_op=True)
    if error is not None or target is None:
        return error or Result(status=255)
    mode_text = args.next_arg()
    if mode_text is None:
        return Result("", "Error: Mode not specified.\n", 255)
    if mode_text in pf.MODE_NAMES:
        mode = mode_text
    elif re.fullmatch(r"[0-9]+", mode_text) and int(mode_text) < len(pf.MODE_NAMES):
        mode = pf.MODE_NAMES[int(mode_text)]
    else:
        return Result("", f"Error: Mode {mode_text} is not valid\n", 255)
    if mode == "foreground" and ctx.sdk < 28:
        return Result("", f"Error: Mode {mode_text} is not valid\n", 255)
    owner = _owner(ctx, target.uid or 0)
    if owner is None:
        ctx.model._enforce_appops()
        return Result()
    pkg, user = owner
    assert target.op is not None
    if target.package is not None and not target.targets_uid:
        ctx.model.set_package_mode(pkg, user, target.op, mode)
    else:
        ctx.model.set_uid_mode(pkg, user, target.op, mode)
    return Result()


def _query(ctx: Ctx, args: Args) -> Result:
    op_text = mode_text = None
    while (arg := args.next_arg()) is not None:
        if arg == "--user":
            parse_user(args.next_required(), "appops.args")
        elif op_text is None:
            op_text = arg
        elif mode_text is None:
            mode_text = arg
            break
    if op_text is None:
        return Result("", "Error: Operation not specified.\n", 255)
    code = ctx.model.ops.parse(op_text)
    if code is None:
        return Result("", f"Error: Unknown operation string: {op_text}\n", 255)
    mode = mode_text or "ignore"
    hits = []
    for name, pkg in ctx.model.packages.items():
        for state in pkg.users.values():
            if state.package_ops.get(code) == mode:
                hits.append(name)
                break
    if not hits:
        return Result("No operations.\n")
    return Result("".join(f"{n}\n" for n in hits))


def _reset(ctx: Ctx, args: Args) -> Result:
    user = -2
    package = None
    while (arg := args.next_arg()) is not None:
        if arg == "--user":
            user = parse_user(args.next_required(), "appops.args")
        elif package is None:
            package = arg
        else:
            return Result("", f"Error: Unsupported argument: {arg}\n", 255)
    user = ctx.model.resolve_user(user)
    ctx.model._enforce_appops()
    for name, pkg in ctx.model.packages.items():
        if package is not None and name != package:
            continue
        state = pkg.users.get(user)
        if state is not None:
            state.package_ops.clear()
            state.uid_ops.clear()
            ctx.model.sync_ops(pkg, user)
    who = f"user {user}" if user != -1 else "all users"
    what = f"package {package}" if package else "all packages"
    return Result(f"Reset all modes for: {who}, {what}\n")

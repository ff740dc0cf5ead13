"""`am` / `cmd activity`: standby buckets, force-stop, current user."""

from __future__ import annotations

from hardener.sim.android.commands.base import Args, Ctx, parse_user
from hardener.sim.android.javaorder import arraymap_order
from hardener.sim.android.model import (
    BUCKET_CALLERS,
    FORCE_STOP_CALLERS,
    AndroidException,
    illegal_argument,
)
from hardener.sim.android.shell import Result


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    if len(argv) < 2 or argv[1] in ("help", "-h"):
        return Result(_help(ctx.sdk), status=255)
    verb = argv[1]
    args = Args(argv[2:], site="amargs")
    try:
        if verb == "get-standby-bucket":
            return _get_bucket(ctx, args)
        if verb == "set-standby-bucket":
            return _set_bucket(ctx, args)
        if verb == "force-stop":
            return _force_stop(ctx, args)
        if verb == "get-current-user":
            return Result(f"{ctx.model.current_user}\n")
        return Result(f"Unknown command: {verb}\n", status=255)
    except AndroidException as exc:
        return ctx.fail(exc, verb)


def _user_option(ctx: Ctx, args: Args, default: int) -> tuple[int, Result | None]:
    user = default
    while (opt := args.next_option()) is not None:
        if opt == "--user":
            user = parse_user(args.next_required(), "amargs")
        else:
            return user, Result("", f"Error: Unknown option: {opt}\n", 255)
    return ctx.model.resolve_user(user), None


def _bucket_value(ctx: Ctx, name: str) -> int | None:
    lower = name.lower()
    prefixes = [("ac", 10), ("wo", 20), ("fr", 30), ("ra", 40)]
    if ctx.model.release.has_restricted_bucket:
        prefixes.append(("re", 45))
    prefixes.append(("ne", 50))
    for prefix, value in prefixes:
        if lower.startswith(prefix):
            return value
    try:
        return int(lower)
    except ValueError:
        return None


def _get_bucket(ctx: Ctx, args: Args) -> Result:
    user, error = _user_option(ctx, args, -2)
    if error:
        return error
    if user >= 0:
        ctx.model.check_shell_access(user, "amuser.runGetStandbyBucket", BUCKET_CALLERS)
    name = args.next_arg()
    model = ctx.model
    if name is not None:
        pkg = model.installed(name, user)
        if pkg is None:
            raise illegal_argument(
                f"Cannot get standby bucket for non existent package ({name})", "bucket.get"
            )
        return Result(f"{model.effective_bucket(pkg, user)}\n")
    lines = []
    for pkg_name in arraymap_order(model.packages):
        pkg = model.packages[pkg_name]
        if pkg.installed_for(user):
            lines.append(f"{pkg_name}: {model.effective_bucket(pkg, user)}\n")
    return Result("".join(lines))


def _set_bucket(ctx: Ctx, args: Args) -> Result:
    user, error = _user_option(ctx, args, -2)
    if error:
        return error
    name = args.next_required()
    value = args.next_required()
    if user >= 0:
        ctx.model.check_shell_access(
            user, "amuser.runSetStandbyBucket", BUCKET_CALLERS.replace("Get", "Set")
        )
    pairs = []
    bucket = _bucket_value(ctx, value)
    if bucket is None:
        return Result("", f"Error: Unknown bucket: {value}\n", 255)
    pairs.append((name, bucket))
    while (extra := args.next_arg()) is not None:
        extra_value = args.next_required()
        extra_bucket = _bucket_value(ctx, extra_value)
        if extra_bucket is None:
            continue
        pairs.append((extra, extra_bucket))
    for pkg_name, pkg_bucket in pairs:
        ctx.model.set_bucket(pkg_name, pkg_bucket, user)
    return Result()


def _force_stop(ctx: Ctx, args: Args) -> Result:
    user, error = _user_option(ctx, args, -1)
    if error:
        return error
    name = args.next_required()
    if user >= 0:
        ctx.model.check_shell_access(user, "amuser.runForceStop", FORCE_STOP_CALLERS)
    ctx.model.force_stop(name, user)
    return Result()


def _help(sdk: int) -> str:
    """ActivityManagerShellCommand.onHelp, limited to the commands this phone implements."""
    buckets = "active|working_set|frequent|rare" + ("|restricted" if sdk >= 31 else "")
    return (
        "Activity manager (activity) commands:\n"
        "  help\n"
        "      Print this help text.\n"
        "  force-stop [--user <USER_ID> | all | current] <PACKAGE>\n"
        "      Completely stop the given application package.\n"
        "  get-current-user\n"
        "      Returns id of the current foreground user.\n"
        f"  set-standby-bucket [--user <USER_ID>] <PACKAGE> {buckets}\n"
        f"  set-standby-bucket [--user <USER_ID>] <PACKAGE> <BUCKET> [<PACKAGE> <BUCKET> ...]\n"
        "      Puts an app in the standby bucket.\n"
        "  get-standby-bucket [--user <USER_ID>] <PACKAGE>\n"
        "      Returns the standby bucket of an app.\n"
    )

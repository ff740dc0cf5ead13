"""`pm` / `cmd package`: list packages and users, grants, permission flags, suspend, help."""

from __future__ import annotations

from hardener.sim.android import help_text
from hardener.sim.android import platform as pf
from hardener.sim.android.commands import dumpsys, permissions
from hardener.sim.android.commands.base import Args, Ctx, java_bool, parse_user
from hardener.sim.android.javaorder import arraymap_order, hashmap_order
from hardener.sim.android.model import PM_CALLERS, AndroidException, Package, security
from hardener.sim.android.shell import Result


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    """argv[0] is `pm` or the service name after `cmd`; argv[1] the verb."""
    if len(argv) < 2:
        return Result(help_text.pm_help(ctx.sdk), status=255)
    verb = argv[1]
    args = Args(argv[2:])
    handler = _VERBS.get(verb)
    if verb in ("set-permission-flags", "clear-permission-flags") and not (
        ctx.model.release.has_permission_flags_command
    ):
        handler = None
    try:
        if verb in ("help", "-h"):
            return Result(help_text.pm_help(ctx.sdk), status=255)
        if handler is None:
            return Result(f"Unknown command: {verb}\n", status=255)
        return handler(ctx, args)
    except AndroidException as exc:
        return ctx.fail(exc, verb)


def _translate_user(ctx: Ctx, user: int, method: str) -> int:
    user = ctx.model.resolve_user(user)
    if user >= 0:
        ctx.model.check_shell_access(user, f"pmuser.{method}", PM_CALLERS)
    return user


def _list(ctx: Ctx, args: Args) -> Result:
    kind = args.next_arg()
    if kind is None:
        return Result("Error: didn't specify type of data to list\n", status=255)
    if kind in ("package", "packages"):
        return _list_packages(ctx, args)
    if kind == "users":
        return list_users(ctx)
    if kind == "permission-groups":
        return permissions.list_groups(ctx)
    if kind == "permissions":
        return permissions.list_permissions(ctx, args)
    return Result(f"Error: unknown list type '{kind}'\n", status=255)


def list_users(ctx: Ctx) -> Result:
    lines = ["Users:\n"]
    for user in ctx.model.users:
        running = " running" if user.running else ""
        lines.append(f"\tUserInfo{{{user.id}:{user.name}:{user.flags:x}}}{running}\n")
    return Result("".join(lines))


def _enabled(state_enabled: int) -> bool:
    return state_enabled in (0, 1)


def _list_packages(ctx: Ctx, args: Args) -> Result:
    model = ctx.model
    sdk = ctx.sdk
    show_dir = show_installer = show_uid = show_version = False
    only_disabled = only_enabled = only_system = only_third = include_uninstalled = False
    uid_filter = -1
    user = -1 if model.release.hashmap_package_list else 0
    try:
        while (opt := args.next_option()) is not None:
            if opt == "-d":
                only_disabled = True
            elif opt == "-e":
                only_enabled = True
            elif opt == "-f":
                show_dir = True
            elif opt == "-i":
                show_installer = True
            elif opt == "-l":
                pass
            elif opt == "-s":
                only_system = True
            elif opt == "-U" and sdk >= 26:
                show_uid = True
            elif opt in ("-u", "-a") and (opt == "-u" or sdk >= 31):
                include_uninstalled = True
            elif opt == "-3":
                only_third = True
            elif opt == "--show-versioncode" and sdk >= 28:
                show_version = True
            elif opt == "--apex-only" and sdk >= 29:
                return Result()
            elif opt == "--user":
                user = parse_user(args.next_required(), "pmargs")
            elif opt == "--uid" and sdk >= 30:
                show_uid = True
                uid_filter = int(args.next_required())
            else:
                return Result(f"Error: Unknown option: {opt}\n", status=255)
    except (AndroidException, ValueError) as exc:
        text = (
            f"{exc.java_class}: {exc.message}"
            if isinstance(exc, AndroidException)
            else f"java.lang.NumberFormatException: {exc}"
        )
        return Result(f"Error: {text}\n", status=255)
    name_filter = args.next_arg()
    user = model.resolve_user(user)
    user_ids = model.user_ids() if user == -1 else [user]
    lines: dict[str, list[str]] = {}
    order: list[str] = []
    for user_id in user_ids:
        _translate_user(ctx, user_id, "runListPackages")
        if model.user(user_id) is None:
            continue
        for name in arraymap_order(model.packages):
            pkg = model.packages[name]
            state = pkg.users.get(user_id)
            if state is None or (not state.installed and not include_uninstalled):
                continue
            if name_filter is not None and name_filter not in name:
                continue
            uid = pkg.uid(user_id)
            if uid_filter != -1 and uid != uid_filter:
                continue
            enabled = _enabled(state.enabled)
            if (
                (only_disabled and enabled)
                or (only_enabled and not enabled)
                or (only_system and not pkg.system)
                or (only_third and pkg.system)
            ):
                continue
            line = "package:" + (pkg.source_dir + "=" if show_dir else "") + name
            if show_version:
                line += f" versionCode:{pkg.version_code}"
            if show_installer:
                line += f"  installer={pkg.installer}"
            if line not in lines:
                lines[line] = []
                order.append(line)
            if show_uid:
                lines[line].append(str(uid))
    if model.release.hashmap_package_list:
        order = hashmap_order(order)
    out = []
    for line in order:
        uids = lines[line]
        if uids and not model.release.hashmap_package_list:
            uids = uids[:1]
        out.append(line + (" uid:" + ",".join(uids) if uids else "") + "\n")
    return Result("".join(out))


def _grant_revoke(ctx: Ctx, args: Args, grant: bool) -> Result:
    user = 0
    while (opt := args.next_option()) is not None:
        if opt == "--user":
            user = parse_user(args.next_required(), "pmargs.user")
    pkg = args.next_arg()
    if pkg is None:
        return Result("", "Error: no package specified\n", 1)
    perm = args.next_arg()
    if perm is None:
        return Result("", "Error: no permission specified\n", 1)
    user = ctx.model.resolve_user(user)
    if user == -1:
        raise security("Call does not support special user #-1", "grant.user")
    if grant:
        ctx.model.grant(pkg, perm, user)
    else:
        ctx.model.revoke(pkg, perm, user)
    return Result()


def _flags(ctx: Ctx, args: Args, set_flags: bool) -> Result:
    user = 0
    while (opt := args.next_option()) is not None:
        if opt == "--user":
            user = parse_user(args.next_required(), "pmargs.user")
    pkg = args.next_arg()
    if pkg is None:
        return Result("", "Error: no package specified\n", 1)
    perm = args.next_arg()
    if perm is None:
        return Result("", "Error: no permission specified\n", 1)
    flag = args.next_arg()
    if flag is None:
        return Result("", "Error: no permission flags specified\n", 1)
    mask = 0
    while flag is not None:
        if flag not in pf.SHELL_FLAG_NAMES:
            listing = "[" + ", ".join(pf.SHELL_FLAG_LIST) + "]"
            return Result("", f"Error: specified flag {flag} is not one of {listing}\n", 1)
        mask |= pf.FLAG_BITS[pf.SHELL_FLAG_NAMES[flag]]
        flag = args.next_arg()
    ctx.model.update_flags(pkg, perm, mask, mask if set_flags else 0, ctx.model.resolve_user(user))
    return Result()


def _suspend(ctx: Ctx, args: Args, suspended: bool) -> Result:
    user = 0
    while (opt := args.next_option()) is not None:
        if opt == "--user":
            user = parse_user(args.next_required(), "pmargs.user")
        elif opt == "--dialogMessage":
            args.next_required()
        elif opt in ("--ael", "--aes", "--aed", "--lel", "--les", "--led"):
            args.next_required()
            args.next_required()
        else:
            return Result(f"Error: Unknown option: {opt}\n", status=1)
    names = args.remaining()
    if not names:
        return Result("Error: package name not specified\n", status=1)
    user = _translate_user(ctx, user, "runSuspend")
    out = []
    for name in names:
        if ctx.model.installed(name, user) is None:
            out.append(f"java.lang.IllegalArgumentException: Unknown target package: {name}\n")
            return Result("".join(out), status=1)
        state = ctx.model.suspend(name, suspended, user)
        out.append(f"Package {name} new suspended state: {java_bool(state)}\n")
    return Result("".join(out))


def _path(ctx: Ctx, args: Args) -> Result:
    user = 0
    if args.next_option() == "--user":
        user = parse_user(args.next_required(), "pmargs.user")
    name = args.next_arg()
    if name is None:
        return Result("", "Error: no package specified\n", 1)
    user = _translate_user(ctx, user, "runPath")
    pkg: Package | None = ctx.model.installed(name, user)
    if pkg is None:
        return Result(status=1)
    return Result(f"package:{pkg.source_dir}\n")


def _dump(ctx: Ctx, args: Args) -> Result:
    name = args.next_arg()
    if name is None:
        return Result("", "Error: no package specified\n", 1)
    return dumpsys.package_dump(ctx, [name])


_VERBS = {
    "list": _list,
    "grant": lambda c, a: _grant_revoke(c, a, True),
    "revoke": lambda c, a: _grant_revoke(c, a, False),
    "set-permission-flags": lambda c, a: _flags(c, a, True),
    "clear-permission-flags": lambda c, a: _flags(c, a, False),
    "suspend": lambda c, a: _suspend(c, a, True),
    "unsuspend": lambda c, a: _suspend(c, a, False),
    "path": _path,
    "dump": _dump,
}

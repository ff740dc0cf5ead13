"""`cmd deviceidle whitelist` (also `dumpsys deviceidle whitelist`): the device-wide allow-list."""

from __future__ import annotations

from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.javaorder import arraymap_order
from hardener.sim.android.shell import Result


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    if len(argv) < 2:
        from hardener.sim.android.commands.dumpsys import deviceidle_dump

        return Result(deviceidle_dump(ctx))
    verb = argv[1]
    if verb == "whitelist":
        return _whitelist(ctx, argv[2:])
    if verb == "enabled":
        return Result("1\n")
    if verb.startswith("-"):
        return Result(f"Unknown option: {verb}\n")
    return Result(f"Unknown command: {verb}\n", status=255 if ctx.sdk >= 29 else 0)


def _app_id(ctx: Ctx, name: str) -> int:
    pkg = ctx.model.packages.get(name)
    return pkg.app_id if pkg else 0


def _whitelist(ctx: Ctx, args: list[str]) -> Result:
    model = ctx.model
    if not args:
        lines: list[str] = []
        for kind, names in (
            ("system-excidle", model.whitelist_except_idle),
            ("system", model.whitelist_system),
            ("user", model.whitelist_user),
        ):
            lines.extend(f"{kind},{name},{_app_id(ctx, name)}\n" for name in arraymap_order(names))
        return Result("".join(lines))
    out = []
    for arg in args:
        if not arg or arg[0] not in "+-=":
            out.append(f"Package must be prefixed with +, -, or =: {arg}\n")
            return Result("".join(out), status=255 if ctx.sdk >= 29 else 0)
        op, name = arg[0], arg[1:]
        if op == "+":
            out.append(
                f"Added: {name}\n" if model.whitelist_add(name) else f"Unknown package: {name}\n"
            )
        elif op == "-":
            if model.whitelist_remove(name):
                out.append(f"Removed: {name}\n")
        else:
            out.append("true\n" if model.is_exempt(name) else "false\n")
    return Result("".join(out))

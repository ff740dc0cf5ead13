"""The command table the shell dispatches to, and `cmd SERVICE ...`."""

from __future__ import annotations

from collections.abc import Callable

from hardener.sim.android import dumpstate
from hardener.sim.android.commands import (
    am,
    appops,
    builtins,
    deviceidle,
    dumpsys,
    notification,
    pm,
    settings,
)
from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.shell import CommandFn, Result
from hardener.sim.android.storage import FileSystem

_SERVICES: dict[str, Callable[[Ctx, list[str], str], Result]] = {
    "package": pm.run,
    "activity": am.run,
    "appops": appops.run,
    "deviceidle": deviceidle.run,
    "notification": notification.run,
    "settings": settings.run,
}


def _cmd(ctx: Ctx, argv: list[str], stdin: str) -> Result:
    if len(argv) < 2:
        return Result(
            "",
            "cmd: No service specified; use -l to list all running services. "
            "Use -w to start and wait for a service.\n",
            20,
        )
    if argv[1] == "-l":
        names = sorted([*_SERVICES, "user"])
        return Result("Currently running services:\n" + "".join(f"  {n}\n" for n in names))
    service = argv[1]
    if service == "user" and len(argv) > 2 and argv[2] == "list":
        return pm.list_users(ctx)
    fn = _SERVICES.get(service)
    if fn is None:
        return Result("", f"cmd: Can't find service: {service}\n", 20)
    return fn(ctx, argv[1:], stdin)


def build(ctx: Ctx, storage: FileSystem | None = None) -> dict[str, CommandFn]:
    def bind(fn: Callable[[Ctx, list[str], str], Result]) -> CommandFn:
        return lambda argv, stdin: fn(ctx, argv, stdin)

    table: dict[str, CommandFn] = {
        "echo": builtins.echo,
        "true": builtins.true,
        "false": builtins.false,
        ":": builtins.true,
        "grep": builtins.grep,
        "head": builtins.head,
        "wc": builtins.wc,
        "tail": builtins.tail,
        "tr": builtins.tr,
        "cut": builtins.cut,
        "getprop": bind(builtins.getprop),
        "pm": bind(pm.run),
        "am": bind(am.run),
        "appops": bind(appops.run),
        "settings": bind(settings.run),
        "dumpsys": bind(dumpsys.run),
        "cmd": bind(_cmd),
    }
    if storage is not None:  # bugreportz runs the other commands for its sections
        fs = storage
        table["bugreportz"] = lambda argv, _stdin: dumpstate.bugreportz(ctx.model, fs, table, argv)
    return table

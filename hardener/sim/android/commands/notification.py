"""`cmd notification allow_listener|disallow_listener COMPONENT [USER]` (NotificationShellCmd)."""

from __future__ import annotations

from hardener.sim.android import zen as z
from hardener.sim.android.commands.base import Args, Ctx
from hardener.sim.android.model import AndroidException
from hardener.sim.android.shell import Result

# NotificationShellCmd (Android 11+): set_dnd's words -> NotificationManager interruption filter.
_DND_FILTERS = {
    "none": z.FILTER_NONE,
    "on": z.FILTER_NONE,
    "priority": z.FILTER_PRIORITY,
    "alarms": z.FILTER_ALARMS,
    "all": z.FILTER_ALL,
    "off": z.FILTER_ALL,
}


def _set_dnd(ctx: Ctx, args: Args, cmd: str) -> Result:
    """`set_dnd on|none|priority|alarms|all|off`: `setInterruptionFilter("com.android.shell",
    filter)`. Any exception is caught by onCommand and printed on stdout, exit status 0."""
    try:
        word = args.next_arg()
        if word is None:
            raise z.ZenError(f'Argument expected after "{cmd}"')
        ctx.model.zen.set_interruption_filter(
            _DND_FILTERS.get(word, z.FILTER_UNKNOWN), z.SHELL_PACKAGE
        )
    except (AndroidException, z.ZenError) as exc:
        message = exc.message if isinstance(exc, AndroidException) else str(exc)
        return Result(f"Error occurred. Check logcat for details. {message}\n")
    return Result()


def _component(text: str) -> str | None:
    """`ComponentName.unflattenFromString`, then `flattenToString` (expands `.Class`)."""
    pkg, sep, cls = text.partition("/")
    if not sep or not pkg or not cls:
        return None
    if cls.startswith("."):
        cls = pkg + cls
    return f"{pkg}/{cls}"


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    if len(argv) < 2:
        return Result("usage: cmd notification SUBCMD [args]\n", status=255)
    verb = argv[1].replace("-", "_")
    args = Args(argv[2:], site="amargs")
    if verb == "set_dnd" and ctx.sdk >= 30:
        return _set_dnd(ctx, args, argv[1])
    try:
        if verb in ("allow_listener", "disallow_listener"):
            text = args.next_required()
            component = _component(text)
            if component is None:
                return Result("Invalid listener - must be a ComponentName\n", status=255)
            user_text = args.next_arg()
            user = ctx.model.current_user if user_text is None else int(user_text)
            ctx.model.set_listener(component, user, verb == "allow_listener")
            return Result()
        return Result(f"Unknown command: {argv[1]}\n", status=255)
    except ValueError as exc:
        return ctx.fail(
            AndroidException("java.lang.NumberFormatException", str(exc), "amargs"), verb
        )
    except AndroidException as exc:
        return ctx.fail(exc, verb)

"""`cmd notification allow_listener|disallow_listener COMPONENT [USER]` (NotificationShellCmd)."""

from __future__ import annotations

from hardener.sim.android.commands.base import Args, Ctx
from hardener.sim.android.model import AndroidException
from hardener.sim.android.shell import Result


def _component(text: str) -> str | None:
    """`ComponentName.unflattenFromString`, then `flattenToString` (expands `.Class`)."""
    pkg, sep, cls = text.partition("/")
    if not sep or not pkg or not cls:
        return None
    if cls.startswith("."):
        cls = pkg + cls
    return f"{pkg}/{cls}"


def run(ctx: Ctx, argv: list[str], stdin: str) -> Result:
    if len(argv) < 2:
        return Result("usage: cmd notification SUBCMD [args]\n", status=255)
    verb = argv[1]
    args = Args(argv[2:], site="amargs")
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
        return Result(f"Unknown command: {verb}\n", status=255)
    except ValueError as exc:
        return ctx.fail(
            AndroidException("java.lang.NumberFormatException", str(exc), "amargs"), verb
        )
    except AndroidException as exc:
        return ctx.fail(exc, verb)

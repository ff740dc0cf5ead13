"""`settings [--user N] get|put|delete|list NAMESPACE ...` (SettingsService)."""

from __future__ import annotations

from hardener.sim.android.commands.base import Ctx, parse_user
from hardener.sim.android.model import AndroidException
from hardener.sim.android.shell import Result

_USAGE = """Settings provider (settings) commands:
  help
      Print this help text.
  get [--user <USER_ID> | current] NAMESPACE KEY
      Retrieve the current value of KEY.
  put [--user <USER_ID> | current] NAMESPACE KEY VALUE [TAG] [default]
      Change the contents of KEY to VALUE.
      TAG to associate with the setting.
      {default} to set as the default, case-insensitive only for global/secure namespace
  delete [--user <USER_ID> | current] NAMESPACE KEY
      Delete the entry for KEY.
  reset [--user <USER_ID> | current] NAMESPACE {PACKAGE_NAME | RESET_MODE}
      Reset the global/secure table for a package with mode.
      RESET_MODE is one of {untrusted_defaults, untrusted_clear, trusted_defaults}, case-insensitive
  list [--user <USER_ID> | current] NAMESPACE
      Print all defined keys.
      NAMESPACE is one of {system, secure, global}, case-insensitive
"""


def run(ctx: Ctx, argv: list[str], _stdin: str) -> Result:
    args = argv[1:]
    user = -2
    verb = table = key = value = None
    rest: list[str] = []
    try:
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--user" and verb is None and i + 1 < len(args):
                user = parse_user(args[i + 1], "settings")
                i += 2
                continue
            if verb is None:
                verb = arg
            elif table is None:
                table = arg.lower()
            elif key is None:
                key = arg
            elif value is None:
                value = arg
            else:
                rest.append(arg)
            i += 1
    except AndroidException as exc:
        return Result("", f"Error: {exc.java_class}: {exc.message}\n", 255)
    if verb in (None, "help", "-h"):
        return Result(_USAGE, status=0 if verb else 255)
    valid = table in ("system", "secure", "global") and (
        (verb == "get" and key is not None)
        or (verb == "put" and value is not None)
        or (verb == "delete" and key is not None)
        or verb == "list"
    )
    if not valid:
        return Result("", "Bad arguments\n" + _USAGE, 255)
    user_id = ctx.model.resolve_user(user)
    if user_id >= 0:
        try:
            ctx.model.check_shell_access(user_id, "settings")
        except AndroidException as exc:
            return ctx.fail(exc, verb or "get")
    store = ctx.model.settings_table(table or "secure", user_id)
    if verb == "get":
        return Result(f"{store.get(key or '', 'null')}\n")
    if verb == "put":
        store[key or ""] = value or ""
        ctx.model.setting_changed(table or "", key or "")
        return Result()
    if verb == "delete":
        existed = store.pop(key or "", None) is not None
        ctx.model.setting_changed(table or "", key or "")
        return Result(f"Deleted {1 if existed else 0} rows\n")
    return Result("".join(f"{k}={store[k]}\n" for k in sorted(store)))

"""Do Not Disturb ("zen"): `settings get global zen_mode` and the zen section of
`dumpsys notification --zen`.

`settings get global zen_mode` prints `Settings.Global.ZEN_MODE_*`: 0 off, 1 important
interruptions ("priority only"), 2 no interruptions (total silence), 3 alarms only; `null`
when unset. ZenModeHelper writes the real mode back whenever someone else writes the
setting, so the value read is the mode in force.

`dumpsys notification --zen` (NotificationManagerService `dumpImpl` with the zen filter,
`ZenModeHelper.dump`) prints, under `Zen Mode:`::

    mInterruptionFilter=1
    mZenMode=ZEN_MODE_OFF
    mConsolidatedPolicy=NotificationManager.Policy[...]          (Android 10+)
    mConfigs[u=0]=allow(alarms=true,...,calls=true,callsFrom=stars,repeatCallers=true,
      messages=false,messagesFrom=stars,[conversations=...,conversationsFrom=...,]
      events=false,reminders=false)
     disallow(visualEffects=511)              (one space before Android 11, prefixed after)
      manualRule=null | ZenRule[enabled=TRUE,...,zenMode=...,...]
      automaticRules=ZenRule[enabled=TRUE,snoozing=false,name=Sleeping,...,condition.state=true]
                     ZenRule[...]              (one per further rule)
    mUser=0
    mConfig=allow(...)                        (the current user's config, same shape)

`ZenModeConfig.sourceToString` names senders `anyone`, `contacts`, `stars`. Only the
`mConfig=` block (the current user's) is read; `mConfigs[u=N]` blocks are skipped. Lines
that do not fit are skipped; the parser never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hardener.android.parsers.text import RawText, lines, to_text

ZEN_OFF = 0
ZEN_PRIORITY = 1
ZEN_TOTAL_SILENCE = 2
ZEN_ALARMS = 3
ZEN_MODES = (ZEN_OFF, ZEN_PRIORITY, ZEN_TOTAL_SILENCE, ZEN_ALARMS)
_MODE_NAMES = {
    "ZEN_MODE_OFF": ZEN_OFF,
    "ZEN_MODE_IMPORTANT_INTERRUPTIONS": ZEN_PRIORITY,
    "ZEN_MODE_NO_INTERRUPTIONS": ZEN_TOTAL_SILENCE,
    "ZEN_MODE_ALARMS": ZEN_ALARMS,
}
SENDERS = ("anyone", "contacts", "stars")  # ZenModeConfig.sourceToString
_SENDER_NUMBERS = {"0": "anyone", "1": "contacts", "2": "stars"}

_ALLOW = re.compile(r"allow\(([^()]*)\)")
_RULE = re.compile(r"ZenRule\[(.*)\]")


@dataclass(frozen=True)
class ZenRule:
    """A manual or automatic rule as the dump prints it."""

    name: str
    mode: int | None
    enabled: bool
    snoozing: bool
    active: bool  # `condition.state=true` (automatic rules); the manual rule is active


@dataclass(frozen=True)
class ZenDump:
    """What `dumpsys notification --zen` says about Do Not Disturb. None: not printed."""

    mode: int | None = None
    calls: bool | None = None
    calls_from: str | None = None  # anyone / contacts / stars
    repeat_callers: bool | None = None
    messages: bool | None = None
    messages_from: str | None = None
    alarms: bool | None = None
    manual_rule: ZenRule | None = None
    automatic_rules: tuple[ZenRule, ...] = ()

    @property
    def found(self) -> bool:
        """The dump had a zen section with a policy (else nothing here can be trusted)."""
        return self.calls is not None

    @property
    def schedules_on(self) -> tuple[str, ...]:
        """Names of the person's automatic rules holding DND on now."""
        return tuple(
            rule.name
            for rule in self.automatic_rules
            if rule.enabled and rule.active and not rule.snoozing and rule.mode
        )


def parse_zen_mode(text: RawText) -> int | None:
    """`settings get global zen_mode`: 0..3, or None (unset, an error, anything else)."""
    value = to_text(text).strip()
    if value.isascii() and value.isdigit() and int(value) in ZEN_MODES:
        return int(value)
    return None


def parse_zen_dump(text: RawText) -> ZenDump:
    """The zen section of `dumpsys notification [--zen]`; empty `ZenDump` if there is none."""
    mode: int | None = None
    allow: dict[str, str] = {}
    manual: ZenRule | None = None
    automatic: list[ZenRule] = []
    in_config = False  # inside the `mConfig=` block (the current user's)
    in_rules = False
    for line in lines(to_text(text)):
        stripped = line.strip()
        if stripped.startswith("mZenMode="):
            mode = _mode(stripped.removeprefix("mZenMode="))
            in_config = in_rules = False
            continue
        if stripped.startswith("mConfig="):
            in_config, in_rules = True, False
            match = _ALLOW.search(stripped)
            if match:
                allow = _pairs(match.group(1))
            continue
        if stripped.startswith(("mConfigs[", "mUser=", "mSuppressedEffects=", "mDefault")) or (
            stripped.endswith(":") and not stripped.startswith("ZenRule")
        ):
            in_config = in_rules = False
            continue
        if not in_config:
            continue
        if stripped.startswith("manualRule="):
            in_rules = False
            manual = _rule(stripped.removeprefix("manualRule="), manual=True)
        elif stripped.startswith("automaticRules="):
            in_rules = True
            rule = _rule(stripped.removeprefix("automaticRules="), manual=False)
            if rule is not None:
                automatic.append(rule)
        elif in_rules and stripped.startswith("ZenRule["):
            rule = _rule(stripped, manual=False)
            if rule is not None:
                automatic.append(rule)
        elif not stripped.startswith("disallow("):
            in_rules = False
    return ZenDump(
        mode=mode,
        calls=_bool(allow.get("calls")),
        calls_from=_sender(allow.get("callsFrom")),
        repeat_callers=_bool(allow.get("repeatCallers")),
        messages=_bool(allow.get("messages")),
        messages_from=_sender(allow.get("messagesFrom")),
        alarms=_bool(allow.get("alarms")),
        manual_rule=manual,
        automatic_rules=tuple(automatic),
    )


def _mode(text: str) -> int | None:
    text = text.strip()
    if text in _MODE_NAMES:
        return _MODE_NAMES[text]
    if text.isascii() and text.isdigit() and int(text) in ZEN_MODES:
        return int(text)
    return None


def _pairs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if sep:
            out.setdefault(key.strip(), value.strip())
    return out


def _bool(text: str | None) -> bool | None:
    if text is None:
        return None
    low = text.lower()
    return True if low == "true" else False if low == "false" else None


def _sender(text: str | None) -> str | None:
    if text is None:
        return None
    if text in SENDERS:
        return text
    return _SENDER_NUMBERS.get(text)


def _rule(text: str, *, manual: bool) -> ZenRule | None:
    match = _RULE.search(text)
    if match is None:
        return None
    fields = _pairs(match.group(1))
    return ZenRule(
        name=fields.get("name", "") if fields.get("name") != "null" else "",
        mode=_mode(fields.get("zenMode", "")),
        enabled=_bool(fields.get("enabled")) is not False,
        snoozing=_bool(fields.get("snoozing")) is True,
        active=manual or _bool(fields.get("condition.state")) is True,
    )

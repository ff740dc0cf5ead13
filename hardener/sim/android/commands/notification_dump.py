"""`dumpsys notification [--zen] [--noredact]`: zen state and notification listeners.

Derived from AOSP, not captured (no real `dumpsys notification` capture was found):
`NotificationManagerService.dumpImpl` (section order and titles: `Zen Mode:` with
`mInterruptionFilter=`, `Zen Log:`, `Ranking Config:`, `Notification listeners:` with
`mListenerHints` / `mListenersDisablingEffects`, `Notification assistant services:`,
`Policy access:`, `Condition providers:`; `--zen` prints only the zen sections),
`ZenModeHelper.dump` (`mZenMode=`, `mConsolidatedPolicy=` from Android 10, `mConfigs[u=N]=`,
`mUser=`, `mConfig=`, `mSuppressedEffects=`), its `dump(ZenModeConfig)` (`allow(...)` with
`conversations=`/`conversationsFrom=` from Android 11, the `disallow(...)` line unprefixed
with one space before 11 and prefixed with two after), `ZenModeFiltering.dump`,
`ManagedServices.dump` (`Allowed notification listeners:`, `All notification listeners (N)
enabled for current profiles:`, `Live notification listeners (N):`, `Snoozed ...`; `Has user
set:` from Android 12) and `ZenLog.dump` (`MM-dd HH:mm:ss.SSS type: message`).

What is simplified: the notification records, usage stats and ranking sections are empty;
`ZenRule` and `NotificationManager.Policy` strings follow the AOSP field order but their
flag-name lists are not checked against a device; live listeners are every enabled one;
ZenLog's intercepted / not_intercepted entries name `call|NUMBER` or `sms|NUMBER` where a
phone names the dialer's or SMS app's notification key.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hardener.sim.android import zen as z
from hardener.sim.android.commands.base import Ctx
from hardener.sim.android.javaorder import arraymap_order, identity_hash, signed32, string_hash
from hardener.sim.android.shell import Result

_PRIORITY_CATEGORIES = [  # NotificationManager.Policy.PRIORITY_CATEGORY_*, bit order
    ("REMINDERS", "reminders"),
    ("EVENTS", "events"),
    ("MESSAGES", "messages"),
    ("CALLS", "calls"),
    ("REPEAT_CALLERS", "repeat_callers"),
    ("ALARMS", "alarms"),
    ("MEDIA", "media"),
    ("SYSTEM", "system"),
    ("CONVERSATIONS", "conversations"),
]
_SENDERS = {
    z.SOURCE_ANYONE: "PRIORITY_SENDERS_ANY",
    z.SOURCE_CONTACT: "PRIORITY_SENDERS_CONTACTS",
    z.SOURCE_STAR: "PRIORITY_SENDERS_STARRED",
}
_EFFECTS = [
    "SUPPRESSED_EFFECT_SCREEN_OFF",
    "SUPPRESSED_EFFECT_SCREEN_ON",
    "SUPPRESSED_EFFECT_FULL_SCREEN_INTENT",
    "SUPPRESSED_EFFECT_LIGHTS",
    "SUPPRESSED_EFFECT_PEEK",
    "SUPPRESSED_EFFECT_STATUS_BAR",
    "SUPPRESSED_EFFECT_BADGE",
    "SUPPRESSED_EFFECT_AMBIENT",
    "SUPPRESSED_EFFECT_NOTIFICATION_LIST",
]
DIALERS = ("com.google.android.dialer", "com.android.dialer", "com.samsung.android.dialer")


def run(ctx: Ctx, args: list[str]) -> Result:
    zen_only = "--zen" in args
    out = ["Current Notification Manager state:\n"]
    if not zen_only:
        out.append("  mArchive=Archive (0 notifications)\n")
        out.append("\n  Usage Stats:\n")
    out.append("\n  Zen Mode:\n")
    out.append(f"    mInterruptionFilter={ctx.model.zen.interruption_filter}\n")
    out.append(zen_helper_dump(ctx, "    "))
    out.append("\n  Zen Log:\n")
    out.append(zen_log_dump(ctx, "    "))
    if not zen_only:
        out.append("\n  Ranking Config:\n")
        out.append("\n  Notification listeners:\n")
        out.append(listeners_dump(ctx))
        out.append("    mListenerHints: 0\n")
        out.append("    mListenersDisablingEffects: ()\n")
        out.append("\n  Notification assistant services:\n")
        out.append("    All notification assistant services (0) enabled for current profiles:\n")
        out.append("    Live notification assistant services (0):\n")
        out.append("\n  Policy access:\n")
        out.append("    mPolicyAccess: {}\n")
    out.append("\n  Condition providers:\n")
    return Result("".join(out))


# ---------------------------------------------------------------------------- zen


def zen_helper_dump(ctx: Ctx, prefix: str) -> str:
    zen = ctx.model.zen
    sdk = ctx.sdk
    out = [f"{prefix}mZenMode={z.ZEN_MODE_NAMES[zen.mode]}\n"]
    if sdk >= 29:
        out.append(f"{prefix}mConsolidatedPolicy={policy_string(zen.policy, sdk)}\n")
    config = config_dump(ctx, prefix)
    for user in ctx.model.users:
        if user.flags & 0x20:  # profiles share their parent's config
            continue
        out.append(f"{prefix}mConfigs[u={user.id}]={config}")
    out.append(f"{prefix}mUser={ctx.model.current_user}\n")
    out.append(f"{prefix}mConfig={config}")
    out.append(f"{prefix}mSuppressedEffects=0\n")
    out.append(f"{prefix}mDefaultPhoneApp={_dialer(ctx)}\n")
    out.append(f"{prefix}RepeatCallers.mThresholdMinutes={z.REPEAT_CALLERS_WINDOW_S // 60}\n")
    out.append(f"{prefix}mSubscriptions={{}}\n")
    return "".join(out)


def config_dump(ctx: Ctx, prefix: str) -> str:
    """`ZenModeHelper.dump(pw, prefix, var, config)` after the `var=`."""
    p = ctx.model.zen.policy
    sdk = ctx.sdk

    def b(value: bool) -> str:
        return "true" if value else "false"

    allow = (
        f"allow(alarms={b(p.alarms)},media={b(p.media)},system={b(p.system)},"
        f"calls={b(p.calls)},callsFrom={z.SOURCE_NAMES[p.calls_from]},"
        f"repeatCallers={b(p.repeat_callers)},messages={b(p.messages)},"
        f"messagesFrom={z.SOURCE_NAMES[p.messages_from]},"
    )
    if sdk >= 30:
        allow += (
            f"conversations={b(p.conversations)},"
            f"conversationsFrom={z.CONVERSATION_NAMES[p.conversations_from]},"
        )
    allow += f"events={b(p.events)},reminders={b(p.reminders)})\n"
    disallow = f"disallow(visualEffects={p.suppressed_visual_effects})\n"
    lines = [allow, f"{prefix}  {disallow}" if sdk >= 30 else f" {disallow}"]
    manual = ctx.model.zen.manual_rule
    lines.append(f"{prefix}  manualRule={rule_string(manual, sdk) if manual else 'null'}\n")
    for index, rule in enumerate(ctx.model.zen.automatic_rules.values()):
        lead = "  automaticRules=" if index == 0 else " " * 17
        lines.append(f"{prefix}{lead}{rule_string(rule, sdk)}\n")
    return "".join(lines)


def rule_string(rule: z.ZenRule, sdk: int) -> str:
    fields = [
        f"enabled={str(rule.enabled).upper()}",
        f"snoozing={'true' if rule.snoozing else 'false'}",
        f"name={'null' if rule.name is None else rule.name}",
        f"zenMode={z.ZEN_MODE_NAMES[rule.zen_mode]}",
        "conditionId=null" if rule.id == "MANUAL_RULE" else f"conditionId=condition://{rule.id}",
    ]
    if sdk >= 30:
        fields.append(f"pkg={rule.pkg}")
    fields += [
        "component=null",
        f"creationTime={rule.creation_time}",
        f"enabler={rule.enabler}",
        "zenPolicy=null",
    ]
    state = "true" if rule.active else "false"
    fields.append("condition=null" if rule.id == "MANUAL_RULE" else f"condition.state={state}")
    return "ZenRule[" + ",".join(fields) + "]"


def policy_string(policy: z.ZenPolicy, sdk: int) -> str:
    """`NotificationManager.Policy.toString()` (Android 10+)."""
    cats = [
        "PRIORITY_CATEGORY_" + name
        for name, attr in _PRIORITY_CATEGORIES
        if getattr(policy, attr) and (attr != "conversations" or sdk >= 30)
    ]
    effects = [
        name for bit, name in enumerate(_EFFECTS) if policy.suppressed_visual_effects & (1 << bit)
    ]
    text = (
        "NotificationManager.Policy[priorityCategories=" + ",".join(cats)
        + f",priorityCallSenders={_SENDERS[policy.calls_from]}"
        + f",priorityMessageSenders={_SENDERS[policy.messages_from]}"
    )  # fmt: skip
    if sdk >= 30:
        text += f",priorityConvSenders={z.CONVERSATION_NAMES[policy.conversations_from]}"
    text += ",suppressedVisualEffects=" + ",".join(effects)
    return text + ",areChannelsBypassingDnd=false]"


def zen_log_dump(ctx: Ctx, prefix: str) -> str:
    tz = ZoneInfo(ctx.model.props.get("persist.sys.timezone") or "UTC")
    out = []
    for entry in ctx.model.zen.zen_log[-100:]:  # ZenLog keeps the last SIZE entries
        when = dt.datetime.fromtimestamp(entry.wall, tz)
        stamp = when.strftime("%m-%d %H:%M:%S.") + f"{when.microsecond // 1000:03d}"
        out.append(f"{prefix}{stamp} {entry.type}: {entry.message}\n")
    return "".join(out)


def _dialer(ctx: Ctx) -> str | None:
    return next((name for name in DIALERS if name in ctx.model.packages), None)


# ---------------------------------------------------------------------- listeners


def _component_order(components: list[str]) -> list[str]:
    """ArraySet<ComponentName> order: `ComponentName.hashCode` = package + class hashes."""

    def key(component: str) -> int:
        pkg, _, cls = component.partition("/")
        return signed32((string_hash(pkg) + string_hash(cls)) & 0xFFFFFFFF)

    return sorted(dict.fromkeys(components), key=key)


def listeners_dump(ctx: Ctx) -> str:
    model = ctx.model
    out = ["    Allowed notification listeners:\n"]
    enabled: list[tuple[int, str]] = []
    for user in model.users:
        approved = model.listeners(user.id)
        if approved:
            joined = ":".join(arraymap_order(approved))
            out.append(f"      {joined} (user: {user.id} isPrimary: true)\n")
        if user.id == model.current_user or user.parent == model.current_user:
            enabled += [(user.id, c) for c in approved if model.installed(c.split("/")[0], user.id)]
    if ctx.sdk >= 31:
        out.append("    Has user set:\n")
    components = _component_order([c for _, c in enabled])
    out.append(
        f"    All notification listeners ({len(components)}) enabled for current profiles:\n"
    )
    out += [f"      ComponentInfo{{{c}}}\n" for c in components]
    out.append(f"    Live notification listeners ({len(enabled)}):\n")
    for user_id, component in enabled:
        proxy = identity_hash("listener", user_id, component)
        out.append(
            f"      ComponentInfo{{{component}}} (user {user_id}): "
            f"android.service.notification.INotificationListener$Stub$Proxy@{proxy}\n"
        )
    out.append("    Snoozed notification listeners (0):\n")
    return "".join(out)

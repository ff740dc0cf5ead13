"""Do Not Disturb ("zen") on the virtual phone: mode, policy, rules, and who gets through.

The model behind `cmd notification set_dnd`, `settings get/put global zen_mode`, the zen
section of `dumpsys notification` and incoming calls and SMS. Derived from AOSP
(`NotificationManagerService.setInterruptionFilter`, `ZenModeHelper.setManualZenMode` /
`computeZenMode` / `SettingsObserver`, `ZenModeFiltering.shouldIntercept`,
`ZenModeFiltering.RepeatCallers`, `ZenModeConfig`, `core/res/res/xml/default_zen_mode_config.xml`);
no capture of these outputs was found, so every format built on it is marked derived.

API (what a DND lever on the hardener side can rely on the virtual phone to do)::

    zen = model.zen                       # one per phone (ZenModeHelper is per device)
    zen.mode                              # ZEN_MODE_OFF, _IMPORTANT_INTERRUPTIONS, _ALARMS, ...
    zen.policy                            # ZenPolicy: what priority mode lets through
    zen.set_interruption_filter(FILTER_PRIORITY, "com.android.shell")   # `cmd notification set_dnd`
    zen.set_manual_mode(ZEN_MODE_OFF, "com.android.systemui")          # the person, by hand
    zen.add_rule(ZenRule("bedtime", "Sleeping", ZEN_MODE_IMPORTANT_INTERRUPTIONS))
    zen.set_rule_active("bedtime", True)  # the person's own schedule starts (or ends)
    zen.incoming(CALL, "+8613800000000", at=seconds)   # -> Interruption(rang=..., reason=...)
    zen.log                               # every Interruption, in order (the evidence to count)

Semantics kept from AOSP:

* The zen mode is the manual rule's mode if there is one, else the most restrictive mode
  among active, enabled, not snoozed automatic rules (`computeZenMode`), else off.
* Turning DND off by hand or by `set_dnd off` removes the manual rule *and snoozes* the
  automatic rules active now (`setManualZenMode(ZEN_MODE_OFF)`): a bedtime schedule stays
  off until it ends and starts again.
* `settings put global zen_mode N` does not change the mode: ZenModeHelper's settings
  observer writes the real mode back (`SettingsObserver.update`, "Fixing zen mode setting").
  The virtual phone writes it back `SETTING_FIX_DELAY_S` after the put. So before Android 11
  (no `set_dnd`) the shell has no way to turn DND on.
* Priority mode (`ZEN_MODE_IMPORTANT_INTERRUPTIONS`): a call rings when the caller is a
  repeat caller (same number within `REPEAT_CALLERS_WINDOW_S`, 15 minutes, and the policy
  allows repeat callers), else when calls are allowed and the caller matches `calls_from`
  (anyone / contacts / starred contacts). An SMS likewise with `messages` / `messages_from`.
  Total silence and alarms-only silence every call and SMS. Off lets everything ring.
  Every incoming call is remembered for the repeat-caller check, rung or not.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# Settings.Global.ZEN_MODE_* (the value of `settings get global zen_mode`).
ZEN_MODE_OFF = 0
ZEN_MODE_IMPORTANT_INTERRUPTIONS = 1
ZEN_MODE_NO_INTERRUPTIONS = 2
ZEN_MODE_ALARMS = 3
ZEN_MODE_NAMES = {
    ZEN_MODE_OFF: "ZEN_MODE_OFF",
    ZEN_MODE_IMPORTANT_INTERRUPTIONS: "ZEN_MODE_IMPORTANT_INTERRUPTIONS",
    ZEN_MODE_NO_INTERRUPTIONS: "ZEN_MODE_NO_INTERRUPTIONS",
    ZEN_MODE_ALARMS: "ZEN_MODE_ALARMS",
}

# NotificationManager.INTERRUPTION_FILTER_* (what set_dnd passes to setInterruptionFilter).
FILTER_UNKNOWN = 0
FILTER_ALL = 1
FILTER_PRIORITY = 2
FILTER_NONE = 3
FILTER_ALARMS = 4
_FILTER_TO_ZEN = {
    FILTER_ALL: ZEN_MODE_OFF,
    FILTER_PRIORITY: ZEN_MODE_IMPORTANT_INTERRUPTIONS,
    FILTER_NONE: ZEN_MODE_NO_INTERRUPTIONS,
    FILTER_ALARMS: ZEN_MODE_ALARMS,
}
_ZEN_TO_FILTER = {zen: flt for flt, zen in _FILTER_TO_ZEN.items()}

# ZenModeConfig.SOURCE_* (who may call or message in priority mode).
SOURCE_ANYONE = 0
SOURCE_CONTACT = 1
SOURCE_STAR = 2
SOURCE_NAMES = {SOURCE_ANYONE: "anyone", SOURCE_CONTACT: "contacts", SOURCE_STAR: "stars"}

# ZenPolicy.CONVERSATION_SENDERS_* (Android 11+).
CONVERSATION_ANYONE = 1
CONVERSATION_IMPORTANT = 2
CONVERSATION_NONE = 3
CONVERSATION_NAMES = {
    0: "unset",
    CONVERSATION_ANYONE: "anyone",
    CONVERSATION_IMPORTANT: "important",
    CONVERSATION_NONE: "none",
}

CALL = "call"
SMS = "sms"

REPEAT_CALLERS_WINDOW_S = 15 * 60  # config_zen_repeat_callers_threshold, minutes
SETTING_FIX_DELAY_S = 0.002  # the settings observer runs on a handler, soon after the put

SHELL_PACKAGE = "com.android.shell"
SYSTEMUI_PACKAGE = "com.android.systemui"


class ZenError(ValueError):
    """An argument the real service would refuse (`IllegalArgumentException`)."""


@dataclass
class ZenPolicy:
    """`ZenModeConfig`'s allow/disallow fields; defaults are AOSP's default_zen_mode_config."""

    alarms: bool = True
    media: bool = True
    system: bool = False
    calls: bool = True
    calls_from: int = SOURCE_STAR
    repeat_callers: bool = True
    messages: bool = False
    messages_from: int = SOURCE_STAR
    conversations: bool = True
    conversations_from: int = CONVERSATION_IMPORTANT
    events: bool = False
    reminders: bool = False
    suppressed_visual_effects: int = 511


@dataclass
class ZenRule:
    """An automatic rule (a schedule such as "Sleeping"), or the manual rule."""

    id: str
    name: str | None
    zen_mode: int
    enabled: bool = True
    active: bool = False  # its condition is true now (the schedule is running)
    snoozing: bool = False
    pkg: str = "android"
    enabler: str | None = None
    creation_time: int = 0


@dataclass(frozen=True)
class Interruption:
    """One incoming call or SMS and what the phone did with it."""

    kind: str  # CALL or SMS
    number: str
    at: float
    rang: bool  # False: silenced by Do Not Disturb
    reason: str  # ZenModeFiltering's reason: "off", "repeatCaller", "!allowCalls", ...
    zen_mode: int


@dataclass(frozen=True)
class ZenLogEntry:
    """One line of `ZenLog` (the `Zen Log:` section of `dumpsys notification`)."""

    wall: float
    type: str  # "set_zen_mode", "intercepted", "not_intercepted", "config", ...
    message: str


@dataclass
class Zen:
    """ZenModeHelper + ZenModeFiltering for one phone. Mutated under the device's lock."""

    sdk: int
    policy: ZenPolicy = field(default_factory=ZenPolicy)
    contacts: set[str] = field(default_factory=set)  # numbers in the contacts
    starred: set[str] = field(default_factory=set)  # starred contacts (also contacts)
    manual_rule: ZenRule | None = None
    automatic_rules: dict[str, ZenRule] = field(default_factory=dict)
    log: list[Interruption] = field(default_factory=list)
    zen_log: list[ZenLogEntry] = field(default_factory=list)
    # Called with the new mode whenever the computed mode is (re)written to the setting.
    on_mode: Callable[[int], None] = lambda _mode: None
    wall: Callable[[], float] = time.time
    _calls: dict[str, float] = field(default_factory=dict)  # number -> last call time

    # ---- state -----------------------------------------------------------------------

    @property
    def mode(self) -> int:
        """`computeZenMode`: the manual rule wins, else the most restrictive active rule."""
        if self.manual_rule is not None:
            return self.manual_rule.zen_mode
        best = ZEN_MODE_OFF
        for rule in self.automatic_rules.values():
            if rule.enabled and rule.active and not rule.snoozing:
                best = max(best, rule.zen_mode, key=_restrictiveness)
        return best

    @property
    def interruption_filter(self) -> int:
        """`NotificationManagerService.mInterruptionFilter` for the current mode."""
        return _ZEN_TO_FILTER[self.mode]

    def active_rules(self) -> list[ZenRule]:
        return [
            rule
            for rule in self.automatic_rules.values()
            if rule.enabled and rule.active and not rule.snoozing
        ]

    # ---- changes ---------------------------------------------------------------------

    def set_interruption_filter(self, interruption_filter: int, caller: str) -> None:
        """`INotificationManager.setInterruptionFilter(pkg, filter)` (`set_dnd`)."""
        zen = _FILTER_TO_ZEN.get(interruption_filter)
        if zen is None:
            raise ZenError(f"Invalid filter: {interruption_filter}")
        self.set_manual_mode(zen, caller, "setInterruptionFilter")

    def set_manual_mode(self, zen_mode: int, caller: str, reason: str = "manual") -> None:
        """`ZenModeHelper.setManualZenMode`: a manual rule, or none and active rules snoozed."""
        if zen_mode not in ZEN_MODE_NAMES:
            raise ZenError(f"Invalid zen mode: {zen_mode}")
        if zen_mode == ZEN_MODE_OFF:
            self.manual_rule = None
            for rule in self.automatic_rules.values():
                if rule.enabled and rule.active:
                    rule.snoozing = True
        else:
            self.manual_rule = ZenRule(
                id="MANUAL_RULE",
                name=None,
                zen_mode=zen_mode,
                active=True,
                pkg=caller,
                enabler=caller,
                creation_time=int(self.wall() * 1000),
            )
        self._evaluate(reason)

    def add_rule(self, rule: ZenRule) -> None:
        """An automatic rule the person made (e.g. a bedtime schedule)."""
        self.automatic_rules[rule.id] = rule
        self._evaluate("addAutomaticZenRule")

    def set_rule_active(self, rule_id: str, active: bool) -> None:
        """The rule's condition turns true (schedule starts) or false (it ends: unsnoozed)."""
        rule = self.automatic_rules[rule_id]
        rule.active = active
        if not active:
            rule.snoozing = False
        self._evaluate("conditionChanged")

    def setting_written(self) -> None:
        """`SettingsObserver.update`: someone wrote `zen_mode`; the real mode is written back."""
        self.zen_log.append(ZenLogEntry(self.wall(), "set_zen_mode", "updated setting"))
        self.on_mode(self.mode)

    def _evaluate(self, reason: str) -> None:
        self.zen_log.append(
            ZenLogEntry(self.wall(), "set_zen_mode", f"{ZEN_MODE_NAMES[self.mode]},{reason}")
        )
        self.on_mode(self.mode)

    # ---- who gets through ---------------------------------------------------------------

    def incoming(self, kind: str, number: str, at: float | None = None) -> Interruption:
        """An incoming call or SMS from `number`: does it ring? Logged in `log`."""
        if kind not in (CALL, SMS):
            raise ZenError(f"kind must be {CALL!r} or {SMS!r}, not {kind!r}")
        when = self.wall() if at is None else at
        number = normalize_number(number)
        intercept, reason = self._should_intercept(kind, number, when)
        if kind == CALL:
            self._calls[number] = when  # RepeatCallers.recordCall: every call counts
        event = Interruption(kind, number, when, not intercept, reason, self.mode)
        self.log.append(event)
        key = f"{kind}|{number}"
        self.zen_log.append(
            ZenLogEntry(
                self.wall(), "intercepted" if intercept else "not_intercepted", f"{key},{reason}"
            )
        )
        return event

    def _should_intercept(self, kind: str, number: str, when: float) -> tuple[bool, str]:
        mode = self.mode
        if mode == ZEN_MODE_OFF:
            return False, "off"
        if mode == ZEN_MODE_NO_INTERRUPTIONS:
            return True, "none"
        if mode == ZEN_MODE_ALARMS:
            return True, "alarmsOnly"
        policy = self.policy
        if kind == CALL:
            last = self._calls.get(number)
            if (
                policy.repeat_callers
                and last is not None
                and 0 <= when - last <= (REPEAT_CALLERS_WINDOW_S)
            ):
                return False, "repeatCaller"
            if not policy.calls:
                return True, "!allowCalls"
            return self._audience(policy.calls_from, number)
        if not policy.messages:
            return True, "!allowMessages"
        return self._audience(policy.messages_from, number)

    def _audience(self, source: int, number: str) -> tuple[bool, str]:
        if source == SOURCE_ANYONE:
            return False, "audienceMatches"
        if source == SOURCE_CONTACT:
            if number in self.contacts or number in self.starred:
                return False, "audienceMatches"
            return True, "!audienceMatches:contact"
        if number in self.starred:
            return False, "audienceMatches"
        return True, "!audienceMatches:starred"


def _restrictiveness(zen_mode: int) -> int:
    """ZEN_MODE_OFF < IMPORTANT_INTERRUPTIONS < ALARMS < NO_INTERRUPTIONS."""
    return {0: 0, 1: 1, 3: 2, 2: 3}[zen_mode]


def normalize_number(number: str) -> str:
    """Digits and a leading `+` (what the phone compares); raises on an empty number."""
    text = number.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if not digits:
        raise ZenError(f"not a phone number: {number!r}")
    return ("+" if text.startswith("+") else "") + digits


ZEN_MODE_BY_WORD = {
    "off": ZEN_MODE_OFF,
    "priority": ZEN_MODE_IMPORTANT_INTERRUPTIONS,
    "important_interruptions": ZEN_MODE_IMPORTANT_INTERRUPTIONS,
    "alarms": ZEN_MODE_ALARMS,
    "none": ZEN_MODE_NO_INTERRUPTIONS,
    "total_silence": ZEN_MODE_NO_INTERRUPTIONS,
    "no_interruptions": ZEN_MODE_NO_INTERRUPTIONS,
}
SOURCE_BY_WORD = {
    "anyone": SOURCE_ANYONE,
    "contacts": SOURCE_CONTACT,
    "starred": SOURCE_STAR,
    "stars": SOURCE_STAR,
}

"""What every lever kind is: one type that knows how to read its setting from a snapshot,
whether a value meets what is wanted, the commands that harden and restore it, its words,
its place in the order Android needs, which settings the profile's names turn off, which
names and values a journal entry of it may hold (`check_key`, `check_value`), and how the
armed job checks and changes it in plain `sh` (`sh`, a `ShForm`).

A kind is registered by being defined: `LeverKind.__init_subclass__` files each concrete
kind under its `name` (refusing one without an `sh` form), and `hardener.core.levers`
imports every module of this package, so a new kind is one new module (plus catalog data
for the profile name that uses it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from hardener.android import commands
from hardener.core.lever_key import LeverKey, LeverValue, NotReadable
from hardener.core.levers.sh import ShForm
from hardener.core.records import AppState, Snapshot

MAX_USER = 100_000  # user ids are below this (UserHandle.PER_USER_RANGE)


class Intent(StrEnum):
    """Why an action changes a setting."""

    HARDEN = "harden"
    RESTORE = "restore"


@dataclass(frozen=True)
class OffTarget:
    """One setting a profile name turns off: a kind, the setting's name within it (an op,
    a permission; empty where the kind has one setting per app), and the value meaning off.
    `max_target_sdk`: only for apps targeting at most this SDK."""

    kind: str
    setting: str = ""
    off: LeverValue = None
    max_target_sdk: int | None = None


@dataclass(frozen=True)
class OffContext:
    """What deciding the settings to turn off needs beyond the app itself."""

    sdk: int
    restricted_bucket: bool
    held: frozenset[LeverKey] = frozenset()  # settings the journal holds for this phone
    policy_names: frozenset[str] = frozenset()  # every name the app's rule turns off
    extra: Mapping[str, Any] = field(default_factory=dict)


KINDS: dict[str, LeverKind] = {}


class LeverKind:
    """Base of every lever kind. Subclasses set `name`, `harden_rank`, `restore_rank`."""

    name: ClassVar[str]
    harden_rank: ClassVar[int]  # lower first when hardening
    restore_rank: ClassVar[int]  # lower first when restoring
    device_wide: ClassVar[bool] = False  # one setting for the whole phone, not per user
    writes_app_ops: ClassVar[bool] = False  # needs `cmd appops write-settings` after
    mirrored_late: ClassVar[bool] = False  # Android shows the change only after a pause
    core: ClassVar[bool] = False  # a permission-level lever (OEM-lock judgement)
    # A setting hardener changed that is back as it was was re-granted by hand: False = do
    # not change it again, report it (`regrant_words`) and keep the baseline.
    fights_regrant: ClassVar[bool] = True
    sh: ClassVar[ShForm]  # how the armed job checks and changes it (`hardener.core.levers.sh`)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            if cls.name in KINDS:
                raise TypeError(f"two lever kinds are called {cls.name!r}")
            if not isinstance(getattr(cls, "sh", None), ShForm):
                raise TypeError(f"lever kind {cls.name!r} has no sh form (LeverKind.sh)")
            KINDS[cls.name] = cls()

    # Checking names and values (a journal entry, a job's setting) ---------------------------

    def check_key(self, key: LeverKey) -> None:
        """UnsafeName (a ValueError) unless every name in `key` is one Android allows there:
        what a journal entry must pass before its names can reach a shell."""
        if key.kind != self.name:
            raise commands.UnsafeName(f"not a {self.name} setting: {key.kind!r}")
        commands.package(key.package)
        self.check_name(key.name)
        if isinstance(key.user, bool) or not -1 <= key.user < MAX_USER:
            raise commands.UnsafeName(f"not a user id: {key.user!r}")

    def check_name(self, name: str) -> None:
        """The setting's name within the app (a permission, an op, a component). By default a
        kind has one setting per app, so the name is empty."""
        if name:
            raise commands.UnsafeName(f"a {self.name} setting has no name: {name[:80]!r}")

    def check_value(self, value: LeverValue) -> None:
        """ValueError unless `value` is one this setting can hold (None: not known/not set)."""
        if value is not None and not self.takes(value):
            raise ValueError(f"not a value {self.name} takes: {value!r}")

    def takes(self, value: LeverValue) -> bool:
        """Whether a (not None) value is one of this kind's. By default a yes/no setting."""
        return isinstance(value, bool)

    # Reading ---------------------------------------------------------------------------------

    def read(self, snapshot: Snapshot, key: LeverKey) -> LeverValue:
        """The current value in a snapshot; NotReadable if the snapshot does not hold it."""
        app = snapshot.app(key.package, key.user)
        if app is None:
            raise NotReadable(key.describe())
        return self.read_app(app, key)

    def read_app(self, app: AppState, key: LeverKey) -> LeverValue:
        raise NotImplementedError

    def value_from_json(self, data: Any) -> LeverValue:
        if data is None or isinstance(data, (str, bool, int)):
            return data
        raise ValueError(f"not a {self.name} value: {data!r}")

    # The defaults below take every argument of the interface, used or not: a kind that
    # overrides one gets the same arguments (and marks it @override, so ruff's unused-argument
    # check and mypy know the signature is the interface's, not the kind's choice).

    # Deciding ---------------------------------------------------------------------------------

    def satisfies(
        self,
        intent: Intent,  # noqa: ARG002 (interface: kinds may use it)
        key: LeverKey,  # noqa: ARG002 (interface: kinds may use it)
        current: LeverValue,
        target: LeverValue,
        flags_ok: bool,  # noqa: ARG002 (interface: kinds may use it)
    ) -> bool:
        """Whether the phone's value already meets `target` for this intent."""
        return current == target

    def off_keys(
        self,
        app: AppState,
        target: OffTarget,
        context: OffContext,  # noqa: ARG002 (interface: kinds may use it)
    ) -> list[tuple[LeverKey, LeverValue]]:
        """The settings of `app` this target turns off, with the value meaning off."""
        if target.max_target_sdk is not None and app.target_sdk > target.max_target_sdk:
            return []
        user = -1 if self.device_wide else app.user
        return [(LeverKey(self.name, user, app.package, target.setting), target.off)]

    def cannot(
        self,
        app: AppState,  # noqa: ARG002 (interface: kinds may use it)
        context: OffContext,  # noqa: ARG002 (interface: kinds may use it)
    ) -> str | None:
        """Why this kind cannot be turned off for `app` now (None: it can)."""
        return None

    def vanished(self, current: LeverValue) -> bool:  # noqa: ARG002 (interface: kinds may use it)
        """The setting no longer exists (nothing to restore): a permission no longer asked."""
        return False

    def left_to_person(
        self,
        snapshot: Snapshot,  # noqa: ARG002 (interface: kinds may use it)
        key: LeverKey,  # noqa: ARG002 (interface: kinds may use it)
        applied: LeverValue,  # noqa: ARG002 (interface: kinds may use it)
        current: LeverValue,  # noqa: ARG002 (interface: kinds may use it)
    ) -> tuple[bool, str] | None:
        """Why a restore must leave the phone as it is now: (drop the baseline?, words).
        None: restore as usual."""
        return None

    def regrant_words(
        self,
        key: LeverKey,  # noqa: ARG002 (interface: kinds may use it)
        current: LeverValue,  # noqa: ARG002 (interface: kinds may use it)
    ) -> str:
        """A re-grant this kind does not fight, in words (see `fights_regrant`)."""
        return "changed back by hand since hardener changed it; left as it is"

    # Changing -------------------------------------------------------------------------------

    def harden_commands(
        self,
        key: LeverKey,
        current: LeverValue,  # noqa: ARG002 (interface: kinds may use it)
        target: LeverValue,
        flags_ok: bool,  # noqa: ARG002 (interface: kinds may use it)
    ) -> list[str]:
        return self.set_commands(key, target)

    def restore_commands(
        self,
        key: LeverKey,
        current: LeverValue,  # noqa: ARG002 (interface: kinds may use it)
        target: LeverValue,
        flags_ok: bool,  # noqa: ARG002 (interface: kinds may use it)
    ) -> list[str]:
        return self.set_commands(key, target)

    def set_commands(self, key: LeverKey, target: LeverValue) -> list[str]:
        raise NotImplementedError

    # Words ------------------------------------------------------------------------------------

    def subject(self, key: LeverKey) -> str:
        """What this setting is, for reports ("permission READ_CONTACTS")."""
        raise NotImplementedError

    def words(self, intent: Intent, key: LeverKey, before: LeverValue, target: LeverValue) -> str:
        """The change in words, for the plan table and the history."""
        raise NotImplementedError

    def todo(self, key: LeverKey, value: LeverValue) -> str:
        """What enforce would do, briefly, for the audit table."""
        return self.words(Intent.HARDEN, key, None, value)


def kind_of(key: LeverKey | str) -> LeverKind:
    name = key if isinstance(key, str) else key.kind
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown lever kind {name!r}") from None

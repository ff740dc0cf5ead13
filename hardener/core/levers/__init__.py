"""Lever kinds: one type per kind of setting hardener changes (see `base.LeverKind`).

Every module of this package is imported here, so defining a kind in a new module is all it
takes to register it; `KINDS` maps each kind's name to its one instance.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from hardener.core.lever_key import (
    DEVICE_WIDE,
    LeverKey,
    LeverValue,
    NotReadable,
    PermissionValue,
    short_permission,
    value_to_json,
)
from hardener.core.levers.app_op import PACKAGE_OP, UID_OP, op_default, op_effective
from hardener.core.levers.app_state import IDLE_WHITELIST, STANDBY_BUCKET, SUSPENDED
from hardener.core.levers.base import KINDS, Intent, LeverKind, OffContext, OffTarget, kind_of
from hardener.core.levers.components import ACCESSIBILITY_SERVICE, NOTIFICATION_LISTENER
from hardener.core.levers.permission import PERMISSION
from hardener.core.records import AppState, Snapshot

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

HARDEN = Intent.HARDEN
RESTORE = Intent.RESTORE


def read_value(snapshot: Snapshot, key: LeverKey) -> LeverValue:
    """The current value of a setting in a snapshot; raises NotReadable if it is not there."""
    return kind_of(key).read(snapshot, key)


def read_app_value(app: AppState, key: LeverKey) -> LeverValue:
    return kind_of(key).read_app(app, key)


def value_from_json(kind: str, data: Any) -> LeverValue:
    return kind_of(kind).value_from_json(data)


__all__ = [
    "ACCESSIBILITY_SERVICE",
    "DEVICE_WIDE",
    "HARDEN",
    "IDLE_WHITELIST",
    "KINDS",
    "NOTIFICATION_LISTENER",
    "PACKAGE_OP",
    "PERMISSION",
    "RESTORE",
    "STANDBY_BUCKET",
    "SUSPENDED",
    "UID_OP",
    "Intent",
    "LeverKey",
    "LeverKind",
    "LeverValue",
    "NotReadable",
    "OffContext",
    "OffTarget",
    "PermissionValue",
    "kind_of",
    "op_default",
    "op_effective",
    "read_app_value",
    "read_value",
    "short_permission",
    "value_from_json",
    "value_to_json",
]

"""A journal entry: one setting hardener changed, with what the person had. A record only;
`hardener.state.journal` keeps these durably on disk."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from hardener.core.levers import LeverKey, LeverValue, value_from_json, value_to_json


@dataclass(frozen=True)
class JournalEntry:
    """One setting hardener changed and has not yet given back."""

    key: LeverKey
    baseline: LeverValue  # what the person had
    applied: LeverValue  # what hardener set
    confirmed: bool  # a read-back has shown `applied` on the phone
    since: str  # ISO time the baseline was recorded
    reason: str  # the rule that asked for the change, in words

    def confirm(self) -> JournalEntry:
        return replace(self, confirmed=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key.encode(),
            "baseline": value_to_json(self.baseline),
            "applied": value_to_json(self.applied),
            "confirmed": self.confirmed,
            "since": self.since,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> JournalEntry:
        key = LeverKey.decode(str(data["key"]))
        return cls(
            key=key,
            baseline=value_from_json(key.kind, data.get("baseline")),
            applied=value_from_json(key.kind, data.get("applied")),
            confirmed=bool(data.get("confirmed", False)),
            since=str(data.get("since", "")),
            reason=str(data.get("reason", "")),
        )

"""Reading a journal that may be damaged, and rebuilding baselines from the history. Pure.

The journal is the only copy of what the person had, so a damaged one must not block the
rest: every entry that reads and checks is used, every one that does not is named (and the
file set aside by `Journal`, never overwritten). Each entry is checked as strictly as a
command would be: a package, permission, app-op or component name Android would not allow,
or a value no lever takes, is refused here, so a tampered journal never reaches a shell.

`history.jsonl` holds every run's outcomes with the value before and after each change, so
the baselines still held can be rebuilt from it: for each setting, the value before the
first harden since the last restore that took.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from hardener.core.baselines import JournalEntry
from hardener.core.levers import LeverKey, LeverValue, kind_of, value_from_json

FORMAT = 1
HARDEN, RESTORE = "harden", "restore"
_TAKEN = ("applied", "did_not_take")  # a harden the journal keeps a baseline for
_GIVEN_BACK = ("applied", "already")  # a restore that dropped the baseline


class NewerFormat(ValueError):
    """A journal from a newer hardener: not damaged, just not ours to read (or rewrite)."""


def check_key(key: LeverKey) -> None:
    """ValueError unless every name in `key` is one Android allows there (its kind says)."""
    kind_of(key).check_key(key)


def check_value(key: LeverKey, value: LeverValue) -> None:
    """ValueError unless `value` is one the setting `key` can hold (its kind says)."""
    kind_of(key).check_value(value)


def entry_from_json(data: Any) -> JournalEntry:
    """A checked JournalEntry from one JSON item; ValueError saying what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(f"not an entry: {type(data).__name__}")
    try:
        entry = JournalEntry.from_json(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"unreadable ({type(error).__name__}: {error})") from None
    check_key(entry.key)
    check_value(entry.key, entry.baseline)
    check_value(entry.key, entry.applied)
    return entry


def parse_journal(text: str) -> tuple[list[JournalEntry], list[str], str | None]:
    """The entries that read and check, a problem per thing that does not, and the serial."""
    try:
        data = json.loads(text)
    except ValueError as error:
        return [], [f"the file is not JSON ({error}); none of its entries can be read"], None
    if not isinstance(data, dict):
        shown = "null" if data is None else type(data).__name__
        return [], [f"the file holds {shown}, not a journal; nothing in it can be read"], None
    serial = data.get("serial") if isinstance(data.get("serial"), str) else None
    version = data.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT:
        raise NewerFormat(
            f"format {version}, written by a newer hardener (this one reads {FORMAT})"
        )
    if version != FORMAT:
        return [], [f"format {data.get('format')!r}, expected {FORMAT}"], serial
    items = data.get("entries", [])
    if not isinstance(items, list):
        return [], [f"`entries` is {type(items).__name__}, not a list"], serial
    entries: list[JournalEntry] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        try:
            entries.append(entry_from_json(item))
        except ValueError as error:
            key = item.get("key") if isinstance(item, dict) else None
            named = f" ({key!r})" if isinstance(key, str) else ""
            problems.append(f"entry {index + 1} of {len(items)}{named}: {error}")
    return entries, problems, serial


def rebuild(records: Iterable[Mapping[str, Any]]) -> dict[LeverKey, JournalEntry]:
    """The baselines still held according to the history, oldest harden first.

    For each setting: the value before the first harden that took (or did not show) since
    the last restore that gave it back. Records or outcomes that do not check are skipped:
    they are counted by the caller, never sent."""
    held: dict[LeverKey, JournalEntry] = {}
    for record in records:
        outcomes = record.get("outcomes") if isinstance(record, Mapping) else None
        if not isinstance(outcomes, list):
            continue
        for outcome in outcomes:
            try:
                key = LeverKey(
                    str(outcome["setting"]), int(outcome["user"]),
                    str(outcome["package"]), str(outcome["name"]),
                )  # fmt: skip
                check_key(key)
                intent, status = outcome["intent"], outcome["status"]
                if intent == HARDEN and status in _TAKEN and key not in held:
                    before = value_from_json(key.kind, outcome.get("before"))
                    after = value_from_json(key.kind, outcome.get("after"))
                    check_value(key, before)
                    check_value(key, after)
                    held[key] = JournalEntry(
                        key=key, baseline=before, applied=after,
                        confirmed=status == "applied", since=str(record.get("time", "")),
                        reason=f"{outcome.get('reason', '')} (rebuilt from the history)",
                    )  # fmt: skip
                elif intent == RESTORE and status in _GIVEN_BACK:
                    held.pop(key, None)
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
    return held

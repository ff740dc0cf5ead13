"""Issue 10: the options every device command shares are declared once
(`hardener.cli.options.SHARED`) and read, checked and explained the same way everywhere;
bad values exit 2 with the option's name and no traceback, on every command."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import typer

from hardener.cli.app import app
from hardener.cli.options import PHONE, ROLLOUT, SHARED, TARGET

NO_CANARY = tuple(name for name in ROLLOUT if name != "canary")  # plan, audit change nothing

SIGNED = (*TARGET, *PHONE, "require_signed")
# Each device command and the shared options it offers, in --help order.
DEVICE_COMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("scan",): ("device", "state_dir", "auth_timeout", "lock_timeout", "timeout"),
    ("doctor",): ("device", "state_dir", "auth_timeout", "lock_timeout", "timeout"),
    ("audit",): SIGNED,
    ("plan",): SIGNED,
    ("enforce",): SIGNED,
    ("restore",): ("device", *PHONE),
    ("arm",): (*TARGET, *PHONE),
    ("disarm",): ("device", *PHONE),
    ("status",): ("device", *PHONE),
    ("evidence",): ("profile", "device", "state_dir", "auth_timeout", "timeout", "lock_timeout"),
    ("history",): ("state_dir", "auth_timeout"),
    ("devices",): ("auth_timeout",),
    ("schedule", "run"): (*TARGET, "state_dir", "lock_timeout", "require_signed"),
    ("schedule", "install"): ("profile", "device", "state_dir", "require_signed"),
    ("schedule", "remove"): ("device",),
    ("schedule", "status"): ("state_dir",),
    ("fleet", "plan"): (*NO_CANARY, "at", "state_dir", "timeout", "require_signed", "host"),
    ("fleet", "apply"): (*ROLLOUT, "at", "state_dir", "timeout", "require_signed", "host"),
    ("fleet", "audit"): (*NO_CANARY, "at", "state_dir", "timeout", "require_signed", "host"),
    ("fleet", "restore"): (*ROLLOUT, "state_dir", "timeout", "require_signed", "host"),
    ("fleet", "merge"): ("report",),  # not a rollout: only where its summary goes
}
# Options of the same name that mean something else there, declared by the command itself.
OWN_MEANING = {
    (("demo",), "profile"): "the demo's profile: $HARDENER_PROFILE must not change the demo",
    (("devices",), "device"): "repeatable: more phones to check, besides those found",
    (("history",), "device"): "a serial too, for a phone not plugged in; default every phone",
    (("sim",), "host"): "the address the virtual phone listens on",
}
# Commands whose defaults differ from the shared one on purpose.
OWN_DEFAULTS = {(("schedule", "run"), "lock_timeout"): 30.0, (("devices",), "auth_timeout"): 5.0}
# What a command needs besides the option under test to get as far as reading its options.
REQUIRED = {"profile": ("--profile", "default"), "inventory": ("-i", "inventory.toml")}


def command(path):
    found = typer.main.get_command(app)
    for name in path:
        found = found.commands[name]
    return found


def named_like_shared(path):
    return {p.name: p for p in command(path).params if p.name in SHARED}


def shared_params(path):
    return {n: p for n, p in named_like_shared(path).items() if (path, n) not in OWN_MEANING}


def declared(name):
    """The one declaration, as a command that offers it shows it (the first in the table)."""
    path = next(p for p, names in DEVICE_COMMANDS.items() if name in names)
    return shared_params(path)[name]


def test_the_table_covers_every_shared_option_and_every_command_with_one():
    assert {name for names in DEVICE_COMMANDS.values() for name in names} == set(SHARED)
    every = {(path, name) for path in _all_paths() for name in named_like_shared(path)}
    listed = {(path, name) for path, names in DEVICE_COMMANDS.items() for name in names}
    assert every - set(OWN_MEANING) == listed  # no command offers one this table does not list
    for path, name in OWN_MEANING:  # and those that mean something else say so in their help
        assert named_like_shared(path)[name].help != declared(name).help


def _all_paths(group: object = None, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    group = group or typer.main.get_command(app)
    subcommands = getattr(group, "commands", None)
    if not subcommands:
        return [path]
    return [p for name, sub in subcommands.items() for p in _all_paths(sub, (*path, name))]


@pytest.mark.parametrize("path", DEVICE_COMMANDS, ids=" ".join)
def test_every_device_command_offers_its_shared_options_in_order(path):
    assert tuple(shared_params(path)) == DEVICE_COMMANDS[path]


@pytest.mark.parametrize(
    ("path", "name"),
    [(path, name) for path, names in DEVICE_COMMANDS.items() for name in names],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_a_shared_option_reads_and_helps_the_same_everywhere(path, name):
    option, one = shared_params(path)[name], declared(name)
    same = ("opts", "secondary_opts", "help", "envvar", "show_envvar", "metavar", "min", "max")
    assert {a: getattr(option, a) for a in same} == {a: getattr(one, a) for a in same}
    assert option.required == one.required
    assert inspect.unwrap(option.callback) is inspect.unwrap(one.callback)  # typer wraps each
    expected = OWN_DEFAULTS.get((path, name), SHARED[name].default)
    assert option.default == (None if expected is inspect.Parameter.empty else expected)


def test_the_envvars_users_know_are_kept():
    envvars = {name: declared(name).envvar for name in SHARED}
    assert envvars["device"] == "HARDENER_DEVICE"
    assert envvars["state_dir"] == "HARDENER_STATE_DIR"
    assert envvars["profile"] == "HARDENER_PROFILE"
    assert envvars["require_signed"] == "HARDENER_REQUIRE_SIGNED"
    assert declared("profile").opts == ["--profile", "-p"]
    assert declared("device").opts == ["--device", "-d"]


BAD_VALUES = [  # the words of a range refusal are typer's; those of inf are hardener's
    ("timeout", "nan", ""),
    ("timeout", "inf", "inf is not a number of seconds"),
    ("timeout", "0", ""),
    ("lock_timeout", "-1", ""),
    ("lock_timeout", "nan", ""),
    ("lock_timeout", "inf", "inf is not a number of seconds"),
    ("auth_timeout", "nan", ""),
    ("auth_timeout", "99999", ""),
    ("concurrency", "0", ""),
    ("concurrency", "513", ""),
    ("canary", "-1", ""),
    ("max_failures", "0", ""),
]


@pytest.mark.parametrize(
    ("path", "name", "value", "words"),
    [
        (path, name, value, words)
        for path, names in DEVICE_COMMANDS.items()
        for name, value, words in BAD_VALUES
        if name in names
    ],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else str(value),
)
def test_a_bad_value_exits_2_naming_the_option_on_every_command(
    cli, monkeypatch, path, name, value, words
):
    monkeypatch.setenv("COLUMNS", "200")  # the error box must not wrap the words apart
    args = [*path, f"--{name.replace('_', '-')}", value]
    for needed in DEVICE_COMMANDS[path]:
        args += REQUIRED.get(needed, ())
    if "device" in DEVICE_COMMANDS[path]:
        args += ["--device", "127.0.0.1:9"]  # were the value let through: refused, not waited on
    result = cli(*args)  # the fixture fails on any traceback
    assert result.exit_code == 2, result.stderr
    assert f"Invalid value for '--{name.replace('_', '-')}'" in result.stderr
    assert words in result.stderr
    assert result.stdout == ""


def test_the_state_dir_given_reaches_the_command(cli, tmp_path):
    folder = tmp_path / "elsewhere"
    result = cli("history", "--state-dir", str(folder))
    assert result.exit_code == 0 and str(folder) in result.stdout


def test_an_offline_audit_honours_require_signed_before_reading_the_bugreport(cli, tmp_path):
    profile = tmp_path / "mine.toml"
    profile.write_text('schema = 1\n[work_hours]\ntimezone = "UTC"\nweekdays = ["09:00-18:00"]\n')
    junk = tmp_path / "junk.txt"
    junk.write_text("hello\n")
    result = cli("audit", "-p", str(profile), "--from-bugreport", str(junk),
                 "--require-signed", str(tmp_path / "no_signers"))  # fmt: skip
    assert result.exit_code == 2
    assert "no such allowed-signers file" in result.stderr
    assert "bugreport" not in result.stderr


def test_a_rollout_command_hands_its_own_options_over_as_one_record(cli, tmp_path, monkeypatch):
    """fleet plan|apply|audit|restore take the rollout's options as a `RolloutOptions`."""
    from hardener.cli import cmd_fleet
    from hardener.core.options import RolloutOptions

    seen: list[RolloutOptions] = []
    monkeypatch.setattr(cmd_fleet, "_run", lambda mode, options, **_: seen.append(options))
    report = tmp_path / "out.json"
    for mode in ("plan", "apply", "audit", "restore"):
        canary = ("--canary", "2") if mode in ("apply", "restore") else ()
        result = cli("fleet", mode, "-i", "inv.toml", "-j", "7", *canary, "--max-failures", "3",
                     "--report", str(report), "--host", "laptop-1")  # fmt: skip
        assert result.exit_code == 0, result.stderr
    assert [o.canary for o in seen] == [0, 2, 0, 2]
    assert {(o.inventory, o.concurrency, o.max_failures, o.report, o.host) for o in seen} == {
        (Path("inv.toml"), 7, 3, report, "laptop-1")
    }

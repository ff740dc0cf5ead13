"""Every command's --help has examples; options that do nothing are not offered; TOML
headers in help text survive rich markup; a bare `hardener` shows help and exits 0."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import typer

from hardener.cli.app import app


def commands(command: object = None, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    command = command or typer.main.get_command(app)
    subcommands = getattr(command, "commands", None)
    if not subcommands:
        yield path
        return
    for name, sub in subcommands.items():
        yield from commands(sub, (*path, name))


ALL = sorted(commands())


def test_there_are_commands_to_check():
    assert ("fleet", "restore") in ALL and ("scan",) in ALL and len(ALL) >= 20


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_every_command_help_has_examples(cli, monkeypatch, path):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"hardener {' '.join(path)} --help has no example"
    assert f"hardener {path[0]}" in result.stdout.split("Example", 1)[1]


def test_fleet_help_keeps_the_inventory_headers(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = cli("fleet", "--help").stdout
    assert "[[groups]]" in text and "[defaults]" in text and '[overrides."SERIAL"]' in text


@pytest.mark.parametrize(
    ("mode", "offered", "absent"),
    [
        ("plan", ["--at", "--report"], ["--canary"]),
        ("audit", ["--at"], ["--canary"]),
        ("apply", ["--at", "--canary", "--max-failures"], []),
        ("restore", ["--canary"], ["--at"]),
    ],
)
def test_fleet_offers_only_options_that_do_something(cli, monkeypatch, mode, offered, absent):
    monkeypatch.setenv("COLUMNS", "200")
    text = cli("fleet", mode, "--help").stdout
    for option in offered:
        assert option in text
    for option in absent:
        assert option not in text
    if absent:
        refused = cli("fleet", mode, "-i", "x.toml", absent[0], "1")
        assert refused.exit_code == 2


@pytest.mark.parametrize("args", [(), ("fleet",), ("schedule",), ("profile",)])
def test_bare_hardener_prints_help_and_exits_0(cli, args):
    result = cli(*args)
    assert result.exit_code == 0
    assert "Usage" in result.stdout

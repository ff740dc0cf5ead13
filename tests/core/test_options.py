"""The option records (`hardener.core.options`) and `shared_options`, which builds them from
the options a command offers (`hardener.cli.options`)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from hardener.cli.options import PHONE, SHARED, TARGET, shared_options
from hardener.core.options import (
    DEFAULT_AUTH_TIMEOUT,
    DEFAULT_LOCK_TIMEOUT,
    DEFAULT_TIMEOUT,
    MAX_AUTH_TIMEOUT,
    MIN_TIMEOUT,
    PhoneOptions,
    ProfileOptions,
    seconds_problem,
)


@pytest.mark.parametrize("record", [PhoneOptions(), ProfileOptions(profile="default")])
def test_the_records_are_frozen_and_hashable(record):
    field = dataclasses.fields(record)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, field, "other")
    assert hash(record) == hash(dataclasses.replace(record))


def test_the_defaults_are_defined_once_and_used_by_the_record():
    phone = PhoneOptions()
    assert (phone.auth_timeout, phone.lock_timeout, phone.timeout) == (
        DEFAULT_AUTH_TIMEOUT, DEFAULT_LOCK_TIMEOUT, DEFAULT_TIMEOUT,
    )  # fmt: skip
    assert phone.device is None and phone.state_dir is None


def test_every_shared_option_fills_a_field_of_its_record():
    for name, spec in SHARED.items():
        assert name in {f.name for f in dataclasses.fields(spec.record)}, name


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_phone_record_holds_only_usable_seconds(value):
    for name, least, most in (
        ("auth_timeout", 0.0, MAX_AUTH_TIMEOUT),
        ("lock_timeout", 0.0, math.inf),
        ("timeout", MIN_TIMEOUT, math.inf),
    ):
        usable = math.isfinite(value) and least <= value <= most
        if usable:
            assert getattr(PhoneOptions(**{name: value}), name) == value
        else:
            with pytest.raises(ValueError, match=name):
                PhoneOptions(**{name: value})


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_nan_and_inf_are_refused_by_name(value):
    assert f"{value} is not a number of seconds" in str(seconds_problem(value))


def _app(*layout, **defaults):
    """A one-command app that records what the command was handed."""
    app = typer.Typer()
    seen: list[object] = []

    @app.command()
    @shared_options(*layout, **defaults)
    def command(phone: PhoneOptions, chosen: ProfileOptions, verbose: bool = False) -> None:
        seen.extend([phone, chosen, verbose])

    return app, seen


def _run(app, *args, env=None):
    result = CliRunner().invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result


def test_the_command_gets_records_built_from_the_options_given(tmp_path):
    app, seen = _app(*TARGET, ..., *PHONE, "require_signed")
    _run(app, "--profile", "strict", "-d", "usb", "--at", "2026-11-24T20:00", "--verbose",
         "--state-dir", str(tmp_path), "--lock-timeout", "5", "--auth-timeout", "7",
         "--timeout", "9", "--require-signed", "signers")  # fmt: skip
    assert seen == [
        PhoneOptions("usb", tmp_path, auth_timeout=7, lock_timeout=5, timeout=9),
        ProfileOptions("strict", "2026-11-24T20:00", Path("signers")),
        True,
    ]


def test_the_envvars_fill_the_records_and_empty_ones_count_as_not_given(tmp_path):
    app, seen = _app(*TARGET, ..., *PHONE, "require_signed")
    env = {"HARDENER_PROFILE": "strict", "HARDENER_DEVICE": "usb", "HARDENER_STATE_DIR": "",
           "HARDENER_REQUIRE_SIGNED": str(tmp_path)}  # fmt: skip
    _run(app, env=env)
    assert seen[:2] == [PhoneOptions("usb"), ProfileOptions("strict", None, tmp_path)]


def test_options_not_offered_keep_the_record_defaults_and_a_command_may_change_one():
    app, seen = _app("device", "lock_timeout", lock_timeout=30.0)
    _run(app)
    assert seen[:2] == [PhoneOptions(lock_timeout=30.0), ProfileOptions()]
    result = CliRunner().invoke(app, ["--timeout", "5"])
    assert result.exit_code == 2 and "No such option" in result.output


def test_help_lists_the_options_where_the_layout_puts_them():
    app, _ = _app("device", "verbose", "timeout")
    text = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"}).output
    order = [text.index(flag) for flag in ("--device", "--verbose", "--timeout")]
    assert order == sorted(order)


@pytest.mark.parametrize(
    ("layout", "defaults", "words"),
    [
        (("colour",), {}, "colour is no shared option nor parameter"),
        (("device",), {"timeout": 1.0}, "a default for timeout, not offered"),
        (("device", ..., ...), {}, "given twice"),
    ],
)
def test_a_wrong_layout_is_refused_when_the_command_is_defined(layout, defaults, words):
    with pytest.raises(TypeError, match=words):
        _app(*layout, **defaults)


def test_a_command_must_take_the_record_its_options_fill():
    with pytest.raises(TypeError, match="no parameter takes a ProfileOptions"):

        @shared_options("profile")
        def command(phone: PhoneOptions) -> None:
            del phone


def test_a_parameter_may_not_take_the_place_of_a_shared_option_of_its_name():
    with pytest.raises(TypeError, match="device is both a shared option and a parameter"):

        @shared_options("device")
        def command(phone: PhoneOptions, device: str = "") -> None:
            del phone, device

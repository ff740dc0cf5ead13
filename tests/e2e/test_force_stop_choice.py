"""`[off_hours] force_stop`: a profile choice, because from Android 15 `am force-stop` also
cancels the app's alarms and pending intents, which no restore can give back."""

from __future__ import annotations

from pathlib import Path

import pytest

from hardener.profile import load_profile
from hardener.profile.problems import ProfileError

from .test_enforce import EVENING, everything_off_hours


def with_force_stop(tmp_path: Path, value: str | None) -> Path:
    path = everything_off_hours(tmp_path)
    if value is not None:
        text = path.read_text().replace("[work_hours]", f"[off_hours]\nforce_stop = {value}\n"
                                        "[work_hours]", 1)  # fmt: skip
        path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("value", "sdk34", "sdk35"),
    [(None, True, False), ("true", True, True), ("false", False, False)],
)
def test_the_choice_and_its_default_per_android_version(tmp_path, value, sdk34, sdk35):
    profile = load_profile(with_force_stop(tmp_path, value))
    assert (profile.force_stops(34), profile.force_stops(35), profile.force_stops(36)) == (
        sdk34,
        sdk35,
        sdk35,
    )


def test_a_later_profile_overrides_its_base(tmp_path):
    base = with_force_stop(tmp_path, "false")
    child = tmp_path / "child.toml"
    child.write_text(f'schema = 1\nextends = "{base.name}"\n[off_hours]\nforce_stop = true\n')
    assert load_profile(child).force_stop is True
    plain = tmp_path / "plain.toml"
    plain.write_text(f'schema = 1\nextends = "{base.name}"\n')
    assert load_profile(plain).force_stop is False


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('[off_hours]\nforce_stop = "yes"\n', "true or false"),
        ("[off_hours]\nforce_stp = true\n", "force_stop"),
        ('off_hours = ["contacts"]\n', "[[rules]]"),
    ],
)
def test_the_profile_checker_rejects_what_is_not_a_boolean_choice(tmp_path, cli, body, words):
    path = tmp_path / "bad.toml"
    path.write_text("schema = 1\n" + body)
    with pytest.raises(ProfileError):
        load_profile(path)
    result = cli("profile", "check", str(path))
    assert result.exit_code == 2
    assert words in result.stdout + result.stderr


@pytest.mark.parametrize(("value", "stops"), [(None, True), ("true", True), ("false", False)])
def test_plan_force_stops_only_when_the_profile_says_so(virtual_phone, cli, tmp_path, value, stops):
    phone = virtual_phone()  # Android 14: force-stop is the default
    profile = with_force_stop(tmp_path, value)
    result = cli(
        "plan", "--device", phone.spec, "--profile", str(profile), "--at", EVENING, "--json",
        "--state-dir", str(tmp_path / "state"),
    )  # fmt: skip
    assert result.exit_code in (0, 1), result.stderr
    trailer = result.json()["trailer"]
    assert any("am force-stop" in command for command in trailer) is stops

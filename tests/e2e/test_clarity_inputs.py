"""Careless input reads right or is refused plainly: inventories with a UTF-8 BOM (like
profiles), `auth_timeout` values that are not seconds, and the words of a dry-run restore and
of the Xiaomi demo."""

from __future__ import annotations

import pytest

from hardener.errors import InputError
from hardener.fleet.inventory import load_inventory

INVENTORY = '[defaults]\nprofile = "default"\n[[groups]]\nname = "lab"\ndevices = ["a:5555"]\n'


def test_an_inventory_with_a_utf8_bom_is_read(tmp_path):
    path = tmp_path / "inventory.toml"
    path.write_bytes("\ufeff".encode() + INVENTORY.encode())
    inventory = load_inventory(path)
    assert [group.name for group in inventory.groups] == ["lab"]


@pytest.mark.parametrize("value", ["nan", "inf", "+inf", "-inf", "true", "false", "-1", "1e9"])
def test_auth_timeout_must_be_seconds(tmp_path, value):
    path = tmp_path / "inventory.toml"
    path.write_text(INVENTORY.replace("[[groups]]", f"auth_timeout = {value}\n[[groups]]"))
    with pytest.raises(InputError) as caught:
        load_inventory(path)
    assert "defaults.auth_timeout" in str(caught.value)


@pytest.mark.parametrize("value", ["0", "2.5", "30"])
def test_auth_timeout_in_seconds_is_accepted(tmp_path, value):
    path = tmp_path / "inventory.toml"
    path.write_text(INVENTORY.replace("[[groups]]", f"auth_timeout = {value}\n[[groups]]"))
    assert load_inventory(path).auth_timeout == float(value)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "99999"])
def test_the_auth_timeout_option_must_be_seconds(cli, value):
    result = cli("scan", "--device", "127.0.0.1:9", "--auth-timeout", value)
    assert result.exit_code == 2


def test_a_dry_run_restore_talks_of_what_hardener_changed_not_of_a_profile(
    cli, virtual_phone, tmp_path
):
    phone = virtual_phone()
    result = cli("restore", "--device", phone.spec, "--dry-run", "--state-dir", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert "nothing to give back" in result.stdout
    assert "profile" not in result.stdout


def test_the_xiaomi_demo_names_the_setting_that_lifts_its_refusals(cli):
    result = cli("demo", "--persona", "xiaomi-hyperos-14")
    assert result.exit_code == 0, result.stderr
    assert "refused" in result.stdout.lower()
    assert '"USB debugging (Security settings)"' in result.stdout

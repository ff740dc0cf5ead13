"""ROM detection from `getprop`, and the advice each ROM gets (hardener/android/roms.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardener.android.oem import rom_blocks_by_default, unlock_advice
from hardener.android.roms import ROMS, detect_rom
from hardener.core.records import DeviceFeatures, Snapshot, User
from hardener.device.collect import device_info
from hardener.device.doctor import diagnose

# Property sets as the cited sources show them (values from [DC]/[DX] in android_roms.py).
CASES = [
    ({"ro.mi.os.version.name": "OS1.0", "ro.miui.ui.version.name": "V816"}, "hyperos", "OS1.0"),
    ({"ro.miui.ui.version.name": "V130", "ro.miui.ui.version.code": "13"}, "miui", "V130"),
    (
        {"ro.build.version.realmeui": "V5.0", "ro.build.version.oplusrom": "V13.1.0"},
        "realmeui",
        "V5.0",
    ),
    (
        {"ro.build.version.oplusrom": "V13.1.0", "ro.build.version.oplusrom.display": "13.1"},
        "coloros",
        "13.1",
    ),
    ({"ro.build.version.opporom": "V7.1"}, "coloros", "V7.1"),
    (
        {
            "ro.product.brand": "OnePlus",
            "ro.build.version.oplusrom": "V13.0.0",
            "ro.oxygen.version": "13.1.0",
        },
        "oxygenos",
        "13.1.0",
    ),
    (
        {"ro.vivo.os.build.display.id": "OriginOS 4", "ro.vivo.os.name": "Funtouch"},
        "originos",
        "OriginOS 4",
    ),
    (
        {"ro.vivo.os.build.display.id": "Funtouch OS_2.5", "ro.vivo.os.version": "2.5"},
        "funtouch",
        "Funtouch OS_2.5",
    ),
    ({"ro.vivo.os.version": "3.0"}, "funtouch", "3.0"),
    (
        {"msc.config.magic.version": "7.0", "ro.build.version.emui": "EmotionUI_13.0.0"},
        "magicos",
        "7.0",
    ),
    (
        {"hw_sc.build.platform.version": "2.0.0", "ro.build.version.emui": "EmotionUI_11.0.0"},
        "harmonyos",
        "2.0.0",
    ),
    ({"ro.build.version.emui": "EmotionUI_10.1.1"}, "emui", "EmotionUI_10.1.1"),
    (
        {"ro.product.brand": "Infinix", "ro.os.version.release": "13.0", "ro.tranos.version": ""},
        "xos",
        "13.0",
    ),
    ({"ro.product.brand": "TECNO", "ro.tranos.version": "14.0.0"}, "hios", "14.0.0"),
    ({"ro.product.manufacturer": "itel", "ro.os.version.release": "8.6"}, "itelos", "8.6"),
    ({"ro.build.version.oneui": "60101"}, "oneui", "60101"),
    ({"ro.product.manufacturer": "Google"}, "stock", ""),
]


@pytest.mark.parametrize(("props", "rom", "version"), CASES)
def test_each_rom_is_named_with_its_version(props, rom, version):
    found, found_version = detect_rom(props)
    assert (found.key, found_version) == (rom, version)
    info = device_info(props, "127.0.0.1:5555")
    assert (info.rom, info.rom_version) == (rom, version)


def test_a_nothing_phone_with_ro_os_version_release_is_not_transsion():
    rom, _ = detect_rom({"ro.product.brand": "Nothing", "ro.os.version.release": "2.5"})
    assert rom.key == "stock"


def test_every_rom_says_the_setting_that_lifts_its_restrictions_and_cites_a_source():
    for rom in ROMS.values():
        assert rom.advice and rom.source
    assert "USB debugging (Security settings)" in ROMS["hyperos"].advice
    assert "Disable permission monitoring" in ROMS["realmeui"].advice
    assert "Auto Blocker" in ROMS["oneui"].advice
    assert "charge only mode" in ROMS["harmonyos"].advice
    blocking = {key for key, rom in ROMS.items() if rom.blocks}
    assert blocking == {"hyperos", "miui", "realmeui", "coloros", "oxygenos"}


def snapshot_of(props):
    return Snapshot(
        device=device_info(props, "SERIAL"),
        features=DeviceFeatures(permission_flags=True, restricted_bucket=True),
        users=(User(0, "Owner"),),
        current_user=0,
        apps=(),
    )


def test_doctor_names_a_transsion_rom_and_its_advice():
    snap = snapshot_of({"ro.product.brand": "Infinix", "ro.os.version.release": "13.0"})
    assert unlock_advice(snap.device) == ROMS["xos"].advice
    assert not rom_blocks_by_default(snap.device)
    rom_checks = [c for c in diagnose(snap, None, []).checks if c.name == "rom"]
    assert len(rom_checks) == 1
    assert rom_checks[0].words.startswith("Infinix XOS 13.0: ")


@given(st.dictionaries(st.sampled_from(sorted({p for c in CASES for p in c[0]})), st.text()))
def test_detection_never_fails_on_any_values(props):
    rom, version = detect_rom(props)
    assert rom.key in ROMS
    assert version == "" or version in {v.strip() for v in props.values()}

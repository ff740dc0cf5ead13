"""What each phone maker's ROM withholds from the adb shell, and the setting that gives it back.

Stock Android lets the shell grant and revoke runtime permissions. Xiaomi (MIUI/HyperOS) and
OPPO/realme/OnePlus (ColorOS/OxygenOS 12+) withhold it until a developer-options switch is
on; the refusal reads "Neither user 2000 nor current process has
android.permission.GRANT_RUNTIME_PERMISSIONS" (android-levers.md §4, peers.md §3).
"""

from __future__ import annotations

from hardener.android.roms import GENERIC, rom_of
from hardener.core.records import DeviceInfo

__all__ = ["CANNOT_BLOCK", "GENERIC", "rom_blocks_by_default", "rom_name", "unlock_advice"]


def unlock_advice(device: DeviceInfo) -> str:
    """The setting to turn on for this ROM, in words (see hardener/android/roms.py)."""
    return rom_of(device.rom).advice


# What no shell command can stop, whatever the ROM: said plainly by `doctor` and the docs.
CANNOT_BLOCK = (
    "vendor push channels (Xiaomi, Huawei, OPPO, vivo push) deliver messages through system "
    "services, not the app, and wake it up again",
    'DingTalk "DING" and similar urgent pings can arrive as a phone call or SMS, which reach '
    "you without the app",
    "an app's own servers keep whatever they already collected; revoking stops new access only",
    "opening an app lifts its standby bucket and stopped state: that is Android's rule",
)


def rom_blocks_by_default(device: DeviceInfo) -> bool:
    """ROMs known to refuse shell grants until their switch is on."""
    return rom_of(device.rom).blocks


def rom_name(device: DeviceInfo) -> str:
    """The ROM in words, with its version: "Infinix XOS 13.0"."""
    return f"{rom_of(device.rom).display} {device.rom_version}".strip()

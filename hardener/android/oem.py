"""What each phone maker's ROM withholds from the adb shell, and the setting that gives it back.

Stock Android lets the shell grant and revoke runtime permissions. Xiaomi (MIUI/HyperOS) and
OPPO/realme/OnePlus (ColorOS/OxygenOS 12+) withhold it until a developer-options switch is
on; the refusal reads "Neither user 2000 nor current process has
android.permission.GRANT_RUNTIME_PERMISSIONS" (android-levers.md §4, peers.md §3).
"""

from __future__ import annotations

from hardener.core.records import DeviceInfo

GENERIC = (
    "this phone's maker blocks permission changes from USB debugging; look in Settings > "
    "Developer options for a security switch for USB debugging and turn it on"
)

ADVICE = {
    "hyperos": (
        "turn on Settings > Additional settings > Developer options > "
        '"USB debugging (Security settings)" (Xiaomi asks you to sign in to a Mi account, '
        "and on many phones a SIM card must be inserted), then run hardener again"
    ),
    "miui": (
        "turn on Settings > Additional settings > Developer options > "
        '"USB debugging (Security settings)" (Xiaomi asks you to sign in to a Mi account, '
        "and on many phones a SIM card must be inserted), then run hardener again"
    ),
    "coloros": (
        'turn on Settings > System > Developer options > "Disable permission monitoring", '
        "then run hardener again"
    ),
    "oxygenos": (
        'turn on Settings > System > Developer options > "Disable permission monitoring", '
        "then run hardener again"
    ),
}


def unlock_advice(device: DeviceInfo) -> str:
    """The setting to turn on for this ROM, in words."""
    return ADVICE.get(device.rom, GENERIC)


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
    return device.rom in ADVICE

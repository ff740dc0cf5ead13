"""Can a job armed on this phone survive the night, and what to change if not. Pure.

From what the phone shows without changing anything (research: shared/research/armed-job.md):

* Android 8+ (SDK 26): init kills adbd's whole cgroup whenever adbd stops, the job with it:
  USB debugging or Developer options turned off, `adb tcpip/usb/root`, a USB mode change.
  Android 7 only killed the process group, which a `setsid` job leaves.
* A USB configuration with a data function (`mtp`, `ptp`, `rndis`, `midi` next to `adb` in
  `sys.usb.config`): many phones switch USB functions at screen lock or unplug, which stops
  adbd. "Default USB configuration" = "No data transfer" avoids it.
* Wireless debugging alone (`adb_wifi_enabled` 1, `adb_enabled` 0): Android switches it off
  when the Wi-Fi network changes, which stops adbd.
* OEM quirks: EMUI/MagicOS turn debugging off at unplug unless "Allow ADB debugging in
  charge-only mode"; HyperOS/MIUI and One UI reset the USB mode at screen lock.
* A reboot ends it everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from hardener.device.doctor import Check

SETTINGS = ("adb_enabled", "adb_wifi_enabled")
DATA_FUNCTIONS = ("mtp", "ptp", "rndis", "midi", "accessory", "audio_source", "ncm", "uvc")
USB_SETTING = 'Developer options > Default USB configuration: "No data transfer"'


def settings_commands() -> list[str]:
    return [f"settings get global {name}" for name in SETTINGS]


def parse_settings(outputs: list[str]) -> dict[str, str]:
    values = {}
    for name, text in zip(SETTINGS, outputs, strict=False):
        value = text.strip()
        if value in ("0", "1"):
            values[name] = value
    return values


def arming_checks(
    props: Mapping[str, str], sdk: int, rom: str, settings: Mapping[str, str]
) -> list[Check]:
    checks = []
    if sdk >= 26:
        checks.append(
            Check(
                "armed job: Android",
                True,
                f"Android {props.get('ro.build.version.release', '?')}: an armed job outlives "
                "the adb session and the cable, but ends when adbd restarts (USB debugging or "
                "Developer options off, a USB mode change, adb tcpip/usb/root) and at a reboot",
            )
        )
    else:
        checks.append(
            Check(
                "armed job: Android",
                True,
                "Android 7 or older: an armed job also outlives adbd restarts; a reboot ends it",
            )
        )
    config = props.get("sys.usb.config") or props.get("persist.sys.usb.config") or ""
    functions = [f for f in config.split(",") if f and f not in ("adb", "none")]
    data = [f for f in functions if f in DATA_FUNCTIONS]
    if data and sdk >= 26:
        checks.append(
            Check(
                "armed job: USB mode",
                False,
                f"USB is in a data mode ({', '.join(data)}): on many phones the screen lock or "
                "unplugging switches the USB mode, which restarts adbd and kills the job",
                advice=f"{USB_SETTING}, and choose No data transfer in the USB notification now",
            )
        )
    elif config:
        checks.append(Check("armed job: USB mode", True, f"USB mode {config}: no data function"))
    if settings.get("adb_wifi_enabled") == "1" and settings.get("adb_enabled") == "0":
        checks.append(
            Check(
                "armed job: debugging",
                False,
                "only Wireless debugging is on: Android turns it off when the Wi-Fi network "
                "changes, and that kills the job",
                advice="Developer options > USB debugging: on (plug in once to allow it)",
            )
        )
    quirk = _oem(rom)
    if quirk and not (data and quirk[1] == USB_SETTING):  # not the same advice twice
        checks.append(Check("armed job: " + rom, sdk < 26, *quirk))
    return checks


def _oem(rom: str) -> tuple[str, str] | None:
    if rom in ("emui", "magicos"):
        return (
            "turns USB debugging off when the cable is pulled, unless told otherwise",
            'Developer options > "Allow ADB debugging in charge-only mode": on',
        )
    if rom in ("miui", "hyperos", "oneui"):
        return (
            "resets the USB mode at screen lock unless the default is No data transfer",
            USB_SETTING,
        )
    return None

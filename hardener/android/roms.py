"""Which maker's ROM a phone runs, from its properties, and what that ROM withholds from the shell.

Pure: properties in (`getprop`), a `Rom` out. Each ROM names the properties that identify
it, in the order they are tried, the setting that lifts its restrictions on USB debugging
(the words `doctor` and `enforce` print), and where both come from. The table is also in
docs/roms.md; keep them together.

Sources (all public; cited again per ROM below):
* [DC] getActivity/DeviceCompat `library/src/main/java/com/hjq/device/compat/DeviceOs.java`
  @ 01a54615d14d4d132dcf12174d73ff732fbaa35f: property names and example values for HyperOS,
  MIUI, realme UI, ColorOS, OriginOS, Funtouch OS, MagicOS, HarmonyOS, EMUI, One UI, OxygenOS.
* [MI] Xiaomi's own "how to identify MIUI" page, cited by [DC]: https://dev.mi.com/console/doc/detail?pId=915
* [DX] DumprX/DumprX `dumper.sh` @ a725246b97f7d20bf433bbe745e204b3f974db6f: reads Transsion's
  `ro.tranos.version` and `ro.os.version.release` from `product/etc/build.prop`.
* [RS] research/android-levers.md §4 and research/android-output-grammar.md (refusal texts;
  Xiaomi "USB debugging (Security settings)"; OPPO/realme/OnePlus "Disable permission
  monitoring", e.g. PhilippC/kp2a_keyboardswap#12 on a realme X3, henrichg/PhoneProfilesPlus#64
  on a realme C3, joshuawolfsohn/Private-DNS-Quick-Tile#16 on OxygenOS 13).
* [AB] Samsung Auto Blocker (One UI 6+) blocks USB commands: keymapperorg/KeyMapper#2155,
  citing docs.samsungknox.com "Samsung Auto Blocker"; AdguardTeam/KnowledgeBaseVPN#246.
* [HW] Huawei/Honor drop USB debugging when unplugged or in charge-only mode unless "Allow
  ADB debugging in charge only mode" is on: RikkaApps/Shizuku#379 (research/armed-job.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

GENERIC = (
    "this phone's maker blocks permission changes from USB debugging; look in Settings > "
    "Developer options for a security switch for USB debugging and turn it on"
)
_MI_SWITCH = (
    "turn on Settings > Additional settings > Developer options > "
    '"USB debugging (Security settings)" (Xiaomi asks you to sign in to a Mi account, '
    "and on many phones a SIM card must be inserted), then run hardener again"
)
_OPLUS_SWITCH = (
    'turn on Settings > System > Developer options > "Disable permission monitoring", '
    "then run hardener again"
)
_HUAWEI = (
    'turn on Settings > System & updates > Developer options > "Allow ADB debugging in '
    'charge only mode" so the phone keeps the connection; if changes are refused, '
    + GENERIC.split("; ", 1)[1]
)
_SAMSUNG = (
    "if the phone refuses USB commands, turn off Settings > Security and privacy > "
    '"Auto Blocker" (One UI 6 and later; it blocks commands by USB cable); a Secure Folder '
    "is never reachable from the shell"
)
_VIVO = (
    "if changes are refused, look in Settings > System management > Developer options for a "
    "USB debugging security switch and turn it on, then run hardener again"
)
_TRANSSION = (
    "if changes are refused, look in Settings > System > Developer options for a USB "
    "debugging security switch and turn it on, then run hardener again"
)


@dataclass(frozen=True)
class Rom:
    """A ROM as hardener knows it. `blocks` = refuses shell grants until `advice` is done."""

    key: str  # stable name in `scan --json` (`device.rom`)
    display: str
    advice: str
    blocks: bool
    source: str


@dataclass(frozen=True)
class _Rule:
    rom: Rom
    props: tuple[str, ...]  # the first one set gives the version
    accept: Callable[[Mapping[str, str], str], bool] = lambda _props, _value: True


def _brand(props: Mapping[str, str]) -> str:
    return (props.get("ro.product.brand") or props.get("ro.product.manufacturer") or "").lower()


def _vivo_named(word: str) -> Callable[[Mapping[str, str], str], bool]:
    return lambda _props, value: word in value.lower().replace(" ", "")


def _transsion(brands: tuple[str, ...]) -> Callable[[Mapping[str, str], str], bool]:
    return lambda props, _value: _brand(props) in brands


STOCK = Rom("stock", "stock Android", GENERIC, False, "AOSP")
HYPEROS = Rom("hyperos", "Xiaomi HyperOS", _MI_SWITCH, True, "[DC] [MI] [RS]")
MIUI = Rom("miui", "Xiaomi MIUI", _MI_SWITCH, True, "[DC] [MI] [RS]")
REALMEUI = Rom("realmeui", "realme UI", _OPLUS_SWITCH, True, "[DC] [RS]")
COLOROS = Rom("coloros", "OPPO ColorOS", _OPLUS_SWITCH, True, "[DC] [RS]")
OXYGENOS = Rom("oxygenos", "OnePlus OxygenOS", _OPLUS_SWITCH, True, "[DC] [RS]")
ORIGINOS = Rom("originos", "vivo OriginOS", _VIVO, False, "[DC]")
FUNTOUCH = Rom("funtouch", "vivo Funtouch OS", _VIVO, False, "[DC]")
MAGICOS = Rom("magicos", "Honor MagicOS", _HUAWEI, False, "[DC] [HW]")
HARMONYOS = Rom("harmonyos", "Huawei HarmonyOS", _HUAWEI, False, "[DC] [HW]")
EMUI = Rom("emui", "Huawei EMUI", _HUAWEI, False, "[DC] [HW]")
XOS = Rom("xos", "Infinix XOS", _TRANSSION, False, "[DX]")
HIOS = Rom("hios", "TECNO HiOS", _TRANSSION, False, "[DX]")
ITELOS = Rom("itelos", "itel OS", _TRANSSION, False, "[DX]")
ONEUI = Rom("oneui", "Samsung One UI", _SAMSUNG, False, "[DC] [AB]")

# Order matters: HyperOS keeps MIUI's properties; realme UI carries ColorOS's; HarmonyOS
# and MagicOS keep EMUI's.
_RULES: tuple[_Rule, ...] = (
    _Rule(
        HYPEROS,
        ("ro.mi.os.version.name", "ro.mi.os.version.incremental", "ro.mi.os.version.code"),
    ),
    _Rule(MIUI, ("ro.miui.ui.version.name", "ro.miui.ui.version.code")),
    _Rule(REALMEUI, ("ro.build.version.realmeui",)),
    _Rule(
        COLOROS,
        (
            "ro.build.version.oplusrom.display",
            "ro.build.version.oplusrom",
            "ro.build.version.opporom",
        ),
        lambda props, _value: _brand(props) != "oneplus" or not props.get("ro.oxygen.version"),
    ),
    _Rule(OXYGENOS, ("ro.oxygen.version",)),
    _Rule(ORIGINOS, ("ro.vivo.os.build.display.id",), _vivo_named("originos")),
    _Rule(FUNTOUCH, ("ro.vivo.os.build.display.id",), _vivo_named("funtouch")),
    _Rule(FUNTOUCH, ("ro.vivo.os.version", "ro.vivo.rom.version")),
    _Rule(MAGICOS, ("msc.config.magic.version", "ro.build.version.magic")),
    _Rule(HARMONYOS, ("hw_sc.build.platform.version",)),
    _Rule(EMUI, ("ro.build.version.emui",)),
    _Rule(XOS, ("ro.tranos.version", "ro.os.version.release"), _transsion(("infinix",))),
    _Rule(HIOS, ("ro.tranos.version", "ro.os.version.release"), _transsion(("tecno",))),
    _Rule(ITELOS, ("ro.tranos.version", "ro.os.version.release"), _transsion(("itel",))),
    _Rule(ONEUI, ("ro.build.version.oneui",)),
)

ROMS: Mapping[str, Rom] = {rule.rom.key: rule.rom for rule in _RULES} | {"stock": STOCK}


def detect_rom(props: Mapping[str, str]) -> tuple[Rom, str]:
    """The ROM and its version string (as the phone prints it; "" for stock)."""
    for rule in _RULES:
        for prop in rule.props:
            value = props.get(prop, "").strip()
            if value and rule.accept(props, value):
                return rule.rom, value
    # OnePlus builds before `ro.oxygen.version` name themselves in the display id only.
    display = props.get("ro.build.display.id", "")
    if _brand(props) == "oneplus" and display.startswith(("BE", "KB", "LE", "NE")):
        return OXYGENOS, ""
    return STOCK, ""


def rom_of(key: str) -> Rom:
    return ROMS.get(key, STOCK)

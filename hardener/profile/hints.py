"""What the person probably meant: suggestions for `profile check` messages. Pure.

* characters that look like nothing (zero-width space, joiners, BOMs inside the text,
  bidi marks) are named and shown as `\\u200b`, never printed invisibly;
* full-width letters and digits (ｗｅｅｋｄａｙｓ, typed with a CJK input method) are read as
  the ASCII they stand for (NFKC);
* a UTC offset ("UTC+8", "GMT+08:00") gets the IANA name with that fixed offset (`Etc/GMT-8`:
  POSIX signs are inverted) and the main city zone at that offset; a city that is not an
  IANA zone ("Asia/Beijing") gets the zone it lies in;
* a permission name where a capability belongs ("READ_CONTACTS") gets the capability that
  holds it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from hardener.android.catalog.capabilities import MAX_SDK, capabilities_of_permission

# Format characters (Cf) such as U+200B..U+200F, U+2060, U+FEFF, bidi controls, and other
# characters that render as nothing.
_INVISIBLE_EXTRA = frozenset("\u00ad\u034f\u115f\u1160\u3164\uffa0")


def is_invisible(char: str) -> bool:
    return unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp") or char in _INVISIBLE_EXTRA


def visible(text: str) -> str:
    """`text` with every invisible or control character shown as an escape (`\\u200b`)."""
    out: list[str] = []
    for char in text:
        if is_invisible(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def invisible_note(text: str) -> str:
    """'; it contains U+200B ZERO WIDTH SPACE (invisible)' or ''."""
    names = []
    for char in dict.fromkeys(c for c in text if is_invisible(c)):
        name = unicodedata.name(char, "a control character")
        names.append(f"U+{ord(char):04X} {name}")
    if not names:
        return ""
    return f"; it contains {', '.join(names)}, which you cannot see: delete it"


def plain(text: str) -> str:
    """What `text` stands for in ASCII: full-width forms folded (NFKC), invisible ones dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(char for char in folded if not is_invisible(char)).strip()


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice `word` stands for once folded to ASCII (case-insensitively), else None."""
    folded = plain(word).lower()
    for choice in choices:
        if choice.lower() == folded:
            return choice
    return None


def meant_note(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "weekdays"? it is written in full-width characters)' and the like;
    characters you cannot see are named by `invisible_note`."""
    match = closest(word, list(choices))
    if match is None or match == word:
        return ""
    wide = unicodedata.normalize("NFKC", word) != word
    return f' (did you mean "{match}"?{" it is written in full-width characters" if wide else ""})'


# ---- timezones --------------------------------------------------------------------------

_OFFSET = re.compile(r"(?:UTC|GMT|Z)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)

# The zone most people at a whole-hour offset mean (an example, not the only answer).
_CITY_AT_OFFSET = {
    -8: "America/Los_Angeles",
    -7: "America/Denver",
    -6: "America/Chicago",
    -5: "America/New_York",
    -3: "America/Sao_Paulo",
    0: "Europe/London",
    1: "Europe/Berlin",
    2: "Europe/Athens",
    3: "Europe/Moscow",
    4: "Asia/Dubai",
    7: "Asia/Bangkok",
    8: "Asia/Shanghai",
    9: "Asia/Tokyo",
    10: "Australia/Sydney",
}

# Places that are not IANA zone names, and the zone they lie in.
_PLACES = {
    "beijing": "Asia/Shanghai",
    "peking": "Asia/Shanghai",
    "shenzhen": "Asia/Shanghai",
    "guangzhou": "Asia/Shanghai",
    "hangzhou": "Asia/Shanghai",
    "chengdu": "Asia/Shanghai",
    "wuhan": "Asia/Shanghai",
    "nanjing": "Asia/Shanghai",
    "xian": "Asia/Shanghai",
    "tianjin": "Asia/Shanghai",
    "china": "Asia/Shanghai",
    "delhi": "Asia/Kolkata",
    "newdelhi": "Asia/Kolkata",
    "mumbai": "Asia/Kolkata",
    "bangalore": "Asia/Kolkata",
    "bengaluru": "Asia/Kolkata",
    "india": "Asia/Kolkata",
    "osaka": "Asia/Tokyo",
    "kyoto": "Asia/Tokyo",
    "frankfurt": "Europe/Berlin",
    "munich": "Europe/Berlin",
    "hamburg": "Europe/Berlin",
    "germany": "Europe/Berlin",
    "sanfrancisco": "America/Los_Angeles",
    "seattle": "America/Los_Angeles",
    "boston": "America/New_York",
    "washington": "America/New_York",
    "hanoi": "Asia/Ho_Chi_Minh",
}


def timezone_hint(name: str, known: Iterable[str]) -> str:
    """' (did you mean "Etc/GMT-8", or a city zone such as "Asia/Shanghai"?)' or ''."""
    zones = set(known)
    text = plain(name)
    if text in zones and text != name:
        return f' (did you mean "{text}"?{invisible_note(name) or " it has full-width letters"})'
    offset = _OFFSET.fullmatch(text.strip())
    if offset is not None:
        sign, hours, minutes = offset.group(1), int(offset.group(2)), int(offset.group(3) or 0)
        value = hours if sign == "+" else -hours
        if minutes == 0 and -12 <= value <= 14:
            fixed = "Etc/GMT" if value == 0 else f"Etc/GMT{'-' if value > 0 else '+'}{abs(value)}"
            city = _CITY_AT_OFFSET.get(value)
            also = f', or a city zone such as "{city}"' if city else ""
            return f' (did you mean "{fixed}"? a fixed offset inverts the sign{also})'

        return ' (a fixed offset is written "Etc/GMT-8" for UTC+8; better, a city zone)'
    city = text.rsplit("/", 1)[-1].replace("_", "").replace(" ", "").replace("-", "").lower()
    if city in _PLACES:
        return f' (did you mean "{_PLACES[city]}"? IANA names a zone after its largest city)'
    by_city = {z.rsplit("/", 1)[-1].replace("_", "").lower(): z for z in zones if "/" in z}
    if city in by_city:
        return f' (did you mean "{by_city[city]}"?)'
    return ""


# ---- permission names where a capability belongs ---------------------------------------


def capability_hint(name: str) -> str:
    """' (READ_CONTACTS is a permission; write the capability that holds it: "contacts")'."""
    text = plain(name)
    permission = text if "." in text else f"android.permission.{text.upper()}"
    caps = capabilities_of_permission(permission, MAX_SDK)
    if not caps:
        return ""
    short = permission.removeprefix("android.permission.")
    listed = '" or "'.join(caps)
    kind = "capability" if len(caps) == 1 else "capabilities"
    return f' ({short} is a permission; profiles name the {kind} that holds it: "{listed}")'


__all__ = [
    "capability_hint",
    "closest",
    "invisible_note",
    "is_invisible",
    "meant_note",
    "plain",
    "timezone_hint",
    "visible",
]

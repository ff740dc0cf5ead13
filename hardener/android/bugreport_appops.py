"""Sections of an `adb bugreport` (its zip or its main text) for offline evidence. Pure.

Minimal on purpose: the general bugreport sectioning (every service scan and audit read)
is being written on branch sync13; this reads only what `hardener evidence` needs, and
can give way to it. The layout follows dumpstate (frameworks/native/cmds/dumpstate) and
dumpsys (`DUMP OF SERVICE name:` then the service's output, then a
`--------- 0.004s was the duration of dumpsys name, ending at: …` footer):

```
------ SYSTEM PROPERTIES (getprop) ------
[ro.build.version.sdk]: [34]
------ 0.011s was the duration of 'SYSTEM PROPERTIES' ------
…
-------------------------------------------------------------------------------
DUMP OF SERVICE appops:
Current AppOps Service state:
…
--------- 0.004s was the duration of dumpsys appops, ending at: 2026-11-23 09:00:00
```
"""

from __future__ import annotations

import io
import zipfile

from hardener.android.parsers.getprop import parse_getprop
from hardener.android.parsers.text import to_text

MAX_ENTRY_BYTES = 512 * 1024 * 1024


class NotABugreport(ValueError):
    """The data is neither a bugreport zip nor a bugreport text."""


def bugreport_text(data: bytes) -> str:
    """The main dumpstate text: from a zip (its `main_entry.txt` or largest bugreport-*.txt),
    or the data itself when it is already text."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
                main = None
                if "main_entry.txt" in names:
                    main = archive.read("main_entry.txt").decode("utf-8", "replace").strip()
                if main not in names:
                    texts = [
                        info
                        for info in archive.infolist()
                        if info.filename.endswith(".txt")
                        and info.filename.rsplit("/", 1)[-1].startswith("bugreport")
                    ]
                    if not texts:
                        raise NotABugreport("the zip holds no bugreport-*.txt")
                    main = max(texts, key=lambda info: info.file_size).filename
                info = archive.getinfo(main)
                if info.file_size > MAX_ENTRY_BYTES:
                    raise NotABugreport(f"{main} is larger than {MAX_ENTRY_BYTES} bytes")
                return to_text(archive.read(main))
        except (zipfile.BadZipFile, KeyError) as error:
            raise NotABugreport(f"not a readable zip: {error}") from None
    text = to_text(data)
    if "DUMP OF SERVICE" not in text and "== dumpstate:" not in text:
        raise NotABugreport("no `DUMP OF SERVICE` section: not a bugreport")
    return text


def service_section(text: str, service: str) -> str | None:
    """The output of `dumpsys SERVICE` inside a bugreport, or None when it is absent."""
    header = f"DUMP OF SERVICE {service}:\n"
    start = text.find(header)
    if start < 0:
        return None
    body_start = start + len(header)
    end = len(text)
    for marker in ("\n--------- ", "\nDUMP OF SERVICE ", "\n" + "-" * 79 + "\n"):
        found = text.find(marker, body_start)
        if found >= 0:
            end = min(end, found + 1)
    return text[body_start:end]


def system_properties(text: str) -> dict[str, str]:
    """The `[key]: [value]` lines of the SYSTEM PROPERTIES section."""
    start = text.find("------ SYSTEM PROPERTIES")
    if start < 0:
        return {}
    body = text.find("\n", start) + 1
    end = text.find("\n------ ", body)
    return dict(parse_getprop(text[body : end if end >= 0 else len(text)]))

#!/usr/bin/env bash
# Programs the tests drive that pip cannot provide everywhere:
#  - the official adb client: the one inside the adbutils wheel (installed by bootstrap.sh dev),
#    else Debian's `adb` package;
#  - `crontab`, for the schedule tests: Debian's `cron` package;
#  - a headless browser for the evidence report test: Debian's `chromium` package.
# Tests that still lack one of them skip with that reason.
set -uo pipefail
cd "$(dirname "$0")/.."

have() { command -v "$1" >/dev/null 2>&1; }
apt_install() {
    if have apt-get && [ "$(id -u)" = 0 ]; then
        echo "installing $1 with apt-get" >&2
        (apt-get install -y -q "$1" >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$1" >/dev/null 2>&1; }) \
            || echo "could not install $1; the tests that need it will skip" >&2
    else
        echo "$1 is missing and apt-get is unavailable (or not root); the tests that need it will skip" >&2
    fi
}

bundled_adb=$(.venv/bin/python -c 'import adbutils, pathlib; p = pathlib.Path(adbutils.__file__).parent / "binaries" / "adb"; print(p if p.is_file() else "")' 2>/dev/null)
if [ -z "$bundled_adb" ] && ! have adb; then
    apt_install adb
fi
if ! have crontab; then
    apt_install cron
fi
if ! have chromium && ! have chromium-browser; then
    apt_install chromium
fi
exit 0

#!/usr/bin/env bash
# Programs the tests drive that pip cannot provide everywhere:
#  - the official adb client: the one inside the adbutils wheel (installed by bootstrap.sh dev),
#    else Debian's `adb` package;
#  - `crontab`, for the schedule tests: Debian's `cron` package;
#  - a headless browser for the evidence report test: Debian's `chromium` package.
#  - `ssh-keygen`, the engine of signed profiles and their interoperability tests: Debian's
#    `openssh-client`;
#  - `systemd-analyze`, which checks the systemd timers hardener writes (`verify`) and their
#    DST-correct calendar lines (`calendar`): Debian's `systemd` package (installing it in a
#    container does not start it; only the analyzer is used).
#  - `mksh` (Android's /system/bin/sh) and `busybox` (another small POSIX sh), to run the armed
#    job script (tests/arm) under the shells it must work in: Debian's `mksh` and `busybox`.
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
if ! have ssh-keygen; then
    apt_install openssh-client
fi
if ! have systemd-analyze; then
    apt_install systemd
fi
if ! have mksh; then
    apt_install mksh
fi
if ! have busybox; then
    apt_install busybox
fi
exit 0

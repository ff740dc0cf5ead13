"""A bugreport's text cut into sections, and the three service dumps read only offline."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.android.parsers.bugreport import parse_bugreport
from hardener.android.parsers.service_dumps import (
    parse_dumpsys_user,
    parse_notification_listeners,
    parse_usagestats_buckets,
)

RULE = "-" * 79

SAMPLE = f"""========================================================
== dumpstate: 2026-11-24 21:05:13
========================================================

Build: UP1A.231005.007
Build fingerprint: 'google/oriole/oriole:14/UP1A.231005.007/10754064:user/release-keys'
Bugreport format version: 2.0

------ SYSTEM PROPERTIES (getprop) ------
[ro.build.version.sdk]: [34]
[ro.product.model]: [Pixel 6]
------ 0.027s was the duration of 'SYSTEM PROPERTIES' ------

------ DUMPSYS CRITICAL (/system/bin/dumpsys) ------
{RULE}
DUMP OF SERVICE CRITICAL cpuinfo:
Load: 1.0 / 1.0 / 1.0
--------- 0.050s was the duration of dumpsys cpuinfo, ending at: 2026-11-24 21:05:14
------ 0.051s was the duration of 'DUMPSYS CRITICAL' ------
------ DUMPSYS (/system/bin/dumpsys) ------
{RULE}
DUMP OF SERVICE appops:
Current AppOps Service state:
  {RULE}
  line after an indented rule

--------- 0.010s was the duration of dumpsys appops, ending at: 2026-11-24 21:05:15
{RULE}
DUMP OF SERVICE package:
Packages:
  Package [com.a] (1):
--------- 0.100s was the duration of dumpsys package
{RULE}
DUMP OF SERVICE user:
Users:
  UserInfo{{0:Owner:c13}} serialNo=0
{RULE}
DUMP OF SERVICE package:
second dump of package is ignored
--------- 0.001s was the duration of dumpsys package
------ 0.500s was the duration of 'DUMPSYS' ------
"""


def test_header_commands_and_services_are_split():
    report = parse_bugreport(SAMPLE)
    assert report.taken_at == "2026-11-24 21:05:13"
    assert report.header["Build"] == "UP1A.231005.007"
    assert report.header["Bugreport format version"] == "2.0"
    assert report.command("SYSTEM PROPERTIES") == (
        "[ro.build.version.sdk]: [34]\n[ro.product.model]: [Pixel 6]\n"
    )
    assert report.command_lines["SYSTEM PROPERTIES"] == "getprop"
    assert report.service("cpuinfo") == "Load: 1.0 / 1.0 / 1.0\n"
    assert report.service("appops") == (
        f"Current AppOps Service state:\n  {RULE}\n  line after an indented rule\n\n"
    )
    assert report.service("package") == "Packages:\n  Package [com.a] (1):\n"  # the first one
    assert report.service("user") == "Users:\n  UserInfo{0:Owner:c13} serialNo=0\n"  # no footer
    assert report.service("usagestats") is None
    assert report.is_bugreport


def test_windows_line_ends_read_the_same():
    assert parse_bugreport(SAMPLE.replace("\n", "\r\n")) == parse_bugreport(SAMPLE)


def test_text_that_is_not_a_bugreport_has_no_sections():
    report = parse_bugreport("hello\nworld\n")
    assert not report.is_bugreport and not report.services and not report.commands


def test_standby_buckets_per_user():
    text = """
User 0 App Standby States:
  package=com.a u=0 bucket=10 reason=u-mba used=+1h usedByUser=+1h
  package=com.b u=0 bucket=45 reason=f-s used=+1h
User 10 App Standby States:
  package=com.a u=10 bucket=5 reason=e-s
 (an old build's line) package=com.c u=0 bucket=40 reason=d-t
"""
    assert parse_usagestats_buckets(text) == {
        0: {"com.a": 10, "com.b": 45, "com.c": 40},
        10: {"com.a": 5},
    }


def test_notification_listeners_per_user_as_the_setting_spells_them():
    text = """Current Notification Manager state:
  Notification listeners:
    Allowed user ids: 0 10
    Allowed notification listeners:
      com.a/com.a.L:com.b/.Short (user: 0 isPrimary: true)
       (user: 10 isPrimary: false)
    All notification listeners (2) enabled for current profiles:
      ComponentInfo{com.a/com.a.L}
  Notification assistants:
    Allowed notification assistants:
      com.x/.Assistant (user: 0 isPrimary: true)
"""
    assert parse_notification_listeners(text) == {0: ("com.a/com.a.L", "com.b/.Short"), 10: ()}


def test_users_from_the_user_dump():
    text = "Users:\n  UserInfo{0:Owner:c13} serialNo=0\n    Created: <unknown>\n"
    text += "  UserInfo{10:Work: profile:1030} serialNo=1 <partial>\n"
    users = parse_dumpsys_user(text).users
    assert [(u.id, u.name, u.flags) for u in users] == [
        (0, "Owner", 0xC13),
        (10, "Work: profile", 0x1030),
    ]


FRAGMENTS = [
    "== dumpstate: 2026\n",
    "========\n",
    "Build: x\n",
    "------ SYSTEM PROPERTIES (getprop) ------\n",
    "------ 0.1s was the duration of 'SYSTEM PROPERTIES' ------\n",
    "------ DUMPSYS (/system/bin/dumpsys) ------\n",
    RULE + "\n",
    "DUMP OF SERVICE package:\n",
    "DUMP OF SERVICE HIGH user:\n",
    "--------- 0.004s was the duration of dumpsys package, ending at: x\n",
    "package=com.a u=0 bucket=10\n",
    "Allowed notification listeners:\n",
    "  com.a/.B (user: 0 isPrimary: true)\n",
    "UserInfo{0:a:13}\n",
    "\r\n",
    "\n",
    " ",
    "(",
    ":",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join),
)


@settings(max_examples=400)
@given(texts)
def test_no_parser_raises_on_any_text(text):
    parse_bugreport(text)
    parse_bugreport(text.encode("utf-8", "surrogatepass"))
    parse_usagestats_buckets(text)
    parse_notification_listeners(text)
    parse_dumpsys_user(text)


body_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30
).filter(lambda line: not line.lstrip().startswith(("-", "DUMP OF SERVICE", "==")))


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z_.]{0,15}", fullmatch=True),
        st.lists(body_line, max_size=6),
        max_size=6,
    )
)
def test_service_dumps_come_back_exactly(dumps):
    """Rendered as dumpstate writes them, every service's text is read back unchanged."""
    parts = ["=" * 56, "== dumpstate: 2026-01-01 00:00:00", "=" * 56, "",
             "------ DUMPSYS (/system/bin/dumpsys) ------"]  # fmt: skip
    for name, lines in dumps.items():
        parts += [RULE, f"DUMP OF SERVICE {name}:", *lines]
        parts.append(f"--------- 0.001s was the duration of dumpsys {name}, ending at: x")
    parts.append("------ 0.1s was the duration of 'DUMPSYS' ------")
    report = parse_bugreport("\n".join(parts) + "\n")
    assert dict(report.services) == {
        name: "".join(line + "\n" for line in lines) for name, lines in dumps.items()
    }

"""Apps behave on the phone's own clock: whenever its time moves (awake, asleep, off, or
real time passing), they act over the span it moved, in time order with the detached jobs
the kernel runs (hardener/sim/android/behaviour.py `AppClock`, kernel.py `Kernel.apps`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hardener.android.parsers.appops_access import parse_last_access
from hardener.sim.android import AndroidDevice, load_persona
from hardener.sim.android.access_log import ACCESSED, REFUSED, AccessEvent
from hardener.sim.android.behaviour import doze_periods, simulate
from hardener.sim.android.clock import DeviceClock

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 11, 16, tzinfo=BERLIN)  # a Monday, 00:00
MONDAY = START.timestamp()
HOUR = 3600
DINGTALK = "com.alibaba.android.rimet"


def frozen(**options: object) -> AndroidDevice:
    return load_persona("pixel-14", clock=START, real_time=False, **options)  # type: ignore[arg-type]


def sh(phone: AndroidDevice, command: str) -> str:
    return phone.run(command).stdout.decode()


def clock_of(events: list[AccessEvent]) -> list[tuple[str, str, str, str]]:
    return [
        (
            datetime.fromtimestamp(e.when_ms / 1000, BERLIN).strftime("%a %H:%M"),
            e.package.rsplit(".", 1)[-1],
            e.op,
            e.outcome,
        )
        for e in events
    ]


def test_an_advance_gives_exactly_what_simulate_gives():
    lived = frozen()
    # 30 hours in uneven steps, the phone looked at between them
    for hours in (7, 1 / 3600, 2.5, 14.5, 6 - 1 / 3600):
        lived.advance(hours * HOUR)
        sh(lived, f"dumpsys appops --package {DINGTALK}")
    quiet = frozen(behave=False)
    quiet.advance(30 * HOUR)
    assert quiet.model.access.events == []  # behave=False: the apps do nothing by themselves
    simulate(quiet.model, MONDAY, MONDAY + 30 * HOUR)
    assert lived.model.access.events == quiet.model.access.events
    assert len(lived.model.access.events) > 180  # DingTalk every 10 min, contacts, WeChat
    for phone in (lived, quiet):  # opening DingTalk at 08:50 and 21:30 launched it
        state = phone.model.packages[DINGTALK].users[0]
        assert (state.stopped, state.running) == (False, True)


def test_doze_defers_reads_to_the_maintenance_windows():
    phone = frozen()
    phone.advance(22 * HOUR)  # Monday 22:00; the phone is then left unplugged all night
    before = len(phone.model.access.events)
    phone.suspend(8 * HOUR)
    night = phone.model.access.events[before:]
    # The first hour as usual; idle 23:00-00:00 (its deferred read is the 00:00 one), a
    # window 00:00-00:05, idle 00:05-02:05 (location and the 02:00 contacts read deferred
    # to 02:05), a window 02:05-02:15, idle from 02:15 until the phone wakes at 06:00.
    assert clock_of(night) == [
        *((f"Mon 22:{m}0", "rimet", "FINE_LOCATION", ACCESSED) for m in range(6)),
        ("Tue 00:00", "rimet", "FINE_LOCATION", ACCESSED),
        ("Tue 02:05", "rimet", "FINE_LOCATION", ACCESSED),
        ("Tue 02:05", "rimet", "READ_CONTACTS", ACCESSED),
        ("Tue 02:10", "rimet", "FINE_LOCATION", ACCESSED),
    ]
    assert {e.uid_state for e in night} == {"bg"}  # screen off: nothing in front
    phone.advance(1)  # awake again: the 06:00 read (the one deferred from the idle period)
    assert clock_of(phone.model.access.events[before + len(night) :]) == [
        ("Tue 06:00", "rimet", "FINE_LOCATION", ACCESSED)
    ]
    ms = 60_000
    assert doze_periods(0, 8 * 60 * ms) == [
        (0, 60 * ms, False),
        (60 * ms, 120 * ms, True),
        (120 * ms, 125 * ms, False),
        (125 * ms, 245 * ms, True),
        (245 * ms, 255 * ms, False),
        (255 * ms, 480 * ms, True),
    ]


def test_nobody_opens_an_app_while_the_phone_sleeps():
    phone = frozen()
    phone.advance(8 * HOUR)  # 08:00: WeChat is opened now, and DingTalk at 08:50
    sh(phone, f"am force-stop {DINGTALK}")
    phone.suspend(2 * HOUR)
    phone.advance(2 * HOUR)  # the next opening is 21:30
    eight = (MONDAY + 8 * HOUR) * 1000
    events = phone.model.access.events
    assert not [e for e in events if e.package == DINGTALK and e.when_ms >= eight]
    assert phone.model.packages[DINGTALK].users[0].stopped


def test_a_reboot_off_time_gives_nothing():
    phone = frozen()
    phone.reboot(off_s=3 * HOUR, boot_s=60)  # off from 00:00 to 03:00, booted at 03:01
    assert phone.model.access.events == []
    phone.advance(HOUR)
    assert [t for t, *_ in clock_of(phone.model.access.events)] == [
        f"Mon 0{h}:{m}0" for h, m in [(3, 1), (3, 2), (3, 3), (3, 4), (3, 5), (4, 0)]
    ]


class FakeHost:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_real_time_catches_up_lazily_when_the_phone_is_looked_at():
    host = FakeHost()
    model = frozen(behave=False).model
    phone = AndroidDevice(model, clock=DeviceClock(START, real_time=True, source=host))
    host.now += HOUR + 30  # an hour passes on the host, and the phone's clock follows it
    assert model.access.events == []  # nothing has looked at the phone yet
    text = sh(phone, f"dumpsys appops --package {DINGTALK} --op FINE_LOCATION")
    times = [t for t, *_ in clock_of(model.access.events)]
    assert times == [f"Mon 00:{m}0" for m in range(6)] + ["Mon 01:00"]
    (last,) = [e for e in parse_last_access(text) if e.uid_state == "bg"]
    assert last.when.replace(tzinfo=BERLIN) == datetime(2026, 11, 16, 1, 0, tzinfo=BERLIN)


def test_a_detached_job_and_the_apps_interleave_in_time_order():
    phone = frozen()
    phone.advance(17 * HOUR)
    # A job left on the phone revokes background location at 18:00:05 (as an armed job
    # does at the end of work hours), while the phone goes on, awake, for three hours.
    revoke = f"pm revoke {DINGTALK} android.permission.ACCESS_BACKGROUND_LOCATION"
    assert phone.run(f"sleep 3605 && {revoke} >/dev/null 2>&1 &").exit_code == 0
    before = len(phone.model.access.events)
    phone.advance(3 * HOUR)
    evening = [e for e in phone.model.access.events[before:] if e.package == DINGTALK]
    assert clock_of(evening) == [
        *((f"Mon 17:{m}0", "rimet", "FINE_LOCATION", ACCESSED) for m in range(6)),
        ("Mon 18:00", "rimet", "FINE_LOCATION", ACCESSED),  # before the job's revoke
        *((f"Mon 18:{m}0", "rimet", "FINE_LOCATION", REFUSED) for m in range(1, 6)),
        *((f"Mon 19:{m}0", "rimet", "FINE_LOCATION", REFUSED) for m in range(6)),
    ]
    assert phone.jobs() == []  # the job ran and ended


def test_periodic_reads_count_from_when_the_phone_was_made():
    made = datetime(2026, 11, 16, 12, 3, 20, tzinfo=BERLIN)
    phone = load_persona("pixel-14", clock=made, real_time=False)
    phone.advance(9 * 60 + 59)  # a session shorter than the period sees one read: the first
    assert [t for t, *_ in clock_of(phone.model.access.events)] == ["Mon 12:03"]
    phone.advance(20 * 60)
    events = [e for e in phone.model.access.events if e.package == DINGTALK]
    times = [datetime.fromtimestamp(e.when_ms / 1000, BERLIN) for e in events]
    assert [t.strftime("%H:%M:%S") for t in times] == ["12:03:20", "12:13:20", "12:23:20"]

"""The job's log is hostile input: parsing never raises, and only well-formed lines of the
expected job count."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hardener.arm.joblog import MAX_TEXT, parse_job_log

ID = "0123456789abcdef"
OTHER = "fedcba9876543210"

GOOD = f"""\
100 start {ID} 4242
100 hb
160 wake 100
200 step 1 begin 190
200 saw 1 0 android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET]
200 hold 1 0 android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET]
200 cmd 1 0 0 pm revoke --user 0 com.example.app android.permission.READ_CONTACTS
200 after 1 0 android.permission.READ_CONTACTS: granted=false, flags=[ USER_SET]
201 cmd 1 - 255 am force-stop --user 0 com.example.app
201 out 1 - Exception occurred while executing 'force-stop':
201 out 1 - java.lang.SecurityException: nope
202 done 1
300 step 2 begin 300
300 gave 2 0 android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET]
301 done 2
301 end finished
"""


def parse(text: str | bytes, steps: int = 2, levers: int = 1):
    return parse_job_log(text, ID, steps=steps, levers=levers)


def test_a_whole_run_reads_back_as_it_happened() -> None:
    log = parse(GOOD)
    assert (log.started, log.pid, log.bad, log.foreign) == (100, 4242, 0, 0)
    assert [(s.number, s.scheduled, s.began, s.done, s.late_s) for s in log.steps] == [
        (1, 190, 200, 202, 10),
        (2, 300, 300, 301, 0),
    ]
    assert log.wakes == ((100, 160),)
    assert log.ended == (301, "finished") and log.last_seen == 301
    assert log.holds(0) is None  # given back at step 2
    stop = log.commands[1]
    assert (stop.lever, stop.status) == (None, 255)
    assert stop.output == (
        "Exception occurred while executing 'force-stop':",
        "java.lang.SecurityException: nope",
    )


def test_a_job_killed_after_its_harden_still_holds_what_it_took() -> None:
    text = GOOD.split("300 step 2")[0]
    log = parse(text)
    assert log.holds(0) == (
        200,
        "android.permission.READ_CONTACTS: granted=true, flags=[ USER_SET]",
    )
    assert log.ended is None


def test_lines_of_another_job_or_before_its_start_do_not_count() -> None:
    text = f"50 start {OTHER} 1\n60 hold 1 0 x\n" + GOOD
    log = parse(text)
    assert log.foreign == 2 and log.bad == 0 and log.started == 100
    assert parse(f"50 start {OTHER} 1\n60 hold 1 0 x\n").started is None


def test_malformed_lines_are_counted_and_skipped() -> None:
    hostile = [
        "abc hb",
        "100 hold 1 7 out-of-range lever",
        "100 hold 9 0 out-of-range step",
        "100 cmd 1 0 999999 status too long",
        "100 step 1 begin",
        "100 end because",
        "100 out 2 0 output for a command that is not the last one",
        "100 refuse serial " + OTHER,
        "1" * 13 + " hb",
        "100 hold 1 0 " + "x" * 5000,
        "100 \x00 nul",
    ]
    log = parse(GOOD + "\n".join(hostile) + "\n")
    assert log.bad == len(hostile)
    assert log.holds(0) is None and log.ended == (301, "finished")


def test_output_shown_to_people_is_printable_and_bounded() -> None:
    text = f"100 start {ID} 1\n101 cmd 1 0 0 pm x\n101 out 1 0 \x1b[2J\x1b]0;title\x07{'y' * 999}\n"
    log = parse(text)
    [line] = log.commands[0].output
    assert "\x1b" not in line and "\x07" not in line and len(line) == MAX_TEXT


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_any_text_parses_without_raising(text: str) -> None:
    log = parse(text, steps=3, levers=5)
    assert log.bad >= 0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    parse(data, steps=3, levers=5)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10**12 - 1),
            st.sampled_from(["hold", "gave", "saw", "after", "cmd", "out", "skip", "step", "done"]),
            st.integers(-1, 9),
            st.integers(-1, 9),
            st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=40),
        ),
        max_size=40,
    )
)
def test_injected_events_never_name_a_lever_or_step_the_job_lacks(rows: list) -> None:
    lines = [f"1 start {ID} 1"] + [f"{t} {e} {s} {i} {v}" for t, e, s, i, v in rows]
    log = parse("\n".join(lines), steps=2, levers=3)
    assert all(0 <= e.lever < 3 and 1 <= e.step <= 2 for e in log.levers)
    assert all(1 <= s.number <= 2 for s in log.steps)
    assert all(c.lever is None or 0 <= c.lever < 3 for c in log.commands)

"""What the journal keeps after a run: `settle` decides from each action's outcome."""

import json
from dataclasses import replace

from hardener.core.outcomes import Outcome, Status, settle
from hardener.core.plan import HARDEN, make_plan

from .test_plan import NOW, WANTS, contacts, snapshot


def outcome(plan, status):
    action = next(a for a in plan.actions if a.key == contacts)
    return Outcome(
        key=contacts, intent=HARDEN, status=status, words=action.words, reason=action.reason,
        before=action.before, after=action.before if status != Status.APPLIED else action.target,
    )  # fmt: skip


def test_an_applied_harden_is_confirmed():
    plan = make_plan(snapshot(), WANTS, {}, now=NOW)
    assert settle(plan, [outcome(plan, Status.APPLIED)], {})[contacts].confirmed


def test_a_refused_harden_with_nothing_to_give_back_is_dropped():
    plan = make_plan(snapshot(), WANTS, {}, now=NOW)
    assert contacts not in settle(plan, [outcome(plan, Status.REFUSED)], {})


def test_a_harden_that_did_not_show_yet_keeps_its_baseline():
    """The read-back may be older than the write (a mirrored setting updated later): the
    baseline must survive, or a change that did happen could never be given back."""
    plan = make_plan(snapshot(), WANTS, {}, now=NOW)
    kept = settle(plan, [outcome(plan, Status.DID_NOT_TAKE)], {})
    assert kept[contacts] == replace(plan.journal[contacts], confirmed=False)


def test_statuses_keep_their_json_words():
    """The values are part of `--json`, the history and fleet reports."""
    assert [s.value for s in Status] == ["applied", "already", "refused", "did_not_take"]
    plan = make_plan(snapshot(), WANTS, {}, now=NOW)
    document = json.loads(json.dumps(outcome(plan, Status.DID_NOT_TAKE).to_json()))
    assert document["status"] == "did_not_take" and document["intent"] == "harden"

"""What a run did on one phone, as a record the reports render and the CLI turns into an
exit code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hardener.core.evaluate import Evaluation
from hardener.core.outcomes import RunResult
from hardener.core.plan import Plan
from hardener.core.records import Snapshot
from hardener.errors import EXIT_FINDINGS, EXIT_OEM_LOCK, EXIT_OK

if TYPE_CHECKING:  # records of the armed job; the arm package reads the phone, so not at run time
    from hardener.arm.reconcile import ArmReport
    from hardener.arm.session import ArmResult


@dataclass(frozen=True)
class PhoneRun:
    """What happened on one phone: the evaluation (None for restore), the plan, the outcomes."""

    command: str
    transport_serial: str
    snapshot: Snapshot
    plan: Plan
    evaluation: Evaluation | None = None
    result: RunResult | None = None  # None when nothing was applied (plan, --dry-run)
    round_trips: int = 0
    armed: ArmResult | None = None  # the job left on the phone (`arm`, `enforce --arm`)
    arm_reports: tuple[ArmReport, ...] = ()  # what earlier armed jobs did, read at this contact
    notes: tuple[str, ...] = ()  # the journal was damaged, a folder was tightened, ...
    journal_damaged: bool = False

    @property
    def exit_code(self) -> int:
        if self.result is None:
            return EXIT_OK
        if self.result.oem_locked:
            return EXIT_OEM_LOCK
        if self.command == "restore" and (self.plan.kept or self.journal_damaged):
            return EXIT_FINDINGS  # baselines still held that were not given back
        return EXIT_OK if self.result.converged else EXIT_FINDINGS

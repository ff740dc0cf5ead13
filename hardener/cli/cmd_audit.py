"""`hardener audit`: compare the phone with a profile at a moment, and say what enforce would do."""

from __future__ import annotations

from collections import Counter

import typer

from hardener.cli.cmd_enforce import profile_run
from hardener.cli.common import JsonOption, print_json, terminal_width
from hardener.cli.offline import FromBugreportOption, audit_offline, check_source, printable
from hardener.cli.options import PHONE, TARGET, shared_options
from hardener.core.evaluate import Severity
from hardener.core.options import PhoneOptions, ProfileOptions
from hardener.core.run_report import findings_table, moment_line, run_json
from hardener.core.textfit import wrap
from hardener.errors import EXIT_FINDINGS, EXIT_OK
from hardener.textsafe import visible


def register(app: typer.Typer) -> None:
    @app.command("audit")
    @shared_options(*TARGET, ..., *PHONE, "require_signed")
    def audit_command(
        phone: PhoneOptions,
        chosen: ProfileOptions,
        as_json: JsonOption = False,
        from_bugreport: FromBugreportOption = None,
    ) -> None:
        """Report where the phone differs from the profile at a moment (default: now).

        Severities: violation (off-limits now and on: enforce turns it off now), pending
        restore (hardener holds something the profile allows back now), outside hours (allowed
        now, turned off at the next transition), next transition (turned off, given back when
        work starts), cannot (on, but fixed by the system or a policy, or a protected app).

        Exit status: 0 compliant, 1 findings enforce would act on now, 2 bad input,
        3 phone unreachable. Nothing on the phone is changed.

        Examples:

          hardener audit --profile default --at 2026-11-24T20:00

          hardener audit --profile default --from-bugreport bugreport.zip --json
        """
        check_source(phone.device, from_bugreport)
        extra: dict[str, object] = {}
        if from_bugreport is not None:
            loaded, run, offline = audit_offline(phone, chosen, from_bugreport)
            extra = offline.json_extra()
        else:
            loaded, run = profile_run(phone, chosen, apply=False, command="audit")
        for note in run.notes:  # a damaged journal, a folder tightened
            typer.echo(f"hardener: {visible(note)}", err=True)
        evaluation = run.evaluation
        assert evaluation is not None
        code = EXIT_OK if evaluation.compliant else EXIT_FINDINGS
        gaps = loaded.work_hours.calendar_gaps(evaluation.moment.date())
        if as_json:
            document = {**run_json(run), **extra}
            document["warnings"] = list(gaps)
            document["exit_code"] = code
            print_json(document)
            raise typer.Exit(code)
        cols = terminal_width()
        lines = wrap(moment_line(evaluation), cols, hang="  ")
        for gap in gaps:
            lines += wrap(f"warning: {gap}", cols, hang="  ")
        typer.echo("\n".join(lines))
        typer.echo(findings_table(evaluation.findings, cols))
        counts = Counter(f.severity for f in evaluation.findings)
        parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in Severity if counts.get(s)]
        verdict = "compliant" if evaluation.compliant else "not compliant: run `hardener enforce`"
        typer.echo(f"{', '.join(parts) or 'no findings'}; {verdict}")
        if extra:
            taken = printable(offline.sections.taken_at) or "(unknown)"
            typer.echo(f"from {from_bugreport}, taken {taken}")
        raise typer.Exit(code)

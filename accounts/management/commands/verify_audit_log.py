"""`manage.py verify_audit_log`: check the audit hash chain end to end.

Exit 0 and one line when the chain is intact. Otherwise one line per problem — the event's
sequence number and what is wrong, never the event's content — and exit 1.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.audit import check_chain


class Command(BaseCommand):
    help = "Check that no audit event was altered, removed or cut off the end of the chain."

    def handle(self, *args: Any, **options: Any) -> None:
        report = check_chain()
        if report.intact:
            self.stdout.write(f"The audit log is intact ({report.events} events).")
            return
        for problem in report.problems:
            self.stdout.write(f"Event {problem.sequence}: {problem.problem}")
        raise CommandError(
            f"The audit log has {len(report.problems)} problem(s) in {report.events} events."
        )

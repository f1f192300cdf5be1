"""User-facing errors: every problem names file, row, column, value and rule.

The CLI prints these as one screen of text and exits non-zero; they are never shown as a
traceback, because they describe a mistake in the input, not in the code.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PROBLEMS_SHOWN = 40


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # 1-based data row (header excluded), or None for file-level problems
    column: str | None
    value: object
    rule: str

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column `{self.column}`"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: {self.rule}{value}"


class InputError(Exception):
    """One or more problems in the user's input; the build writes nothing."""

    def __init__(self, problems: list[Problem], hint: str | None = None):
        self.problems = list(problems)
        self.hint = hint
        super().__init__(self.message())

    def message(self) -> str:
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines = [f"Input is not valid: {len(self.problems)} problem(s) found."]
        lines += [f"  - {p.describe()}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more of the same kinds.")
        lines.append(self.hint or "Fix the input files named above and run the build again; nothing was written.")
        return "\n".join(lines)

    def __reduce__(self):
        # Raised in a background process (the audit beside the pages), it comes back whole.
        return type(self), (self.problems, self.hint)


class ReleaseRefused(Exception):
    """A release gate said no (embargo, data status, audit, data hash); nothing was written."""


class AuditFailed(Exception):
    """The disclosure audit found a suppressed cell that can be derived or is visible."""

    def __init__(self, findings: list[str]):
        self.findings = list(findings)
        shown = "\n".join(f"  - {f}" for f in self.findings[:MAX_PROBLEMS_SHOWN])
        more = len(self.findings) - MAX_PROBLEMS_SHOWN
        extra = f"\n  ... and {more} more." if more > 0 else ""
        super().__init__(f"Disclosure audit failed: {len(self.findings)} finding(s).\n{shown}{extra}")

    def __reduce__(self):
        # Raised in a forked worker (report packs), it comes back whole, findings and all.
        return type(self), (self.findings,)

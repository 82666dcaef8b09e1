"""One checks mechanism for every study: a check result, its log line and the workflow's failure.

A check is a :class:`CheckResult`: a named statement, the measured value and the bound it must
satisfy. :func:`run_checks` logs every result, fails the workflow (raising :class:`CheckFailed`
naming each failed check) and otherwise writes the JSON report that the rule declares.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


class CheckFailed(AssertionError):
    """At least one check failed; the message names each one.

    Parameters
    ----------
    message : str
    """


@dataclass(frozen=True)
class CheckResult:
    """One verified statement: what was measured, the bound it must satisfy, and the verdict.

    Attributes
    ----------
    name : str
        Short identifier of the check.
    statement : str
        What is verified, in words.
    measured, bound : float
    passed : bool
    """

    name: str
    statement: str
    measured: float
    bound: float
    passed: bool

    def as_dict(self) -> dict:
        """JSON-ready form.

        Returns
        -------
        dict
            The five attributes by name.
        """
        return asdict(self)


def at_most(name: str, statement: str, measured: float, bound: float) -> CheckResult:
    """A check that passes when ``measured <= bound`` (NaN fails).

    Parameters
    ----------
    name : str
        Short identifier of the check.
    statement : str
        What is verified, in words.
    measured, bound : float

    Returns
    -------
    CheckResult
    """
    measured = float(measured)
    return CheckResult(name, statement, measured, float(bound), bool(measured <= bound))


def at_least(name: str, statement: str, measured: float, bound: float) -> CheckResult:
    """A check that passes when ``measured >= bound`` (NaN fails).

    Parameters
    ----------
    name : str
        Short identifier of the check.
    statement : str
        What is verified, in words.
    measured, bound : float

    Returns
    -------
    CheckResult
    """
    measured = float(measured)
    return CheckResult(name, statement, measured, float(bound), bool(measured >= bound))


def raise_on_failure(results: list[CheckResult], context: str) -> None:
    """Raise :class:`CheckFailed` naming every failed check.

    Parameters
    ----------
    results : list of CheckResult
    context : str
        Starts the failure message, e.g. ``"Figure 1 check"``.

    Raises
    ------
    CheckFailed
        If any result did not pass.
    """
    failed = [r for r in results if not r.passed]
    if failed:
        lines = [f"{r.name}: {r.statement} (measured {r.measured:.6g}, bound {r.bound:.6g})" for r in failed]
        raise CheckFailed(f"{context}: {len(failed)} check(s) failed:\n  - " + "\n  - ".join(lines))


def log_results(results: list[CheckResult], log) -> None:
    """One line per result: ``PASS``/``FAIL``, its name, the measured value and the bound.

    Parameters
    ----------
    results : list of CheckResult
    log : logging.Logger
    """
    for result in results:
        log.info("%s %s: measured %.6g, bound %.6g", "PASS" if result.passed else "FAIL",
                 result.name, result.measured, result.bound)


def run_checks(results: list[CheckResult], log, context: str, report_path, enforced=None, **extra) -> None:
    """Log ``results``, fail on any failed ``enforced`` check, then write the JSON report.

    Parameters
    ----------
    results : list of CheckResult
        Everything measured; all of it is logged and reported.
    log : logging.Logger
        The rule's log (see :func:`cossim.logs.logged_to`).
    context : str
        Names the check in the failure message, e.g. ``"Figure 1 check"``.
    report_path : str or Path
        The rule's JSON output: ``{"checks": [...], **extra}``. It is not written when a check fails.
    enforced : list of CheckResult, optional
        The results that fail the workflow (default: all of them); the rest are reported only.
    **extra
        Further JSON-ready entries of the report (notes, summaries).

    Raises
    ------
    CheckFailed
        If an enforced check failed.
    """
    from .io import save_json

    log_results(results, log)
    raise_on_failure(results if enforced is None else enforced, context)
    save_json(report_path, {"checks": [r.as_dict() for r in results], **extra})

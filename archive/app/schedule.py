"""Scheduled runs: crawl, build, then say what is new since the previous run.

`run_once` is one run: under the data folder's lock (`archive.layout.DataDir.lock`, an
`fcntl.flock` the OS releases when the process dies) it crawls (`archive.app.crawl.run_crawl`, a
child process that also closes the `.open` WARCs of a killed crawl), builds in a child process (a
build that dies cannot take the scheduler with it), compares the new database with the previous
one (`archive.build.change_history.news`) and writes the report to
`DATA/reports/<crawl-id>.json`. A run that finds the lock taken is skipped: another scheduler, or
`seedcheck run`, is at work on the data.

`schedule` repeats runs on a `Timing`, surviving failed runs. Exit codes of a run (and of
`seedcheck schedule`, from its last run): 0 ran and nothing is new, 3 ran and found changes,
1 failed, 4 skipped because another run held the lock.

"""

from __future__ import annotations

import io
import json
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.app.child import run_in_child
from archive.app.crawl import CrawlError, CrawlOptions, explain, run_crawl
from archive.app.crawl import describe as describe_crawl
from archive.app.cron import Timing
from archive.build.change_history import news, snapshot
from archive.layout import DataDir, LockedError

NOTHING_NEW, FAILED, CHANGES, SKIPPED = 0, 1, 3, 4
NOTIFY_TIMEOUT = 300.0
NOTHING_FETCHED_ERROR = "nothing could be fetched, live or archived (no internet?)"
Echo = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    crawl: CrawlOptions
    workers: int | None = None            # build workers (see BuildOptions)
    notify_command: str | None = None     # run with the report's path as its last argument


@dataclass
class RunReport:
    status: str                           # nothing-new | changes | failed | skipped
    exit_code: int
    crawl_id: str | None = None
    report_path: Path | None = None
    started_at: str = ""
    finished_at: str = ""
    error: str | None = None
    new: dict[str, list[dict]] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)   # each step: its process, outcome, output

    def to_dict(self) -> dict:
        return {"crawl_id": self.crawl_id, "status": self.status, "exit_code": self.exit_code,
                "started_at": self.started_at, "finished_at": self.finished_at,
                "error": self.error, "counts": {k: len(v) for k, v in self.new.items()},
                **self.new, "steps": [step.to_dict() for step in self.steps]}


def now() -> str:
    """UTC with milliseconds: runs a second apart must still order by their times."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def run_once(options: RunOptions, echo: Echo = print) -> RunReport:
    """One run: crawl, build, report; see the module docstring."""
    report = RunReport(status="failed", exit_code=FAILED, started_at=now())
    try:
        with DataDir(options.crawl.data_dir).lock("schedule"):
            _run_locked(options, report, echo)
    except LockedError as exc:
        report.status, report.exit_code, report.error = "skipped", SKIPPED, str(exc)
        echo(f"skipped: {exc}")
        return report
    if options.notify_command and report.report_path and report.status != "nothing-new":
        notify(options.notify_command, report.report_path, echo)
    return report


def _run_locked(options: RunOptions, report: RunReport, echo: Echo) -> None:
    data = DataDir(options.crawl.data_dir)
    before = snapshot(data.database)
    report.error = _crawl(options.crawl, report, echo)
    if report.error in (None, NOTHING_FETCHED_ERROR):  # built all the same: the pages say why
        built = _build(options, report, echo)
        report.error = report.error or built
    if report.error is None:
        report.new = news(before, snapshot(data.database))
        found = any(report.new.values())
        report.status = "changes" if found else "nothing-new"
        report.exit_code = CHANGES if found else NOTHING_NEW
    report.finished_at = now()
    report.report_path = write_report(data, report)
    for line in describe(report):
        echo(line)


@dataclass
class Step:
    """One step of a run (crawl, build) in its child process, as the report keeps it."""

    step: str
    echo: Echo = field(repr=False)
    pid: int | None = None
    outcome: str = "failed"
    output: list[str] = field(default_factory=list)

    def started(self, pid: int) -> None:
        self.pid = pid
        self.echo(f"{self.step}: started (pid {pid})")

    def failed(self, exc: BaseException) -> str:
        """The run's error for a step that raised `exc`."""
        self.output = [str(exc)]
        self.echo(f"  {exc}")
        return f"the {self.step} failed: {exc}"

    def done(self, lines: list[str], shown: list[str]) -> None:
        self.outcome, self.output = "done", lines
        for line in shown:
            self.echo(f"  {line}")

    def to_dict(self) -> dict:
        return {"step": self.step, "pid": self.pid, "outcome": self.outcome,
                "output": self.output}


def _crawl(options: CrawlOptions, report: RunReport, echo: Echo) -> str | None:
    """The crawl step, in its child process; the error that failed the run, or None."""
    step = Step("crawl", echo)
    report.steps.append(step)

    def identified(crawl_id: str) -> None:
        report.crawl_id = crawl_id

    try:
        summary = run_crawl(options, on_start=step.started, on_id=identified)
    except CrawlError as exc:
        return step.failed(exc)
    lines = list(describe_crawl(summary))
    step.done(lines, lines[:3])
    if summary.finish_reason == "shutdown":
        raise KeyboardInterrupt  # Ctrl-C reached the crawl through us: the schedule stops
    return NOTHING_FETCHED_ERROR if explain(summary) is not None else None


def _build(options: RunOptions, report: RunReport, echo: Echo) -> str | None:
    """The build step, in a child process (one that dies cannot take the schedule with it)."""
    step = Step("build", echo)
    report.steps.append(step)
    try:
        lines = run_in_child(_build_step, options, on_start=step.started)
    except Exception as exc:  # BuildError, a dead child, what a broken build raised: run failed
        return step.failed(exc)
    step.done(lines, lines[-3:])
    return None


def _build_step(options: RunOptions, *, emit: Callable[..., None]) -> list[str]:
    """In the child: the build; its summary's lines."""
    from archive.build.builder import BuildOptions, build, format_summary
    from archive.build.progress import Progress

    crawl = options.crawl
    summary = build(BuildOptions(data_dir=crawl.data_dir, seeds_dir=crawl.seeds_dir,
                                 workers=options.workers), Progress(io.StringIO()))
    return format_summary(summary).splitlines()


def write_report(data: DataDir, report: RunReport) -> Path:
    """DATA/reports/<crawl-id>.json (a failed run without a crawl id: run-<time>.json)."""
    data.reports.mkdir(parents=True, exist_ok=True)
    name = report.crawl_id or "run-" + report.started_at.replace("-", "").replace(":", "")
    path = data.report(name)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    temp.replace(path)   # whole or absent: a watcher never reads half a report
    return path


def describe(report: RunReport) -> list[str]:
    """The report as a person reads it after a run."""
    head = f"run {report.crawl_id or '(no crawl id)'}: {report.status}"
    lines = [head + (f" ({report.error})" if report.error else "")]
    for item in report.new.get("changed", []) + report.new.get("back", []):
        lines.append(f"  {item['kind']}: {item['url']} (+{item['words_added'] or 0} "
                     f"-{item['words_removed'] or 0} words)")
    for item in report.new.get("gone", []):
        why = item["error"] or f"HTTP {item['status']}"
        lines.append(f"  gone: {item['url']} ({why})")
    for item in report.new.get("moved", []):
        lines.append(f"  moved: {item['url']} -> {item['location']}")
    for item in report.new.get("verdicts", []):
        lines.append(f"  verdict of {item['seed_id']} against {item['url']}: "
                     f"{item['before']} -> {item['after']}")
    if report.report_path:
        lines.append(f"report: {report.report_path}")
    return lines


def notify(command: str, report_path: Path, echo: Echo) -> int | None:
    """Run the user's command (no shell) with the report's path; its failure is only logged."""
    try:
        argv = [*shlex.split(command), str(report_path)]
        result = subprocess.run(argv, capture_output=True, text=True, timeout=NOTIFY_TIMEOUT)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        echo(f"notify command failed: {exc}")
        return None
    if result.returncode != 0:
        echo(f"notify command exited with status {result.returncode}: "
             f"{result.stderr.strip()[-500:]}")
    return result.returncode


def schedule(options: RunOptions, timing: Timing, runs: int | None = None,
             echo: Echo = print, sleep: Callable[[float], None] = time.sleep) -> int:
    """Run on `timing` until `runs` runs were made (forever if None); the last run's exit code."""
    start = datetime.now(UTC)
    next_at = start if timing.interval is not None or timing.once else timing.next_run(start, start)
    done, code = 0, NOTHING_NEW
    echo(f"seedcheck schedule: {timing.describe()} on {options.crawl.data_dir}"
         + (f", {runs} run(s)" if runs else ""))
    while runs is None or done < runs:
        wait = (next_at - datetime.now(UTC)).total_seconds()
        if wait > 0:
            echo(f"next run at {next_at:%Y-%m-%dT%H:%M:%SZ}")
            sleep(wait)
        try:
            code = run_once(options, echo).exit_code
        except Exception as exc:   # a failed run must not stop the schedule
            echo(f"run failed: {type(exc).__name__}: {exc}")
            code = FAILED
        done += 1
        next_at = timing.next_run(start, datetime.now(UTC))
    return code

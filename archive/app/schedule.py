"""Scheduled runs: crawl, build, then say what is new since the previous run.

`run_once` is one run: it takes the data folder's run lock (`DATA/.schedule.lock`, an
`fcntl.flock` the OS releases when the process dies), crawls in a `seedcheck crawl` subprocess
(Twisted's reactor cannot restart in one process; the crawl also takes `DATA/.crawl.lock` and
closes the `.open` WARCs of a killed crawl), builds in a `seedcheck build` subprocess (a build
that dies cannot take the scheduler with it), compares the new database with the previous one
(`archive.build.change_history.news`) and writes the report to `DATA/reports/<crawl-id>.json`.
A run that finds the lock taken is skipped: another scheduler, or `seedcheck run`, is at work on
the data.

`schedule` repeats runs on a `Timing`, surviving failed runs. Exit codes of a run (and of
`seedcheck schedule`, from its last run): 0 ran and nothing is new, 3 ran and found changes,
1 failed, 4 skipped because another run held the lock.

"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from archive.app.cron import Timing
from archive.app.pipeline import LockedError, run_lock, seedcheck_command
from archive.build.change_history import news, snapshot
from archive.warc.failures import NOTHING_FETCHED

NOTHING_NEW, FAILED, CHANGES, SKIPPED = 0, 1, 3, 4
NOTIFY_TIMEOUT = 300.0
Echo = Callable[[str], None]


@dataclass(frozen=True)
class RunOptions:
    data_dir: Path = Path("data")
    seeds_dir: Path = Path("seeds")
    crawl_args: tuple[str, ...] = ()      # more `seedcheck crawl` options (--resolve, -s ...)
    workers: int | None = None            # `seedcheck build --workers`
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
    steps: list[dict] = field(default_factory=list)   # each subprocess: command, status, output

    def to_dict(self) -> dict:
        return {"crawl_id": self.crawl_id, "status": self.status, "exit_code": self.exit_code,
                "started_at": self.started_at, "finished_at": self.finished_at,
                "error": self.error, "counts": {k: len(v) for k, v in self.new.items()},
                **self.new, "steps": self.steps}


def now() -> str:
    """UTC with milliseconds: runs a second apart must still order by their times."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _step(name: str, command: list[str], echo: Echo) -> dict:
    """Run one subprocess; its output is kept for the report (and the last lines are shown)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace")
    echo(f"{name}: started (pid {process.pid})")
    output, _ = process.communicate()
    lines = output.splitlines()
    for line in lines[-3:]:
        echo(f"  {line}")
    return {"step": name, "command": command, "returncode": process.returncode,
            "output": lines[-40:]}


def _new_crawl_id(crawls: Path, before: set[str]) -> str | None:
    found = sorted(p.stem for p in crawls.glob("*.jsonl")) if crawls.is_dir() else []
    new = [name for name in found if name not in before]
    return new[-1] if new else None


def run_once(options: RunOptions, echo: Echo = print) -> RunReport:
    """One run: crawl, build, report; see the module docstring."""
    report = RunReport(status="failed", exit_code=FAILED, started_at=now())
    try:
        with run_lock(options.data_dir):
            _run_locked(options, report, echo)
    except LockedError as exc:
        report.status, report.exit_code, report.error = "skipped", SKIPPED, str(exc)
        echo(f"skipped: {exc}")
        return report
    if options.notify_command and report.report_path and report.status != "nothing-new":
        notify(options.notify_command, report.report_path, echo)
    return report


def _run_locked(options: RunOptions, report: RunReport, echo: Echo) -> None:
    data, base = options.data_dir, seedcheck_command()
    database = data / "seedcheck.db"
    crawls = data / "crawls"
    logs_before = {p.stem for p in crawls.glob("*.jsonl")} if crawls.is_dir() else set()
    before = snapshot(database)
    crawl = _step("crawl", [*base, "crawl", "--seeds", str(options.seeds_dir), "--data",
                            str(data), *options.crawl_args], echo)
    report.steps.append(crawl)
    report.crawl_id = _new_crawl_id(crawls, logs_before)
    if crawl["returncode"] not in (0, NOTHING_FETCHED):
        report.error = f"the crawl exited with status {crawl['returncode']}"
    else:
        if crawl["returncode"] == NOTHING_FETCHED:     # built all the same: the pages say why
            report.error = "nothing could be fetched, live or archived (no internet?)"
        workers = [] if options.workers is None else ["--workers", str(options.workers)]
        build = _step("build", [*base, "build", "--seeds", str(options.seeds_dir), "--data",
                                str(data), *workers], echo)
        report.steps.append(build)
        if build["returncode"] != 0 and report.error is None:
            report.error = f"the build exited with status {build['returncode']}"
    if report.error is None:
        report.new = news(before, snapshot(database))
        found = any(report.new.values())
        report.status = "changes" if found else "nothing-new"
        report.exit_code = CHANGES if found else NOTHING_NEW
    report.finished_at = now()
    report.report_path = write_report(data, report)
    for line in describe(report):
        echo(line)


def write_report(data_dir: Path, report: RunReport) -> Path:
    """DATA/reports/<crawl-id>.json (a failed run without a crawl id: run-<time>.json)."""
    folder = data_dir / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    name = report.crawl_id or "run-" + report.started_at.replace("-", "").replace(":", "")
    path = folder / f"{name}.json"
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
    echo(f"seedcheck schedule: {timing.describe()} on {options.data_dir}"
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

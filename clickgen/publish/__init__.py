"""Stage 8, publish: planned langpacks -> package repositories, then clickgen.lock.

Input: the IR, the lock, the publish targets (clickgen.yaml's `publish:` plus command
line overrides) and the user's filters. Output: a `PublishReport` saying, per langpack,
which files were (or, with `dry_run`, would be) uploaded where, and which releases
were added to clickgen.lock.

The run has three phases, so that a failure never leaves anything inconsistent:

1. prepare every langpack: build it, run its own tests, package it into deterministic
   files, and ask its repository what it already holds for that version;
2. refuse the whole run (exit 1, nothing uploaded) when any langpack's tests fail or
   any version is already published with other content;
3. upload what is missing, langpack by langpack, and write clickgen.lock only after
   every upload succeeded. Uploads are idempotent (a file already there with the same
   content is skipped), so after a failure half way, running publish again finishes
   the job.

Each language's repository is a `Publisher` (base.py; python.py, php.py, go.py);
report.py renders the result for people, progress.py the progress on the way.
"""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from clickgen.diagnostics import Diagnostic, Span, diag
from clickgen.ir import Reference
from clickgen.plan import LangpackPlan
from clickgen.publish.base import (
    Artifact,
    Langpack,
    Presence,
    Publisher,
    PublishProblem,
    Targets,
    TestRun,
    UploadFailed,
    read_tree,
    resolve_targets,
    same_sources,
    write_files,
)
from clickgen.publish.progress import Progress
from clickgen.publish.report import describe_state, format_report
from clickgen.versioning import LOCK_FILE, Lock, Release, environment_content_hash, resolve_version

__all__ = [
    "Artifact",
    "Langpack",
    "Presence",
    "Publisher",
    "PublishProblem",
    "PublishReport",
    "PublishRequest",
    "Targets",
    "TestRun",
    "UploadFailed",
    "format_report",
    "publish",
    "resolve_targets",
    "same_sources",
]


def publishers() -> dict[str, type[Publisher]]:
    from clickgen.publish.go import GoPublisher
    from clickgen.publish.php import PhpPublisher
    from clickgen.publish.python import PythonPublisher

    return {"python": PythonPublisher, "go": GoPublisher, "php": PhpPublisher}


# ---------------------------------------------------------------- the run


@dataclass(frozen=True)
class PublishRequest:
    environments: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    dry_run: bool = False
    out: Path | None = None  # build folder (default: a temporary one)
    commit: bool = False  # commit clickgen.lock with GitPython


@dataclass
class PublishReport:
    langpacks: list[Langpack] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # tests failing, versions taken
    new_releases: list[Release] = field(default_factory=list)
    lock_written: bool = False
    committed: str = ""  # the lock commit's sha
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.diagnostics


def _span(reference: Reference, environment: str) -> Span:
    return reference.environments[environment].span


def judge(reference: Reference, langpack: Langpack, publisher: Publisher) -> Diagnostic | None:
    """A version is immutable: other content under a published version is an error.

    When clickgen.lock records this very content as the version, the published files
    stay as they are and nothing is uploaded even if this build's bytes differ (say a
    newer clickgen changed the generated code): the lock vouches that the version
    belongs to this content, and published files are never replaced.
    """
    if not langpack.differs:
        return None
    if langpack.released:
        langpack.notes.append(
            f"published files differ from this build ({langpack.detail or 'other bytes'}); clickgen.lock records this content as {langpack.plan.version}, so the published files stay"
        )
        return None
    plan = langpack.plan
    return diag(
        "CG0603",
        f"{langpack.name} {plan.version} ({plan.folder}) is already published at {publisher.destination()} with different content"
        + (f": {langpack.detail}" if langpack.detail else ""),
        _span(reference, plan.environment),
        publisher.conflict_hint(langpack)
        or "published versions are never replaced: another branch probably published this version first; merge its clickgen.lock (e.g. the main branch) and publish again, so the change becomes the next version",
    )


def _release_key(plan: LangpackPlan) -> tuple[str, int]:
    return (plan.environment, plan.generation)


def publish(
    root: Path,
    reference: Reference,
    lock: Lock | None,
    plans: list[LangpackPlan],
    targets: Targets,
    request: PublishRequest,
    progress: Progress,
) -> PublishReport:
    """Build, test, package, check and upload the planned langpacks; then the lock.

    Raises PublishProblem for environment problems (exit 2). Test failures and taken
    versions come back as diagnostics in the report (exit 1), with nothing uploaded.
    """
    from clickgen.build import build

    report = PublishReport(dry_run=request.dry_run)
    lock = lock if lock is not None else Lock()

    with tempfile.TemporaryDirectory(prefix="clickgen-publish-") as temporary:
        work = Path(temporary)
        available = publishers()
        active: dict[str, Publisher] = {}
        unconfigured: list[Publisher] = []
        for language in sorted({p.language for p in plans}):
            publisher = available[language](targets, work / "package" / language)
            if publisher.destination() is None:
                unconfigured.append(publisher)
                continue
            active[language] = publisher
        if unconfigured:
            names = " and ".join(p.language for p in unconfigured)
            hints = "; ".join(p.missing_target_hint() for p in unconfigured)
            only = f" (or publish only the others: {' '.join('--lang ' + l for l in sorted(active))})" if active else ""
            raise PublishProblem(f"no publish target for the {names} langpacks: {hints}{only}")
        for publisher in active.values():
            publisher.check_tools()

        out = request.out if request.out is not None else work / "build"
        progress.log(f"building {len(plans)} langpacks into {out}")
        try:
            build(reference, plans, out, force=True)  # a release is always generated afresh
        except OSError as e:
            raise PublishProblem(f"cannot write {out}: {e.strerror or e}")

        for plan in plans:
            version, released = resolve_version(reference, plan.environment, plan.generation, lock)
            langpack = Langpack(plan, environment_content_hash(reference, plan.environment), released, read_tree(out / plan.folder))
            langpack.name = active[plan.language].name(langpack)
            report.langpacks.append(langpack)

        # phase 1a: every langpack's own tests, side by side (they mostly wait on I/O)
        passed = _run_tests(reference, report, active, work, progress)

        # phase 1b: package, and ask each repository what it already holds
        progress.begin("packaging and checking", len(passed))
        try:
            for langpack in passed:
                plan, publisher = langpack.plan, active[langpack.plan.language]
                progress.step(langpack.label, "packaging")
                langpack.artifacts = publisher.package(langpack, work / "package" / plan.folder)
                progress.step(langpack.label, f"checking {publisher.destination()}")
                langpack.presence = publisher.inspect(langpack)
                problem = judge(reference, langpack, publisher)
                if problem is not None:
                    report.diagnostics.append(problem)
                for note in langpack.notes:
                    progress.log(f"{langpack.label}: {note}")
                progress.log(f"{langpack.label}: {describe_state(langpack)}")
                progress.advance()
        finally:
            progress.end()

        report.new_releases = _new_releases(report.langpacks, lock)
        if report.diagnostics or request.dry_run:
            return report

        # phase 3: upload what is missing; the lock only after all of it succeeded
        pending = [lp for lp in report.langpacks if lp.to_upload]
        progress.begin("uploading", len(pending))
        try:
            for done, langpack in enumerate(pending):
                publisher = active[langpack.plan.language]
                files = langpack.to_upload
                progress.step(langpack.label, f"uploading {len(files)} file{'s' * (len(files) != 1)} to {publisher.destination()}")
                try:
                    publisher.upload(langpack, files)
                except (PublishProblem, OSError) as e:
                    finished = [lp.label for lp in pending[:done]]
                    message = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
                    raise UploadFailed(
                        f"uploading {langpack.label} failed: {message}\n"
                        + (f"uploaded before the failure: {', '.join(finished)}\n" if finished else "")
                        + f"{LOCK_FILE} was not changed; run `clickgen publish` again to finish: files already uploaded are recognized and skipped"
                    ) from e
                langpack.uploaded = files
                progress.log(f"{langpack.label}: uploaded {', '.join(a.filename for a in files)}")
                progress.advance()
        finally:
            progress.end()

        if report.new_releases:
            for release in report.new_releases:
                lock.add(release)
            _write_lock(root, lock)
            report.lock_written = True
            if request.commit:
                report.committed = commit_lock(root, report.new_releases)
    return report


def _run_tests(reference: Reference, report: PublishReport, active: dict[str, Publisher], work: Path, progress: Progress) -> list[Langpack]:
    """Run the langpacks' tests in parallel; failures become CG0604 diagnostics."""
    langpacks = report.langpacks
    results: dict[int, TestRun] = {}

    def run(index: int) -> None:
        langpack = langpacks[index]
        folder = write_files(work / "test" / langpack.plan.folder, langpack.files)
        results[index] = active[langpack.plan.language].test(langpack, folder)

    progress.begin("testing", len(langpacks))
    try:
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            futures = {}
            for index, langpack in enumerate(langpacks):
                progress.step(langpack.label, "running its tests")
                futures[pool.submit(run, index)] = index
            for future in as_completed(futures):
                future.result()
                index = futures[future]
                langpack, outcome = langpacks[index], results[index]
                langpack.tests = outcome.summary
                progress.log(f"{langpack.label}: tests {'passed' if outcome.ok else 'FAILED'} ({outcome.summary})")
                progress.advance()
    finally:
        progress.end()
    for index, langpack in enumerate(langpacks):
        outcome = results[index]
        if outcome.ok:
            continue
        plan = langpack.plan
        report.diagnostics.append(
            diag(
                "CG0604",
                f"the tests of {langpack.name} {plan.version} ({plan.folder}) fail ({outcome.summary}):\n{outcome.output.rstrip()}",
                _span(reference, plan.environment),
                f"nothing is published; run `clickgen build --env {plan.environment} --lang {plan.language}` and the langpack's tests to see the whole failure, and report it: generated code must pass its own tests",
            )
        )
    return [lp for i, lp in enumerate(langpacks) if results[i].ok]


def _new_releases(langpacks: list[Langpack], lock: Lock) -> list[Release]:
    """(environment, generation) releases that clickgen.lock does not record yet."""
    releases: dict[tuple[str, int], Release] = {}
    for langpack in langpacks:
        plan = langpack.plan
        if langpack.released:
            continue
        number = int(plan.version.split(".")[2])
        releases[_release_key(plan)] = Release(plan.environment, plan.generation, number, langpack.content)
    return [releases[k] for k in sorted(releases)]


def _write_lock(root: Path, lock: Lock) -> None:
    from clickgen.versioning import write_lock

    try:
        write_lock(root, lock)
    except OSError as e:
        raise PublishProblem(f"every upload succeeded, but {root / LOCK_FILE} cannot be written: {e.strerror or e}; run `clickgen publish` again once it is writable")


def commit_lock(root: Path, releases: list[Release]) -> str:
    """Commit clickgen.lock alone (other staged changes stay staged)."""
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
        path = (root / LOCK_FILE).resolve().relative_to(Path(repo.working_tree_dir or root).resolve()).as_posix()
        summary = ", ".join(f"{r.environment} {r.version}" for r in releases)
        repo.git.add("--", path)
        repo.git.commit("-m", f"clickgen publish: {summary}", "--only", "--", path)
        return repo.head.commit.hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise PublishProblem(f"--commit: {root} is not in a git repository; {LOCK_FILE} was written but not committed")
    except git.GitCommandError as e:
        detail = (e.stderr or str(e)).strip().splitlines()
        raise PublishProblem(f"--commit: git could not commit {LOCK_FILE} ({detail[-1] if detail else e}); it was written, commit it by hand")

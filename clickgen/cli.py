"""The command line: `clickgen <command>`. Exit codes: 0 ok, 1 the reference has
errors, 2 usage or environment error."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from clickgen import __version__
from clickgen.diagnostics import Diagnostic, format_github, format_json, format_summary, format_text
from clickgen.load import SETTINGS_FILE, MissingSettings, find_reference_root

if TYPE_CHECKING:
    from clickgen.emit import WriteStats

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


class UsageFailure(click.ClickException):
    exit_code = EXIT_USAGE

    def show(self, file: object = None) -> None:
        click.echo(f"clickgen: error: {self.message}", err=True)


def _reference_root(ctx: click.Context) -> Path:
    given: Path | None = ctx.obj.get("reference")
    if given is not None:
        if not given.is_dir():
            raise UsageFailure(f"{given} is not a folder")
        if not (given / SETTINGS_FILE).is_file():
            raise UsageFailure(f"{given} is not an event reference: it has no {SETTINGS_FILE} (run `clickgen init {given}` to start one)")
        return given
    found = find_reference_root(Path.cwd())
    if found is None:
        raise UsageFailure(f"no {SETTINGS_FILE} in this folder or any folder above it; pass --reference DIR or run `clickgen init DIR`")
    return found


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _git_prefix(root: Path) -> str:
    """The reference root's path inside its git work tree, for GitHub annotations."""
    resolved = root.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            rel = resolved.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def report(diagnostics: list[Diagnostic], output_format: str, root: Path) -> None:
    if output_format == "json":
        click.echo(format_json(diagnostics), nl=False)
    elif output_format == "github":
        click.echo(format_github(diagnostics, _git_prefix(root)), nl=False)
    else:
        click.echo(format_text(diagnostics), nl=False, err=True)
        if diagnostics:
            click.echo(format_summary(diagnostics), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--reference", "reference", type=click.Path(path_type=Path, file_okay=False), help="The reference folder (default: the nearest folder upward holding clickgen.yaml).")
@click.version_option(__version__, prog_name="clickgen")
@click.pass_context
def main(ctx: click.Context, reference: Path | None) -> None:
    """clickgen: the compiler for an event reference (tracking plan)."""
    ctx.obj = {"reference": reference}


def _analyze(root: Path):  # type: ignore[no-untyped-def]
    from clickgen.frontend import analyze_folder

    try:
        return analyze_folder(root)
    except MissingSettings:
        raise UsageFailure(f"{root} is not an event reference: it has no {SETTINGS_FILE}")


@main.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--base", "base_ref", metavar="REF", help="Also check the append-only rules against the reference at REF in git (branch, tag, commit, e.g. origin/main).")
@click.option("--head", "head_ref", metavar="REF", help="Check the reference at REF in git instead of the working tree.")
@click.pass_context
def validate(ctx: click.Context, output_format: str, base_ref: str | None, head_ref: str | None) -> None:
    """Check the reference and report every problem."""
    root = _reference_root(ctx)
    history = None
    if base_ref is not None or head_ref is not None:
        from clickgen.gitsource import GitProblem, analyze_revision
        from clickgen.history import check_history

        try:
            if base_ref is not None:
                history = check_history(root, base_ref, head_ref)
                analysis = history.pair.head
            else:
                analysis = analyze_revision(root, head_ref or "HEAD")
        except GitProblem as e:
            raise UsageFailure(str(e))
        except MissingSettings:
            raise UsageFailure(f"{root} is not an event reference: it has no {SETTINGS_FILE}")
    else:
        analysis = _analyze(root)
    diagnostics = history.diagnostics if history is not None else analysis.diagnostics
    ok = history.ok if history is not None else analysis.ok
    report(diagnostics, output_format, root)
    if output_format == "text" and ok:
        reference = analysis.reference
        versions = sum(len(e.versions) for e in reference.events.values())
        against = ""
        if history is not None:
            against = f"; no append-only violations against {base_ref}" if history.pair.base is not None else f"; no reference at {base_ref}, so all of it is new"
            if history.waived:
                against += f" ({len(history.waived)} waived)"
        click.echo(
            f"ok: {_count(len(reference.events), 'event')} ({_count(versions, 'version')}), {_count(len(reference.fields), 'field')}, "
            f"{_count(len(reference.environments), 'environment')}{against}",
            err=True,
        )
    sys.exit(EXIT_OK if ok else EXIT_ERRORS)


@main.command("ir")
@click.pass_context
def dump_ir(ctx: click.Context) -> None:
    """Print the resolved IR as JSON (for debugging and snapshot tests)."""
    from clickgen.ir import dump

    root = _reference_root(ctx)
    analysis = _analyze(root)
    if not analysis.ok:
        report(analysis.diagnostics, "text", root)
        sys.exit(EXIT_ERRORS)
    click.echo(json.dumps(dump(analysis.reference), indent=2, ensure_ascii=False))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
def init(directory: Path) -> None:
    """Scaffold a small, valid reference in DIRECTORY."""
    from clickgen.scaffold import scaffold

    try:
        written = scaffold(directory)
    except FileExistsError as e:
        raise UsageFailure(str(e))
    except OSError as e:
        raise UsageFailure(f"cannot write {directory}: {e.strerror or e}")
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: cd {directory} && clickgen validate")


@main.command("build")
@click.option("--env", "environments", multiple=True, help="Build only this environment (repeatable).")
@click.option("--lang", "languages", multiple=True, type=click.Choice(["python", "go", "php"]), help="Build only this language (repeatable).")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Output folder (default: build/ in the reference).")
@click.option("--force", is_flag=True, help="Regenerate langpacks even when their input and clickgen are unchanged.")
@click.option("--collector", is_flag=True, help="Also generate the collector (a Go program) into OUT/collector.")
@click.option("--collector-out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Generate the collector into this folder (implies --collector).")
@click.pass_context
def build_command(
    ctx: click.Context, environments: tuple[str, ...], languages: tuple[str, ...], out: Path | None, force: bool, collector: bool, collector_out: Path | None
) -> None:
    """Generate the langpacks of the reference, and with --collector its collector."""
    from clickgen.build import build, build_collector
    from clickgen.plan import plan_build
    from clickgen.versioning import read_lock

    root = _reference_root(ctx)
    analysis = _analyze(root)
    unknown = [e for e in environments if e not in analysis.reference.environments]
    if analysis.ok and unknown:
        raise UsageFailure(f"unknown environment {unknown[0]!r}; the reference has: {', '.join(analysis.reference.environments)}")
    if not analysis.ok:
        report(analysis.diagnostics, "text", root)
        sys.exit(EXIT_ERRORS)
    lock, lock_problems = read_lock(root)
    plans, problems = plan_build(analysis.reference, environments, languages, lock)
    problems = analysis.diagnostics + lock_problems + problems
    if problems:
        report(problems, "text", root)
    if any(p.severity.value == "error" for p in problems):
        sys.exit(EXIT_ERRORS)
    output = out if out is not None else root / "build"
    collector_folder = collector_out if collector_out is not None else (output / "collector" if collector else None)
    if collector_folder is not None and collector_out is None and "collector" in analysis.reference.environments:
        raise UsageFailure("the environment `collector` has its langpacks in OUT/collector: give the collector another folder with --collector-out DIR")
    try:
        result = build(analysis.reference, plans, output, force=force)
        collector_stats = build_collector(analysis.reference, environments, collector_folder, lock) if collector_folder is not None else None
    except OSError as e:
        raise UsageFailure(f"cannot write {output}: {e.strerror or e}")
    for plan, stats in result.langpacks:
        click.echo(f"{plan.folder:<40} {plan.version:<10} {_write_state(stats)}")
    click.echo(f"built {len(result.langpacks)} langpacks into {output}")
    if collector_stats is not None:
        click.echo(f"built the collector into {collector_folder} ({_write_state(collector_stats)}); run it with: cd {collector_folder} && go build . && ./collector -h")


def _write_state(stats: WriteStats) -> str:
    return "unchanged" if stats.written == 0 and stats.removed == 0 else f"{stats.written} written, {stats.removed} removed"


@main.command("publish")
@click.option("--env", "environments", multiple=True, help="Publish only this environment (repeatable).")
@click.option("--lang", "languages", multiple=True, type=click.Choice(["python", "go", "php"]), help="Publish only this language (repeatable).")
@click.option("--dry-run", is_flag=True, help="Build, test and check, then print what would be uploaded; change nothing.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=None, help="Build folder (default: a temporary one).")
@click.option("--commit", is_flag=True, help="Commit the updated clickgen.lock (alone) with git.")
@click.option("--python-repository-url", metavar="URL", help="Override publish.python.repository_url (upload URL or ~/.pypirc section).")
@click.option("--python-index-url", metavar="URL", help="Override publish.python.index_url (simple index for the existence check).")
@click.option("--php-repository-dir", type=click.Path(path_type=Path, file_okay=False), help="Override publish.php.repository_dir.")
@click.option("--php-base-url", metavar="URL", help="Override publish.php.base_url (where repository_dir is served).")
@click.option("--go-proxy-dir", type=click.Path(path_type=Path, file_okay=False), help="Override publish.go.proxy_dir.")
@click.option("--go-tag-repo", metavar="REPO", help="Override publish.go.tag_repo (git repository to tag).")
@click.pass_context
def publish_command(ctx: click.Context, environments: tuple[str, ...], languages: tuple[str, ...], dry_run: bool, out: Path | None, commit: bool, **overrides: object) -> None:
    """Build, test, package and upload the langpacks, then record them in clickgen.lock.

    Targets come from clickgen.yaml's `publish:` section. Published versions are
    immutable: the same content again is a no-op, other content is an error. The lock
    is written only after every upload succeeded; after a failure, run it again.
    """
    from clickgen.plan import plan_build
    from clickgen.publish import PublishProblem, PublishRequest, format_report, publish, resolve_targets
    from clickgen.publish.progress import make_progress
    from clickgen.versioning import read_lock

    root = _reference_root(ctx)
    analysis = _analyze(root)
    unknown = [e for e in environments if e not in analysis.reference.environments]
    if analysis.ok and unknown:
        raise UsageFailure(f"unknown environment {unknown[0]!r}; the reference has: {', '.join(analysis.reference.environments)}")
    lock, lock_problems = read_lock(root)
    plans, problems = ([], []) if not analysis.ok else plan_build(analysis.reference, environments, languages, lock)
    problems = analysis.diagnostics + lock_problems + problems
    if any(p.severity.value == "error" for p in problems):
        report(problems, "text", root)
        sys.exit(EXIT_ERRORS)
    if problems:
        report(problems, "text", root)
    if not plans:
        click.echo("nothing to publish: no environment builds a langpack for the given --env/--lang", err=True)
        return
    given = {k: (v.resolve() if isinstance(v, Path) else v) for k, v in overrides.items()}
    names = {"python_repository_url": "python_repository", "php_repository_dir": "php_repository_dir", "go_proxy_dir": "go_proxy_dir"}
    targets = resolve_targets(analysis.reference.settings, root, {names.get(k, k): v for k, v in given.items()})
    request = PublishRequest(environments, languages, dry_run, out, commit)
    try:
        result = publish(root, analysis.reference, lock, plans, targets, request, make_progress())
    except PublishProblem as e:
        raise UsageFailure(str(e))
    click.echo(format_report(result), nl=False)
    if not result.ok:
        report(result.diagnostics, "text", root)
        click.echo("clickgen: nothing was published", err=True)
        sys.exit(EXIT_ERRORS)


@main.command("diff")
@click.argument("base_ref", metavar="BASE")
@click.argument("head_ref", metavar="[HEAD]", required=False)
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--max-chars", type=click.IntRange(min=0), default=60_000, show_default=True, help="Cut the details of the markdown to fit a PR comment (0: no limit).")
@click.pass_context
def diff_command(ctx: click.Context, base_ref: str, head_ref: str | None, output_format: str, max_chars: int) -> None:
    """Describe what changed since BASE (default head: the working tree), for reviewers.

    Markdown is made for a pull-request comment; exits 1 when the head has errors
    or append-only violations, like `validate --base`.
    """
    from clickgen.diff import build_report, render_json, render_markdown
    from clickgen.gitsource import GitProblem
    from clickgen.history import check_history
    from clickgen.versioning import read_lock

    root = _reference_root(ctx)
    try:
        history = check_history(root, base_ref, head_ref)
    except GitProblem as e:
        raise UsageFailure(str(e))
    except MissingSettings:
        raise UsageFailure(f"{root} is not an event reference: it has no {SETTINGS_FILE}")
    lock, _ = read_lock(root)
    result = build_report(history, lock)
    click.echo(render_json(result) if output_format == "json" else render_markdown(result, max_chars), nl=False)
    sys.exit(EXIT_OK if history.ok else EXIT_ERRORS)


@main.command("new-version")
@click.argument("event")
@click.pass_context
def new_version_command(ctx: click.Context, event: str) -> None:
    """Copy EVENT's latest version as version max+1 in its file, ready to be edited.

    Comments and layout of the file are kept; the copy leaves out the old version's
    description and deprecation.
    """
    from clickgen.new_version import NewVersionProblem, add_version

    root = _reference_root(ctx)
    try:
        outcome = add_version(root, event)
    except NewVersionProblem as e:
        raise UsageFailure(str(e))
    except MissingSettings:
        raise UsageFailure(f"{root} is not an event reference: it has no {SETTINGS_FILE}")
    except OSError as e:
        raise UsageFailure(f"cannot edit the event file: {e.strerror or e}")
    report(outcome.diagnostics, "text", root)
    if outcome.version is None:
        what = "the reference has errors: fix them first" if not outcome.path else f"the edited {outcome.path} did not validate, so it was restored"
        click.echo(f"clickgen: no version added: {what}", err=True)
        sys.exit(EXIT_ERRORS)
    v = outcome.version
    click.echo(f"{outcome.path}:{v.line}: added version {v.number} of `{event}` (a copy of version {v.copied_from}); edit its fields and add a description of what changed")


@main.command("schema")
@click.option("--env", "environments", multiple=True, help="Only this environment (repeatable).")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder for the schemas; clickgen replaces its content.")
@click.pass_context
def schema_command(ctx: click.Context, environments: tuple[str, ...], out: Path) -> None:
    """Write a JSON Schema (draft 2020-12) per environment and event version, for
    collectors: OUT/<env>/<event>.v<N>.schema.json."""
    from clickgen.emit import write_tree
    from clickgen.export_schema import export, foreign_output
    from clickgen.targets.base import OutputFile

    root = _reference_root(ctx)
    analysis = _analyze(root)
    if not analysis.ok:
        report(analysis.diagnostics, "text", root)
        sys.exit(EXIT_ERRORS)
    unknown = [e for e in environments if e not in analysis.reference.environments]
    if unknown:
        raise UsageFailure(f"unknown environment {unknown[0]!r}; the reference has: {', '.join(analysis.reference.environments)}")
    if foreign_output(out):
        raise UsageFailure(f"{out} holds files that `clickgen schema` did not write; pick an empty or new folder")
    schemas = export(analysis.reference, environments)
    files = [OutputFile(path, (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")) for path, schema in schemas.items()]
    try:
        write_tree(out, files)
    except OSError as e:
        raise UsageFailure(f"cannot write {out}: {e.strerror or e}")
    click.echo(f"wrote {len(files)} schemas into {out}")


@main.command("docs")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Folder for the catalog; clickgen replaces its content.")
@click.pass_context
def docs_command(ctx: click.Context, out: Path) -> None:
    """Write a static HTML catalog of the reference for analysts (open OUT/index.html)."""
    from clickgen.docs import build_docs, foreign_output
    from clickgen.emit import write_tree
    from clickgen.versioning import read_lock

    root = _reference_root(ctx)
    analysis = _analyze(root)
    lock, lock_problems = read_lock(root)
    problems = analysis.diagnostics + lock_problems
    if problems:
        report(problems, "text", root)
    if any(p.severity.value == "error" for p in problems):
        sys.exit(EXIT_ERRORS)
    if foreign_output(out):
        raise UsageFailure(f"{out} holds files that `clickgen docs` did not write; pick an empty or new folder")
    files = build_docs(analysis.reference, lock)
    try:
        stats = write_tree(out, files)
    except OSError as e:
        raise UsageFailure(f"cannot write {out}: {e.strerror or e}")
    click.echo(f"wrote the catalog into {out} ({len(files)} files, {stats.written} changed); open {out / 'index.html'}")


@main.command("check-events")
@click.argument("stream", metavar="FILE|-")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--max-errors", type=click.IntRange(min=0), default=1000, show_default=True, help="Stop reporting after this many problems (the counts still cover every line).")
@click.pass_context
def check_events_command(ctx: click.Context, stream: str, output_format: str, max_errors: int) -> None:
    """Validate an NDJSON event stream (FILE, or - for stdin) against the reference.

    Exits 0 when every event is valid (warnings allowed), 1 when one is not.
    """
    from clickgen.check_events import check_stream

    root = _reference_root(ctx)
    if stream == "-":
        source, name = sys.stdin.buffer, "<stdin>"
    else:
        try:
            source, name = open(stream, "rb"), stream
        except OSError as e:
            raise UsageFailure(f"cannot read {stream}: {e.strerror or e}")
    with source:
        analysis = _analyze(root)
        if not analysis.ok:
            report(analysis.diagnostics, "text", root)
            sys.exit(EXIT_ERRORS)
        try:
            result = check_stream(analysis.reference, source, name, max_diagnostics=max_errors)
        except OSError as e:
            raise UsageFailure(f"cannot read {name}: {e.strerror or e}")
    invalid = result.lines - result.valid
    if output_format == "json":
        summary = {"events": result.lines, "valid": result.valid, "invalid": invalid, "not_shown": result.not_shown}
        document = {"diagnostics": [d.to_json() for d in result.diagnostics], **summary}
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output_format == "github":
        # the stream's path is the one given on the command line, not a reference path
        click.echo(format_github(result.diagnostics), nl=False)
    else:
        report(result.diagnostics, "text", root)
        more = f"; {_count(result.not_shown, 'more problem')} not shown (--max-errors)" if result.not_shown else ""
        click.echo(f"{_count(result.lines, 'event')}: {result.valid} valid, {invalid} invalid{more}", err=True)
    sys.exit(EXIT_OK if invalid == 0 else EXIT_ERRORS)


# --- import ---------------------------------------------------------------------------

_ENVIRONMENT_NAME = r"^[a-z][a-z0-9-]{0,63}$"


def _import_options(function):  # type: ignore[no-untyped-def]
    options = [
        click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="New folder for the reference (must not exist or be empty)."),
        click.option("--env", "environments", multiple=True, metavar="NAME", help="An environment every imported event occurs in (repeatable; default: one named `default`)."),
        click.option("--name", "reference_name", metavar="NAME", help="The reference's name in clickgen.yaml (default: from the source)."),
        click.option("--owner", "owner", metavar="TEAM", help="The owner of every imported event (default: the Iglu vendor, else `imported`)."),
        click.option("--allow-loss", is_flag=True, help="Exit 0 even when something of the source could not be imported."),
        click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.group("import")
def import_group() -> None:
    """Start a reference from an existing tracking plan (Segment, JSON Schema, Iglu).

    The reference is written to --out with IMPORT_REPORT.md, which lists per event what
    was converted, approximated or lost. Exit codes: 0 nothing lost, 1 something lost
    (the reference is written anyway; --allow-loss makes it 0), 2 unreadable input or a
    non-empty --out.
    """


@import_group.command("segment")
@click.argument("plan_file", metavar="PLAN.json", type=click.Path(path_type=Path, dir_okay=False))
@_import_options
def import_segment_command(plan_file: Path, **options: object) -> None:
    """Import a Segment Protocols tracking plan (API JSON or typewriter's plan.json)."""
    from clickgen.importers.segment import import_segment

    _run_import("segment", plan_file, import_segment, **options)  # type: ignore[arg-type]


@import_group.command("jsonschema")
@click.argument("source", metavar="DIR", type=click.Path(path_type=Path))
@_import_options
def import_jsonschema_command(source: Path, **options: object) -> None:
    """Import a folder of JSON Schemas (Iglu layout: one event per vendor/name, SchemaVers as versions)."""
    from clickgen.importers.jsonschema import import_jsonschema

    _run_import("jsonschema", source, import_jsonschema, **options)  # type: ignore[arg-type]


def _run_import(
    kind: str,
    source: Path,
    reader: object,
    out: Path,
    environments: tuple[str, ...],
    reference_name: str | None,
    owner: str | None,
    allow_loss: bool,
    output_format: str,
) -> None:
    import re

    from clickgen.importers.model import ImportProblem, clean_text
    from clickgen.importers.writer import REPORT_FILE, build_reference, render_json

    for name in environments:
        if not re.match(_ENVIRONMENT_NAME, name):
            raise UsageFailure(f"--env {name!r} is not an environment name (lowercase letters, digits and dashes, starting with a letter)")
    if reference_name is not None and not re.match(r"^[a-z][a-z0-9-]*$", reference_name):
        raise UsageFailure(f"--name {reference_name!r} is not a reference name (lowercase letters, digits and dashes, starting with a letter)")
    if owner is not None and not owner.strip():
        raise UsageFailure("--owner is empty")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageFailure(f"{out} is not an empty folder; import into a new folder")
    try:
        plan = reader(source)  # type: ignore[operator]
    except ImportProblem as e:
        raise UsageFailure(clean_text(str(e)))
    if owner is not None:
        plan.owner = owner
    command = f"clickgen import {kind}"
    result = build_reference(plan, environments, reference_name, command)
    try:
        for rel, content in sorted(result.files.items()):
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    except OSError as e:
        raise UsageFailure(f"cannot write {out}: {e.strerror or e}")
    report = result.report
    if output_format == "json":
        click.echo(render_json(report, str(out)), nl=False)
    else:
        counts = report["counts"]
        click.echo(
            f"imported {_count(report['events'], 'event')} ({_count(report['versions'], 'version')}), {_count(report['fields'], 'field')} "
            f"and {_count(len(report['environments']), 'environment')} into {out}: "
            f"{counts['lost']} lost, {counts['approximated']} approximated, {counts['converted']} converted (see {out / REPORT_FILE})"
        )
        lost = [e for e in report["source_entries"] + [x for ev in report["by_event"] for x in ev["entries"]] if e["severity"] == "lost"]
        for entry in lost[:50]:
            where = " ".join(str(p) for p in (entry["event"], f"v{entry['version']}" if entry["version"] else None, entry["path"]) if p)
            click.echo(f"  lost {entry['kind']}: {where + ': ' if where else ''}{entry['message']}")
        if len(lost) > 50:
            click.echo(f"  ... and {len(lost) - 50} more in {out / REPORT_FILE}")
        click.echo(f"next: cd {out} && clickgen validate")
    if result.lost and not allow_loss:
        click.echo(
            f"clickgen: {_count(result.lost, 'construct')} of the source could not be imported; the reference was written anyway: "
            f"review {out / REPORT_FILE}, or pass --allow-loss to accept the losses",
            err=True,
        )
        sys.exit(EXIT_ERRORS)

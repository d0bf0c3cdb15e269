"""The result of a publish run, for people: file by file, then the lock."""

from __future__ import annotations

from typing import TYPE_CHECKING

from clickgen.publish.base import Langpack, Presence
from clickgen.versioning import LOCK_FILE

if TYPE_CHECKING:
    from clickgen.publish import PublishReport


def describe_state(langpack: Langpack) -> str:
    """One phrase: what the repository has of the langpack's version."""
    if langpack.differs:
        return "published with other content" if not langpack.released else "already published (kept as published)"
    missing = langpack.missing
    if not missing:
        equivalent = any(p is Presence.EQUIVALENT for p in langpack.presence.values())
        return "already published" + (" (same sources, packaged differently)" if equivalent else "")
    if len(missing) < len(langpack.artifacts):
        return f"partly published: {len(missing)} of {len(langpack.artifacts)} files to upload"
    return f"new: {len(missing)} file{'s' * (len(missing) != 1)} to upload"


def _size(n: int) -> str:
    return f"{n:,} bytes"


def format_report(report: "PublishReport") -> str:
    """What was (or, in a dry run, would be) uploaded, file by file, then the lock."""
    lines: list[str] = []
    verb = "would upload" if report.dry_run else "uploaded"
    for lp in report.langpacks:
        if not lp.artifacts:
            continue
        lines.append(f"{lp.plan.folder} {lp.plan.version}  {lp.name}  -> {lp.artifacts[0].destination}")
        sending = {a.filename for a in (lp.to_upload if report.dry_run else lp.uploaded)}
        for a in lp.artifacts:
            if a.filename in sending:
                state = verb
            else:
                presence = lp.presence.get(a.filename, Presence.MISSING)
                state = {Presence.SAME: "published", Presence.EQUIVALENT: "published", Presence.DIFFERENT: "differs"}.get(presence, "not uploaded")
            lines.append(f"  {state:<12} {a.filename}  {_size(a.size)}  sha256:{a.sha256}")
        for note in lp.notes:
            lines.append(f"  note: {note}")
    sent = [lp for lp in report.langpacks if (lp.to_upload if report.dry_run else lp.uploaded)]
    files = sum(len(lp.to_upload if report.dry_run else lp.uploaded) for lp in sent)
    unchanged = sum(1 for lp in report.langpacks if lp.artifacts and not lp.to_upload)
    releases = ", ".join(f"{r.environment} {r.version}" for r in report.new_releases)
    if report.dry_run:
        lines.append(f"dry run: would upload {files} files of {len(sent)} langpacks; {unchanged} already published; nothing was changed")
        if report.new_releases:
            lines.append(f"dry run: {LOCK_FILE} would record {releases}")
    else:
        lines.append(f"published {len(sent)} langpacks ({files} files); {unchanged} already published")
        if report.lock_written:
            lines.append(f"{LOCK_FILE}: recorded {releases}" + (f" (committed {report.committed[:12]})" if report.committed else " (commit it)"))
        else:
            lines.append(f"{LOCK_FILE}: up to date")
    return "\n".join(lines) + "\n"

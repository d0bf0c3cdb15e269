"""The reference at a git revision, read straight from git objects.

Input: a reference root inside a git work tree, and revision names (branch, tag, sha,
`origin/main`, `HEAD~3`). Output: `GitSource`, a `load.Source` that lists and reads the
reference's files from the revision's tree (no checkout, no temporary clone), and
`analyze_pair`, which runs the front end on the head (the working tree or a revision)
and on the base.

Why `analyze_pair` does not simply call `frontend.analyze` twice: schema checking is
most of the front end's cost, and a pull request touches a few files. A base file whose
git blob id equals the head file's at the same path is byte-identical, so the base
reuses the head's parsed document and schema result for it and only reads, parses and
checks the files that differ. The base is then resolved like any revision.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from clickgen.diagnostics import Diagnostic, sort_diagnostics
from clickgen.frontend import Analysis
from clickgen.ir import Reference
from clickgen.load import (
    FOLDER_KINDS,
    SETTINGS_FILE,
    YAML_SUFFIXES,
    Document,
    FolderSource,
    LoadedReference,
    Source,
    kind_of,
    load_document,
    load_reference,
)
from clickgen.resolve import resolve
from clickgen.rules.append_only import HeadState
from clickgen.rules.semantic import check_semantics
from clickgen.schema_check import SchemaResult, check_schema

if TYPE_CHECKING:
    import git

_REGULAR_FILE_MODES = (0o100644, 0o100755)


class GitProblem(Exception):
    """The repository or a revision cannot be used: a usage error (exit 2)."""


@dataclass(frozen=True)
class Repository:
    repo: git.Repo
    # the reference root inside the work tree: "" or "sub/folder/" (with the slash)
    prefix: str

    def is_shallow(self) -> bool:
        try:
            return self.repo.git.rev_parse("--is-shallow-repository").strip() == "true"
        except Exception:  # noqa: BLE001 - only used to improve a message
            return False


def open_repository(root: Path) -> Repository:
    """The git repository whose work tree holds the reference root."""
    try:
        import git
    except ImportError as e:  # pragma: no cover - GitPython is a dependency
        raise GitProblem(f"GitPython is not installed: {e}")
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except git.NoSuchPathError:
        raise GitProblem(f"{root} does not exist")
    except git.InvalidGitRepositoryError:
        raise GitProblem(f"{root} is not inside a git repository; --base and --head compare revisions of a git-tracked reference")
    except git.GitCommandNotFound:
        raise GitProblem("the git program is not installed or not on PATH")
    if repo.bare or repo.working_tree_dir is None:
        raise GitProblem(f"{root} is in a bare git repository; run clickgen in a checkout")
    top = Path(repo.working_tree_dir).resolve()
    try:
        relative = root.resolve().relative_to(top).as_posix()
    except ValueError:
        raise GitProblem(f"{root} is not inside the work tree of {top}")
    return Repository(repo, "" if relative == "." else relative + "/")


def resolve_revision(repository: Repository, ref: str) -> git.Commit:
    """The commit a revision name points at, or a GitProblem that says what to do."""
    import git

    if not ref or ref.startswith("-"):
        raise GitProblem(f"`{ref}` is not a revision name")
    try:
        sha = repository.repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").strip()
    except git.GitCommandError:
        sha = ""
    except git.GitCommandNotFound:
        raise GitProblem("the git program is not installed or not on PATH")
    if not sha:
        hint = "check the name (a branch, tag, commit, or e.g. origin/main)"
        if repository.is_shallow():
            hint = (
                "this is a shallow clone, so the revision may not have been fetched: "
                "fetch it (e.g. `git fetch --depth=1 origin main`) or clone with full history (fetch-depth: 0)"
            )
        elif "/" in ref:
            hint += f"; a remote branch must be fetched first (`git fetch {ref.split('/', 1)[0]}`)"
        raise GitProblem(f"`{ref}` is not a commit in {repository.repo.working_tree_dir}: {hint}")
    return repository.repo.commit(sha)


class GitSource:
    """Reads the reference as it is in one commit (a `load.Source`)."""

    def __init__(self, repository: Repository, commit: git.Commit, label: str) -> None:
        self.repository = repository
        self.commit = commit
        self.label = label
        self._blobs: dict[str, Any] | None = None  # git.Blob

    def _index(self) -> dict[str, Any]:
        """Reference path -> blob, for the files the loader looks at, in its order."""
        if self._blobs is not None:
            return self._blobs
        blobs: dict[str, Any] = {}
        root = self._tree(self.repository.prefix.rstrip("/"))
        if root is not None:
            settings = _entry(root, SETTINGS_FILE)
            if settings is not None and settings.type == "blob" and settings.mode in _REGULAR_FILE_MODES:
                blobs[SETTINGS_FILE] = settings
            for folder in FOLDER_KINDS:
                tree = _entry(root, folder)
                if tree is not None and tree.type == "tree":
                    _walk(tree, folder, blobs)
        self._blobs = blobs
        return blobs

    def _tree(self, path: str) -> Any:
        tree = self.commit.tree
        if not path:
            return tree
        try:
            found = tree / path
        except KeyError:
            return None
        return found if found.type == "tree" else None

    def has_reference(self) -> bool:
        return SETTINGS_FILE in self._index()

    def list_files(self) -> tuple[list[str], list[Diagnostic]]:
        return list(self._index()), []

    def read_bytes(self, path: str) -> bytes:
        blob = self._index().get(path)
        if blob is None:
            raise FileNotFoundError(2, "no such file in the revision", path)
        data: bytes = self.repository.repo.odb.stream(blob.binsha).read()
        return data

    def blob_ids(self) -> dict[str, str]:
        """Reference path -> git blob id (hex), without reading any file."""
        return {path: blob.hexsha for path, blob in self._index().items()}


def _entry(tree: Any, name: str) -> Any:
    try:
        return tree / name
    except KeyError:
        return None


def _walk(tree: Any, path: str, out: dict[str, Any]) -> None:
    """Files first, then sub-folders, each sorted: the order FolderSource lists them in."""
    folders = []
    for item in sorted(tree, key=lambda i: i.name):
        if item.name.startswith("."):
            continue
        if item.type == "tree":
            folders.append(item)
        elif item.type == "blob" and item.mode in _REGULAR_FILE_MODES and item.name.endswith(YAML_SUFFIXES):
            out[f"{path}/{item.name}"] = item
    for item in folders:
        _walk(item, f"{path}/{item.name}", out)


def git_blob_id(data: bytes) -> str:
    """The id git gives a blob with these bytes."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class _RecordingSource:
    """A source that remembers the bytes it read, so the base can compare blob ids."""

    def __init__(self, inner: Source) -> None:
        self.inner = inner
        self.data: dict[str, bytes] = {}

    def list_files(self) -> tuple[list[str], list[Diagnostic]]:
        return self.inner.list_files()

    def read_bytes(self, path: str) -> bytes:
        data = self.inner.read_bytes(path)
        self.data[path] = data
        return data

    def blob_ids(self) -> dict[str, str]:
        return {path: git_blob_id(data) for path, data in self.data.items()}


@dataclass(frozen=True)
class Stages:
    """The front end's result with the intermediate values the base shares."""

    analysis: Analysis
    loaded: LoadedReference
    schema: SchemaResult
    blob_ids: dict[str, str]


def analyze_stages(source: Source) -> Stages:
    """`frontend.analyze`, keeping the loaded documents and the schema result.

    The stages and their order are frontend.analyze's; tests/test_append_only.py
    checks that both give the same diagnostics.
    """
    recording = source if isinstance(source, GitSource) else _RecordingSource(source)
    loaded = load_reference(recording)
    schema = check_schema(loaded)
    reference, resolve_diagnostics = resolve(loaded, schema)
    diagnostics = loaded.diagnostics + schema.diagnostics + resolve_diagnostics + check_semantics(reference)
    analysis = Analysis(reference, sort_diagnostics(diagnostics))
    return Stages(analysis, loaded, schema, recording.blob_ids())


def base_reference(base: GitSource, head: Stages) -> Reference | None:
    """The reference at the base revision, or None when the base has no reference.

    Files with the same path and blob id as in the head reuse the head's document and
    schema result; only the others are read from git, parsed and checked. The base's
    own diagnostics are dropped: the base is what was released, not what is reviewed.
    """
    if not base.has_reference():
        return None
    head_documents: dict[str, Document] = {d.path: d for d in head.loaded.documents}
    head_ids = head.blob_ids
    loaded = LoadedReference(root=base.label)
    changed = LoadedReference(root=base.label)
    reused: set[str] = set()
    for path, blob_id in base.blob_ids().items():
        kind = kind_of(path)
        if kind is None:
            continue
        if head_ids.get(path) == blob_id:
            if path in head_documents:
                loaded.documents.append(head_documents[path])
                reused.add(path)
                continue
            if path in head.loaded.broken_paths:
                loaded.broken_paths.add(path)
                continue
        document, _ = load_document(base, path, kind)
        if document is None:
            loaded.broken_paths.add(path)
        else:
            loaded.documents.append(document)
            changed.documents.append(document)
    schema = SchemaResult(failed={entry for entry in head.schema.failed if entry[0] in reused})
    schema.failed |= check_schema(changed).failed
    reference, _ = resolve(loaded, schema)
    return reference


@dataclass(frozen=True)
class Pair:
    head: Analysis
    base: Reference | None  # None: the reference does not exist at the base
    base_label: str
    head_label: str  # the head ref, or "the working tree"
    head_ref: str | None  # None: the working tree
    state: HeadState  # what the head names in parts that did not resolve


def head_source(root: Path, repository: Repository | None, head_ref: str | None) -> tuple[Source, str]:
    if head_ref is None:
        return FolderSource(root), "the working tree"
    assert repository is not None
    commit = resolve_revision(repository, head_ref)
    source = GitSource(repository, commit, head_ref)
    if not source.has_reference():
        raise GitProblem(f"there is no {repository.prefix}{SETTINGS_FILE} at `{head_ref}`")
    return source, head_ref


def analyze_pair(root: Path, base_ref: str, head_ref: str | None = None) -> Pair:
    """Analyse the head (working tree, or head_ref) and the reference at base_ref."""
    repository = open_repository(root)
    base_commit = resolve_revision(repository, base_ref)
    source, head_label = head_source(root, repository, head_ref)
    head = analyze_stages(source)
    base = base_reference(GitSource(repository, base_commit, base_ref), head)
    state = HeadState.of(head.loaded, head.analysis.diagnostics)
    return Pair(head.analysis, base, base_ref, head_label, head_ref, state)


def analyze_revision(root: Path, head_ref: str) -> Analysis:
    """The front end on the reference as it is at a revision (validate --head without --base)."""
    repository = open_repository(root)
    source, _ = head_source(root, repository, head_ref)
    return analyze_stages(source).analysis


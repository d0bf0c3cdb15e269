"""Go langpacks -> a module proxy folder (GOPROXY protocol), and optionally git tags.

The folder (`publish.go.proxy_dir`) is served by any static web server, or used as
`GOPROXY=file:///path`:

    <escaped module>/@v/list             known versions, one a line
    <escaped module>/@v/v0.G.N.info      {"Version": ..., "Time": ...}
    <escaped module>/@v/v0.G.N.mod       the go.mod
    <escaped module>/@v/v0.G.N.zip       module@version/... as golang.org/x/mod/zip requires

Module paths are case-escaped ('!' + lower case letter). The zip is deterministic
(sorted entries, fixed times), so the go.sum hash (h1:) of a version never changes.
A version is published once its .info exists: files of a version without .info are
left overs of a failed run and are replaced; a published version is never replaced.

With `publish.go.tag_repo` (a git URL or path), the langpack is also committed into
the module's folder of that repository (its path below `go.module_prefix`) and tagged
`<folder>/v0.G.N`, for teams that fetch modules straight from git.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from clickgen.publish.base import Artifact, Langpack, Presence, Publisher, PublishProblem, TestRun, same_sources
from clickgen.publish.php import _write_atomic, deterministic_zip, repository_lock, zip_files

# golang.org/x/mod/zip limits
MAX_ZIP_FILE = 500 << 20
MAX_GO_MOD = 16 << 20
MAX_LICENSE = 16 << 20
_VCS_DIRS = {".bzr", ".git", ".hg", ".svn"}
_MODULE = re.compile(r"^\s*module\s+(\"[^\"]+\"|\S+)", re.MULTILINE)
_ELEMENT = re.compile(r"^[A-Za-z0-9._~+\-]+$")


def escape_path(path: str) -> str:
    """Module proxy case escaping: every upper case letter becomes '!' + its lower case."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), path)


def module_path(files: dict[str, bytes]) -> str:
    try:
        text = files["go.mod"].decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        raise PublishProblem("the Go langpack has no readable go.mod")
    match = _MODULE.search(text)
    if match is None:
        raise PublishProblem("the Go langpack's go.mod has no module line")
    return match.group(1).strip('"')


def check_module_files(files: dict[str, bytes]) -> None:
    """The rules the go command applies to a module zip's files."""
    folded: dict[str, str] = {}
    total = 0
    for rel, data in files.items():
        parts = rel.split("/")
        if any(p in ("", ".", "..") or not _ELEMENT.match(p) for p in parts):
            raise PublishProblem(f"the Go langpack has a file the go command refuses: {rel!r}")
        if parts[0] == "vendor" or any(p in _VCS_DIRS for p in parts) or (len(parts) > 1 and parts[-1] == "go.mod"):
            raise PublishProblem(f"the Go langpack holds {rel}, which does not belong in a module zip")
        other = folded.setdefault(rel.lower(), rel)
        if other != rel:
            raise PublishProblem(f"the Go langpack has {other} and {rel}, which differ only in case")
        total += len(data)
    if len(files.get("go.mod", b"")) > MAX_GO_MOD or len(files.get("LICENSE", b"")) > MAX_LICENSE:
        raise PublishProblem("the Go langpack's go.mod or LICENSE is larger than the go command accepts (16 MiB)")
    if total > MAX_ZIP_FILE:
        raise PublishProblem("the Go langpack is larger than the go command accepts (500 MiB)")


def module_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files the go command packs: none below a folder that holds a go.mod of its own
    (the langpack's testdata is such a module, so the vectors stay out of the download)."""
    nested = {rel.rsplit("/", 1)[0] + "/" for rel in files if rel.endswith("/go.mod")}
    return {rel: data for rel, data in files.items() if not any(rel.startswith(folder) for folder in nested)}


def dev_only(path: str) -> bool:
    """Files of the langpack's own tests that the module zip leaves out (or, before
    testdata became a module of its own, carried)."""
    return path.startswith("testdata/")


def module_zip(module: str, version: str, files: dict[str, bytes]) -> bytes:
    files = module_files(files)
    check_module_files(files)
    return deterministic_zip(files, prefix=f"{module}@{version}/")


def h1_hash(module: str, version: str, files: dict[str, bytes]) -> str:
    """The go.sum hash of the module zip (golang.org/x/mod/sumdb/dirhash Hash1)."""
    files = module_files(files)
    summary = "".join(f"{hashlib.sha256(files[rel]).hexdigest()}  {module}@{version}/{rel}\n" for rel in sorted(files))
    return "h1:" + base64.b64encode(hashlib.sha256(summary.encode("utf-8")).digest()).decode()


def _semver_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version.split("-")[0]))


class GoPublisher(Publisher):
    language = "go"

    def destination(self) -> str | None:
        return None if self.targets.go_proxy_dir is None else str(self.targets.go_proxy_dir)

    def missing_target_hint(self) -> str:
        return "add `publish: {go: {proxy_dir: FOLDER}}` to clickgen.yaml, or pass --go-proxy-dir"

    def check_tools(self) -> None:
        if shutil.which("go") is None:
            raise PublishProblem("publishing Go langpacks runs their tests with `go test`: install Go (scripts/install-toolchains.sh does)")
        if self.targets.go_tag_repo and shutil.which("git") is None:
            raise PublishProblem("publish.go.tag_repo needs git")

    def name(self, langpack: Langpack) -> str:
        return module_path(langpack.files)

    @staticmethod
    def version(langpack: Langpack) -> str:
        return "v" + langpack.plan.version

    def folder(self, langpack: Langpack) -> Path:
        assert self.targets.go_proxy_dir is not None
        return self.targets.go_proxy_dir / escape_path(langpack.name) / "@v"

    def test(self, langpack: Langpack, folder: Path) -> TestRun:
        # stdlib only: nothing to download, so the proxy is off and the run is offline
        env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "-mod=mod", "GOPROXY": "off", "GOWORK": "off", "GO111MODULE": "on"}
        try:
            run = subprocess.run(["go", "test", "-count=1", "./..."], cwd=folder, env=env, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return TestRun(False, "timed out after 30 minutes", "")
        lines = [line.strip() for line in (run.stdout + run.stderr).splitlines() if line.strip()]
        summary = " ".join(lines[-1].split()) if lines else f"go test exited with {run.returncode}"
        return TestRun(run.returncode == 0, summary, "\n".join(lines[-40:]))

    def package(self, langpack: Langpack, folder: Path) -> list[Artifact]:
        version = self.version(langpack)
        folder.mkdir(parents=True, exist_ok=True)
        mod = folder / f"{version}.mod"
        mod.write_bytes(langpack.files["go.mod"])
        archive = folder / f"{version}.zip"
        archive.write_bytes(module_zip(langpack.name, version, langpack.files))
        prefix = f"{escape_path(langpack.name)}/@v/"
        destination = self.destination() or ""
        artifacts = [Artifact.of(mod, destination, prefix + mod.name), Artifact.of(archive, destination, prefix + archive.name)]
        langpack.notes.append(f"go.sum: {langpack.name} {version} {h1_hash(langpack.name, version, langpack.files)}")
        if self.targets.go_tag_repo:
            artifacts.append(Artifact.of(archive, self.targets.go_tag_repo, f"refs/tags/{self.tag_name(langpack)}"))
        return artifacts

    def inspect(self, langpack: Langpack) -> dict[str, Presence]:
        version = self.version(langpack)
        folder = self.folder(langpack)
        mod, archive, *tag = langpack.artifacts
        presence: dict[str, Presence] = {}
        if not (folder / f"{version}.info").is_file():
            presence = {mod.filename: Presence.MISSING, archive.filename: Presence.MISSING}
        else:
            try:
                published_mod = (folder / f"{version}.mod").read_bytes()
                published_zip = (folder / f"{version}.zip").read_bytes()
            except OSError:
                published_mod = published_zip = b""
            if published_mod == mod.path.read_bytes() and hashlib.sha256(published_zip).hexdigest() == archive.sha256:
                presence = {mod.filename: Presence.SAME, archive.filename: Presence.SAME}
                if version not in self._listed(folder):
                    presence[archive.filename] = Presence.MISSING  # the list was not updated: finish it
            else:
                try:
                    prefix = f"{langpack.name}@{version}/"
                    same = same_sources(zip_files(archive.path.read_bytes(), prefix), zip_files(published_zip, prefix), dev_only)
                except Exception:
                    same = False
                state = Presence.EQUIVALENT if same else Presence.DIFFERENT
                presence = {mod.filename: state, archive.filename: state}
                if not same:
                    langpack.detail = f"its .zip has sha256 {hashlib.sha256(published_zip).hexdigest()}, this build {archive.sha256}"
        if tag:
            presence[tag[0].filename] = self._inspect_tag(langpack)
        return presence

    @staticmethod
    def _listed(folder: Path) -> list[str]:
        try:
            return [v.strip() for v in (folder / "list").read_text("utf-8").splitlines() if v.strip()]
        except FileNotFoundError:
            return []

    def upload(self, langpack: Langpack, artifacts: list[Artifact]) -> None:
        version = self.version(langpack)
        proxy = [a for a in artifacts if not a.filename.startswith("refs/tags/")]
        if proxy:
            assert self.targets.go_proxy_dir is not None
            folder = self.folder(langpack)
            with repository_lock(self.targets.go_proxy_dir):
                mod, archive = langpack.artifacts[:2]
                _write_atomic(folder / f"{version}.mod", mod.path.read_bytes())
                _write_atomic(folder / f"{version}.zip", archive.path.read_bytes())
                info = folder / f"{version}.info"
                if not info.is_file():
                    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
                    _write_atomic(info, (json.dumps({"Version": version, "Time": now.strftime("%Y-%m-%dT%H:%M:%SZ")}) + "\n").encode())
                listed = self._listed(folder)
                if version not in listed:
                    versions = sorted({*listed, version}, key=_semver_key)
                    _write_atomic(folder / "list", "".join(v + "\n" for v in versions).encode())
        if any(a.filename.startswith("refs/tags/") for a in artifacts):
            self._tag(langpack)

    def conflict_hint(self, langpack: Langpack) -> str:
        return (
            "the module proxy already has this version with another zip, and go.sum files all over pin its hash; versions are never replaced: "
            "merge the clickgen.lock that published it (e.g. the main branch) and publish again, so this change becomes the next version"
        )

    # ------------------------------------------------------------ git tags

    def subfolder(self, langpack: Langpack) -> str:
        prefix = self.targets.go_module_prefix.rstrip("/")
        if langpack.name == prefix:
            return ""
        if not langpack.name.startswith(prefix + "/"):
            raise PublishProblem(f"publish.go.tag_repo: the module {langpack.name} is not below go.module_prefix {prefix}, so its folder in the repository is unknown")
        return langpack.name[len(prefix) + 1 :]

    def tag_name(self, langpack: Langpack) -> str:
        sub = self.subfolder(langpack)
        return f"{sub}/{self.version(langpack)}" if sub else self.version(langpack)

    def _clone(self) -> "object":
        """One clone of the tag repository per run, shared by inspect and upload."""
        import git

        cached = getattr(self, "_repo", None)
        if cached is not None:
            return cached
        target = self.work / "tag-repo"
        try:
            self._repo = git.Repo.clone_from(str(self.targets.go_tag_repo), target)
        except git.GitCommandError as e:
            raise PublishProblem(f"publish.go.tag_repo: cannot clone {self.targets.go_tag_repo}: {(e.stderr or str(e)).strip()}")
        return self._repo

    def _inspect_tag(self, langpack: Langpack) -> Presence:
        import git

        repo = self._clone()
        assert isinstance(repo, git.Repo)
        tag = self.tag_name(langpack)
        if tag not in [t.name for t in repo.tags]:
            return Presence.MISSING
        tree = repo.tags[tag].commit.tree
        sub = self.subfolder(langpack)
        if sub:
            try:
                tree = tree / sub
            except KeyError:
                return Presence.DIFFERENT
        tagged: dict[str, bytes] = {}
        for item in tree.traverse():
            if getattr(item, "type", "") == "blob":
                path = str(getattr(item, "path"))
                tagged[path[len(sub) + 1 :] if sub else path] = getattr(item, "data_stream").read()
        if tagged == langpack.files:
            return Presence.SAME
        if same_sources(langpack.files, tagged, dev_only):
            return Presence.EQUIVALENT
        langpack.detail = (langpack.detail + "; " if langpack.detail else "") + f"the git tag {tag} holds other files"
        return Presence.DIFFERENT

    def _tag(self, langpack: Langpack) -> None:
        """Commit the langpack into its folder on the default branch, tag it, push both."""
        import git

        repo = self._clone()
        assert isinstance(repo, git.Repo)
        tag, sub = self.tag_name(langpack), self.subfolder(langpack)
        root = Path(repo.working_tree_dir or ".")
        folder = root / sub if sub else root
        try:
            branch = repo.active_branch.name  # the default branch, even in an empty repository
        except TypeError:
            branch = "main"
        identity: list[str] = []
        reader = repo.config_reader()
        if not (reader.has_option("user", "name") and reader.has_option("user", "email")):
            identity = ["-c", "user.name=clickgen publish", "-c", "user.email=clickgen@localhost"]
        try:
            if sub and folder.exists():
                shutil.rmtree(folder)
            elif not sub:
                for child in root.iterdir():
                    if child.name != ".git":
                        shutil.rmtree(child) if child.is_dir() else child.unlink()
            for rel, data in langpack.files.items():
                path = folder / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            repo.git.add("-A", "--", sub or ".")
            message = f"{langpack.name} {self.version(langpack)} (clickgen publish)"
            repo.git.execute(["git", *identity, "commit", "--allow-empty", "-q", "-m", message])
            repo.git.execute(["git", *identity, "tag", "-a", tag, "-m", message])
            repo.git.push("origin", f"HEAD:refs/heads/{branch}", f"refs/tags/{tag}")
        except git.GitCommandError as e:
            raise PublishProblem(f"publish.go.tag_repo: cannot tag {tag} in {self.targets.go_tag_repo}: {(e.stderr or str(e)).strip()}")

"""PHP langpacks -> a composer repository in satis's static format, in a folder.

The folder (`publish.php.repository_dir`) is what a web server, or composer itself as
a file:// URL, serves:

    packages.json                        composer 2 root: metadata-url + available-packages
    p2/<vendor>/<name>.json              every version of a package (composer 2 metadata)
    p2/<vendor>/<name>~dev.json          its dev versions: none
    dist/<vendor>/<name>/<name>-<v>.zip  the langpack, with its sha1 as dist.shasum
    satis.json                           the same packages as a satis config, for teams
                                         that run satis themselves

URLs in the metadata start with `publish.php.base_url` (default: the folder's file://
URL). The zip is deterministic (sorted entries, fixed times and modes), so publishing
the same langpack again finds the same sha1 and does nothing; other content under a
published version is refused. Writers take a lock file, so two publishes into one
folder do not lose each other's versions.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from clickgen.publish.base import Artifact, Langpack, Presence, Publisher, PublishProblem, TestRun, same_sources

ZIP_TIME = (1980, 1, 2, 0, 0, 0)
_NAME = re.compile(r"^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$")


def dev_only(path: str) -> bool:
    """The langpack's own PHPUnit suite and its vectors: in the built langpack, where
    `clickgen publish` runs them, not in the dist zip `composer require` unpacks."""
    return path.startswith("tests/") or path == "phpunit.xml.dist"


def deterministic_zip(files: dict[str, bytes], prefix: str = "") -> bytes:
    """A zip of the files: sorted, fixed times, 0644, deflated; same files, same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel in sorted(files):
            info = zipfile.ZipInfo(prefix + rel, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[rel])
    return buffer.getvalue()


def zip_files(data: bytes, prefix: str = "") -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n[len(prefix) :]: archive.read(n) for n in archive.namelist() if not n.endswith("/") and n.startswith(prefix)}


def normalized_version(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts + ["0"] * (4 - len(parts)))


def _version_key(entry: dict[str, Any]) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", str(entry.get("version_normalized", entry.get("version", "0")))))


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".clickgen-tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _json_bytes(document: object) -> bytes:
    return (json.dumps(document, indent=4, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")


@contextmanager
def repository_lock(folder: Path) -> Iterator[None]:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".clickgen-publish.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class ComposerRepository:
    """The static repository in a folder: read and add package versions."""

    def __init__(self, folder: Path, base_url: str | None) -> None:
        self.folder = folder
        self.base_url = (base_url or folder.resolve().as_uri()).rstrip("/")

    def metadata_path(self, name: str) -> Path:
        return self.folder / "p2" / f"{name}.json"

    def dist_path(self, name: str, version: str) -> Path:
        short = name.split("/", 1)[1]
        return self.folder / "dist" / name / f"{short}-{version}.zip"

    def dist_url(self, name: str, version: str) -> str:
        return f"{self.base_url}/{self.dist_path(name, version).relative_to(self.folder).as_posix()}"

    def versions(self, name: str) -> list[dict[str, Any]]:
        path = self.metadata_path(name)
        try:
            document = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as e:
            raise PublishProblem(f"cannot read the composer repository's {path}: {e}")
        entries = document.get("packages", {}).get(name, [])
        if not isinstance(entries, list):
            raise PublishProblem(f"{path} is not composer 2 metadata (packages.{name} is not a list)")
        return entries

    def published(self, name: str, version: str) -> dict[str, Any] | None:
        return next((e for e in self.versions(name) if e.get("version") == version), None)

    def add(self, entry: dict[str, Any], zip_data: bytes) -> None:
        """Write the dist zip, then the metadata that makes the version visible."""
        name, version = entry["name"], entry["version"]
        with repository_lock(self.folder):
            _write_atomic(self.dist_path(name, version), zip_data)
            entries = self.versions(name)
            if all(e.get("version") != version for e in entries):
                entries = sorted([*entries, entry], key=_version_key, reverse=True)
                _write_atomic(self.metadata_path(name), _json_bytes({"packages": {name: entries}}))
            dev = self.folder / "p2" / f"{name}~dev.json"
            if not dev.is_file():
                _write_atomic(dev, _json_bytes({"packages": {name: []}}))
            self._write_roots()

    def listed(self) -> list[str]:
        """The packages the root packages.json makes available."""
        try:
            root = json.loads((self.folder / "packages.json").read_text("utf-8"))
        except (OSError, ValueError):
            return []
        names = root.get("available-packages", []) if isinstance(root, dict) else []
        return [str(n) for n in names] if isinstance(names, list) else []

    def package_names(self) -> list[str]:
        root = self.folder / "p2"
        if not root.is_dir():
            return []
        names = [p.relative_to(root).as_posix()[: -len(".json")] for p in root.glob("*/*.json")]
        return sorted(n for n in names if not n.endswith("~dev"))

    def _write_roots(self) -> None:
        names = self.package_names()
        root = {"packages": [], "metadata-url": f"{self.base_url}/p2/%package%.json", "available-packages": names}
        _write_atomic(self.folder / "packages.json", _json_bytes(root))
        every = [entry for name in names for entry in reversed(self.versions(name))]
        satis = {
            "name": names[0].split("/")[0] + "/clickstream" if names else "clickgen/clickstream",
            "description": "Clickstream langpacks published by clickgen publish (the repository is written by clickgen; this config reproduces it with satis).",
            "homepage": self.base_url,
            "repositories": [{"type": "package", "package": every}],
            "require-all": True,
        }
        _write_atomic(self.folder / "satis.json", _json_bytes(satis))


class PhpPublisher(Publisher):
    language = "php"

    @property
    def repository(self) -> ComposerRepository:
        assert self.targets.php_repository_dir is not None
        return ComposerRepository(self.targets.php_repository_dir, self.targets.php_base_url)

    def destination(self) -> str | None:
        return None if self.targets.php_repository_dir is None else str(self.targets.php_repository_dir)

    def missing_target_hint(self) -> str:
        return "add `publish: {php: {repository_dir: FOLDER, base_url: URL}}` to clickgen.yaml, or pass --php-repository-dir"

    def check_tools(self) -> None:
        if shutil.which("php") is None or shutil.which("phpunit") is None:
            raise PublishProblem("publishing PHP langpacks runs their PHPUnit tests: install php and phpunit (scripts/install-toolchains.sh does)")

    def _composer(self, langpack: Langpack) -> dict[str, Any]:
        try:
            document = json.loads(langpack.files["composer.json"].decode("utf-8"))
        except (KeyError, ValueError) as e:
            raise PublishProblem(f"the PHP langpack {langpack.plan.folder} has no readable composer.json ({e})")
        if not isinstance(document, dict) or not _NAME.match(str(document.get("name", ""))):
            raise PublishProblem(f"the PHP langpack {langpack.plan.folder} has no valid composer package name")
        return document

    def name(self, langpack: Langpack) -> str:
        return str(self._composer(langpack)["name"])

    def test(self, langpack: Langpack, folder: Path) -> TestRun:
        command = [shutil.which("phpunit") or "phpunit", "--colors=never"]
        try:
            run = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=1800, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return TestRun(False, "timed out after 30 minutes", "")
        lines = [line.strip() for line in run.stdout.splitlines() if line.strip()]
        summary = lines[-1] if lines else f"phpunit exited with {run.returncode}"
        return TestRun(run.returncode == 0, summary, "\n".join((run.stdout + run.stderr).rstrip().splitlines()[-40:]))

    def package(self, langpack: Langpack, folder: Path) -> list[Artifact]:
        name, version = langpack.name, langpack.plan.version
        repository = self.repository
        path = folder / repository.dist_path(name, version).name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(deterministic_zip({rel: data for rel, data in langpack.files.items() if not dev_only(rel)}))
        rel = repository.dist_path(name, version).relative_to(repository.folder).as_posix()
        return [Artifact.of(path, self.destination() or "", rel)]

    def inspect(self, langpack: Langpack) -> dict[str, Presence]:
        (artifact,) = langpack.artifacts
        repository = self.repository
        entry = repository.published(langpack.name, langpack.plan.version)
        if entry is None:
            return {artifact.filename: Presence.MISSING}
        ours = hashlib.sha1(artifact.path.read_bytes()).hexdigest()
        theirs = str(entry.get("dist", {}).get("shasum", ""))
        dist = repository.dist_path(langpack.name, langpack.plan.version)
        if theirs == ours:
            on_disk = dist.is_file() and hashlib.sha1(dist.read_bytes()).hexdigest() == ours
            # in the metadata, but its zip lost or the root not listing the package (a
            # failure half way): adding it again repairs both
            complete = on_disk and langpack.name in repository.listed()
            return {artifact.filename: Presence.SAME if complete else Presence.MISSING}
        try:
            same = same_sources(zip_files(artifact.path.read_bytes()), zip_files(dist.read_bytes()), dev_only)
        except (OSError, zipfile.BadZipFile):
            same = False
        if not same:
            langpack.detail = f"its dist has sha1 {theirs or '(none)'}, this build {ours}"
        return {artifact.filename: Presence.EQUIVALENT if same else Presence.DIFFERENT}

    def upload(self, langpack: Langpack, artifacts: list[Artifact]) -> None:
        (artifact,) = artifacts
        data = artifact.path.read_bytes()
        name, version = langpack.name, langpack.plan.version
        shasum = hashlib.sha1(data).hexdigest()
        entry = dict(self._composer(langpack))
        entry.update(
            version=version,
            version_normalized=normalized_version(version),
            dist={"type": "zip", "url": self.repository.dist_url(name, version), "reference": shasum, "shasum": shasum},
            time=datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        )
        self.repository.add(entry, data)

    def conflict_hint(self, langpack: Langpack) -> str:
        return (
            "the composer repository already has this version with another dist; versions are never replaced: "
            "merge the clickgen.lock that published it (e.g. the main branch) and publish again, so this change becomes the next version"
        )

"""Python langpacks -> a wheel and an sdist on a PyPI-compatible index.

- tests: the langpack's pytest suite, run by this interpreter with PYTHONPATH=src;
- package: the setuptools backend through `build`'s API, without isolation (no index
  is needed to build), with SOURCE_DATE_EPOCH fixed; the sdist is then repacked with
  sorted entries, fixed owners, modes and times, so the same langpack built twice is
  byte-identical and its sha256 can be compared with the index's;
- inspect: the project's page of the simple index (PEP 691 JSON or PEP 503 HTML); a
  file of the version with another sha256 is downloaded and its sources compared, so
  a different setuptools or clickgen version does not count as other content;
- upload: twine, with its usual credentials (TWINE_USERNAME / TWINE_PASSWORD, or a
  .pypirc section named as `repository_url`).
"""

from __future__ import annotations

import base64
import configparser
import gzip
import html.parser
import importlib.util
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from clickgen.publish.base import Artifact, Langpack, Presence, Publisher, PublishProblem, TestRun, same_sources, write_files

# 1980-01-02 00:00:00 UTC: zip files cannot hold earlier times, and a day of margin
# keeps every time zone on the right side of 1980.
SOURCE_DATE_EPOCH = 315619200
TIMEOUT = 60  # seconds for one request to the index
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SIMPLE_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.1"


def normalize_name(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _project_name(files: dict[str, bytes]) -> str:
    try:
        return str(tomllib.loads(files["pyproject.toml"].decode("utf-8"))["project"]["name"])
    except (KeyError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise PublishProblem(f"the Python langpack has no readable pyproject.toml [project] name ({e})")


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(_ANSI.sub("", text).rstrip().splitlines()[-lines:])


# ---------------------------------------------------------------- deterministic archives


def normalize_sdist(path: Path, epoch: int = SOURCE_DATE_EPOCH) -> None:
    """Repack a .tar.gz with sorted entries, root owner, 644/755 modes and fixed times."""
    entries: list[tuple[tarfile.TarInfo, bytes | None]] = []
    with tarfile.open(path, "r:gz") as source:
        for member in source.getmembers():
            if member.isfile():
                handle = source.extractfile(member)
                entries.append((member, handle.read() if handle is not None else b""))
            elif member.isdir():
                entries.append((member, None))
            else:
                raise PublishProblem(f"{path.name} holds {member.name}, which is neither a file nor a folder")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=epoch, compresslevel=9) as zipped:
        with tarfile.open(fileobj=zipped, mode="w", format=tarfile.PAX_FORMAT) as tar:
            for member, data in sorted(entries, key=lambda e: e[0].name):
                info = tarfile.TarInfo(member.name)
                info.mtime = epoch
                info.uid = info.gid = 0
                info.uname = info.gname = ""
                if data is None:
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
                else:
                    info.mode = 0o755 if member.mode & 0o111 else 0o644
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
    path.write_bytes(buffer.getvalue())


def payload(filename: str, data: bytes) -> dict[str, bytes]:
    """The langpack's own files inside a wheel or sdist, without packaging metadata."""
    files: dict[str, bytes] = {}
    if filename.endswith(".whl"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if not name.endswith("/") and ".dist-info/" not in name:
                    files[name] = archive.read(name)
    else:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            for member in archive.getmembers():
                parts = member.name.split("/", 1)
                if not member.isfile() or len(parts) < 2:
                    continue
                rel = parts[1]
                if rel in ("PKG-INFO", "setup.cfg") or ".egg-info/" in rel:
                    continue
                handle = archive.extractfile(member)
                files[rel] = handle.read() if handle is not None else b""
    return files


def artifact_kind(filename: str) -> tuple[str, str]:
    """(version, kind) from a distribution file name; kind is 'sdist' or the wheel's tags."""
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        if len(parts) >= 5:
            return parts[1], "wheel-" + "-".join(parts[-3:])
        return "", ""
    for suffix in (".tar.gz", ".zip"):
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            if "-" in stem:
                return stem.rsplit("-", 1)[1], "sdist"
    return "", ""


# ---------------------------------------------------------------- the simple index


@dataclass(frozen=True)
class IndexFile:
    filename: str
    url: str
    sha256: str


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = ""

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._text.strip()))
            self._href = None


def parse_simple_page(body: bytes, content_type: str, page_url: str) -> list[IndexFile]:
    files: list[IndexFile] = []
    if "json" in content_type:
        document = json.loads(body.decode("utf-8"))
        for entry in document.get("files", []):
            url = urllib.parse.urljoin(page_url, entry.get("url", ""))
            files.append(IndexFile(entry["filename"], url, str(entry.get("hashes", {}).get("sha256", ""))))
        return files
    parser = _Links()
    parser.feed(body.decode("utf-8", errors="replace"))
    for href, text in parser.links:
        url = urllib.parse.urljoin(page_url, href)
        parts = urllib.parse.urlsplit(url)
        fragment = urllib.parse.parse_qs(parts.fragment)
        digest = fragment.get("sha256", [""])[0]
        filename = text or urllib.parse.unquote(parts.path.rsplit("/", 1)[-1])
        files.append(IndexFile(filename, urllib.parse.urlunsplit(parts._replace(fragment="")), digest))
    return files


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Credentials never follow a redirect to another host. A project page redirected
    to another host is not on this index (pypiserver falls back to pypi.org that way);
    a file may live on another host (a CDN or blob store) and is fetched without them."""

    def __init__(self, foreign_is_missing: bool) -> None:
        self.foreign_is_missing = foreign_is_missing

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urllib.parse.urlsplit(newurl).netloc != urllib.parse.urlsplit(req.full_url).netloc:
            if self.foreign_is_missing:
                raise urllib.error.HTTPError(req.full_url, 404, "redirected to another host", headers, fp)
            new.remove_header("Authorization")
        return new


def _credentials_header(url: str, upload_url: str) -> dict[str, str]:
    """Basic auth for reading a private index: credentials in the URL, or twine's
    environment variables when the index is on the upload host."""
    parts = urllib.parse.urlsplit(url)
    user, password = parts.username, parts.password
    if user is None and parts.netloc and parts.netloc == urllib.parse.urlsplit(upload_url).netloc:
        user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    if not user:
        return {}
    token = base64.b64encode(f"{urllib.parse.unquote(user)}:{urllib.parse.unquote(password or '')}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _strip_userinfo(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "") if parts.hostname else parts.netloc))


def http_get(url: str, headers: dict[str, str], foreign_is_missing: bool = True) -> tuple[int, bytes, str]:
    """(status, body, content type); 404 is an answer, other failures raise PublishProblem."""
    opener = urllib.request.build_opener(_Redirects(foreign_is_missing))
    request = urllib.request.Request(_strip_userinfo(url), headers=headers)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        if e.code in (404, 410):
            return e.code, b"", ""
        raise PublishProblem(f"the Python index answered {e.code} {e.reason} for {_strip_userinfo(url)}")
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise PublishProblem(f"cannot reach the Python index at {_strip_userinfo(url)}: {reason}")


def index_from_repository(repository_url: str) -> str:
    """The simple index that belongs to an upload URL (PyPI's are on other hosts)."""
    known = {
        "https://upload.pypi.org/legacy/": "https://pypi.org/simple/",
        "https://test.pypi.org/legacy/": "https://test.pypi.org/simple/",
    }
    if repository_url in known:
        return known[repository_url]
    base = repository_url.rstrip("/")
    if base.endswith("/legacy"):
        base = base[: -len("/legacy")]
    return base + "/simple/"


def pypirc_repository(name: str) -> str | None:
    """The `repository` URL of a .pypirc section (twine's default config file)."""
    parser = configparser.RawConfigParser()
    parser.read(Path.home() / ".pypirc")
    if parser.has_option(name, "repository"):
        return parser.get(name, "repository")
    return {"pypi": "https://upload.pypi.org/legacy/", "testpypi": "https://test.pypi.org/legacy/"}.get(name)


# ---------------------------------------------------------------- the publisher


class PythonPublisher(Publisher):
    language = "python"

    def destination(self) -> str | None:
        return self.targets.python_repository

    def missing_target_hint(self) -> str:
        return "add `publish: {python: {repository_url: URL}}` to clickgen.yaml (a .pypirc section name works too), or pass --python-repository-url"

    @property
    def upload_url(self) -> str:
        repository = self.targets.python_repository or ""
        if "://" in repository:
            return repository
        return pypirc_repository(repository) or ""

    @property
    def index_url(self) -> str:
        if self.targets.python_index_url:
            return self.targets.python_index_url
        if not self.upload_url:
            raise PublishProblem(
                f"publish.python.repository_url is {self.targets.python_repository!r}, which is neither a URL nor a section of ~/.pypirc with a repository; set publish.python.index_url too"
            )
        return index_from_repository(self.upload_url)

    def check_tools(self) -> None:
        missing = [m for m in ("build", "twine", "pytest") if importlib.util.find_spec(m) is None]
        if missing:
            raise PublishProblem(f"publishing Python langpacks needs {', '.join(missing)} next to clickgen: pip install 'clickgen[publish]'")

    def name(self, langpack: Langpack) -> str:
        return _project_name(langpack.files)

    def test(self, langpack: Langpack, folder: Path) -> TestRun:
        env = {**os.environ, "PYTHONPATH": "src", "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
        env.pop("PYTEST_ADDOPTS", None)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
        try:
            run = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=1800)
        except subprocess.TimeoutExpired:
            return TestRun(False, "timed out after 30 minutes", "")
        lines = [line for line in run.stdout.splitlines() if line.strip()]
        summary = lines[-1].strip("= ") if lines else f"pytest exited with {run.returncode}"
        return TestRun(run.returncode == 0, summary, _tail(run.stdout + run.stderr))

    def package(self, langpack: Langpack, folder: Path) -> list[Artifact]:
        import build
        import pyproject_hooks

        source = write_files(folder / "source", langpack.files)
        for path in source.rglob("*"):
            os.utime(path, (SOURCE_DATE_EPOCH, SOURCE_DATE_EPOCH))
        dist = folder / "dist"
        dist.mkdir(parents=True, exist_ok=True)

        def runner(cmd, cwd=None, extra_environ=None):  # type: ignore[no-untyped-def]
            environ = {**(extra_environ or {}), "SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)}
            pyproject_hooks.quiet_subprocess_runner(cmd, cwd, environ)

        try:
            builder = build.ProjectBuilder(source, python_executable=sys.executable, runner=runner)
            for distribution in ("sdist", "wheel"):
                unmet = builder.check_dependencies(distribution)
                if unmet:
                    needs = sorted({next(iter(chain)) for chain in unmet})
                    raise PublishProblem(f"building the Python langpacks needs {', '.join(needs)} next to clickgen: pip install 'clickgen[publish]'")
            sdist = Path(builder.build("sdist", dist))
            wheel = Path(builder.build("wheel", dist))
        except build.BuildBackendException as e:
            output = getattr(e.exception, "output", b"") or b""
            text = output.decode("utf-8", "replace") if isinstance(output, bytes) else str(output)
            raise PublishProblem(f"setuptools could not package {langpack.label}: {e}\n{_tail(text, 20)}")
        normalize_sdist(sdist)
        return [Artifact.of(wheel, self.destination() or ""), Artifact.of(sdist, self.destination() or "")]

    def _index_files(self, langpack: Langpack) -> list[IndexFile]:
        page = urllib.parse.urljoin(self.index_url.rstrip("/") + "/", normalize_name(langpack.name) + "/")
        headers = {"Accept": _SIMPLE_ACCEPT, **_credentials_header(page, self.upload_url)}
        status, body, content_type = http_get(page, headers)
        if status != 200:
            return []
        try:
            return parse_simple_page(body, content_type, page)
        except (ValueError, KeyError) as e:
            raise PublishProblem(f"cannot read the Python index page {_strip_userinfo(page)}: {e}")

    def inspect(self, langpack: Langpack) -> dict[str, Presence]:
        published = self._index_files(langpack)
        ours_version = langpack.plan.version
        by_kind: dict[str, list[IndexFile]] = {}
        for entry in published:
            version, kind = artifact_kind(entry.filename)
            if kind and version == ours_version:
                by_kind.setdefault(kind, []).append(entry)
        presence: dict[str, Presence] = {}
        details: list[str] = []
        for artifact in langpack.artifacts:
            _, kind = artifact_kind(artifact.filename)
            candidates = by_kind.get(kind, [])
            if not candidates:
                presence[artifact.filename] = Presence.MISSING
            elif any(c.sha256 == artifact.sha256 for c in candidates):
                presence[artifact.filename] = Presence.SAME
            else:
                theirs = candidates[0]
                status, body, _ = http_get(theirs.url, _credentials_header(theirs.url, self.upload_url), foreign_is_missing=False)
                if status != 200:
                    raise PublishProblem(f"the Python index lists {theirs.filename} but does not serve it ({status})")
                same = same_sources(payload(artifact.filename, artifact.path.read_bytes()), payload(theirs.filename, body))
                presence[artifact.filename] = Presence.EQUIVALENT if same else Presence.DIFFERENT
                if not same:
                    details.append(f"{theirs.filename} has other sources")
        langpack.detail = "; ".join(details)
        return presence

    def conflict_hint(self, langpack: Langpack) -> str:
        return (
            "an index never takes a version twice: another branch probably published this version first; "
            "merge its clickgen.lock (e.g. the main branch) and publish again, so this change becomes the next version"
        )

    def upload(self, langpack: Langpack, artifacts: list[Artifact]) -> None:
        repository = self.targets.python_repository or ""
        command = [sys.executable, "-m", "twine", "upload", "--non-interactive", "--disable-progress-bar"]
        command += ["--repository-url", repository] if "://" in repository else ["--repository", repository]
        command += [str(a.path) for a in artifacts]
        env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
        try:
            run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
        except subprocess.TimeoutExpired:
            raise PublishProblem(f"twine did not finish uploading to {_strip_userinfo(self.upload_url or repository)} in 30 minutes")
        if run.returncode != 0:
            output = _tail(run.stdout + run.stderr, 8)
            hint = ""
            if "Credential not found" in output or "403" in output or "401" in output:
                hint = "\n(credentials: set TWINE_USERNAME and TWINE_PASSWORD, or name a ~/.pypirc section as publish.python.repository_url)"
            raise PublishProblem(f"twine could not upload to {_strip_userinfo(self.upload_url or repository)}:\n{output}{hint}")

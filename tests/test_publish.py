"""`clickgen publish`, end to end against real package servers on 127.0.0.1.

One module-scoped scenario shares the servers and the reference repository: the
first publish (Python generations 1 and 2 to pypiserver, Go to a GOPROXY folder, PHP
to a composer repository served by `php -S`), then what users do with it (pip, go
get, composer install, each from a fresh place), then publishing again, a changed
reference (dry run first), failures half way with a retry, two branches, and the
errors people meet. Tests run in file order and each leaves the repository and the
servers consistent for the next: every one of them is also a check that what came
before left nothing inconsistent. Fast unit tests of the pieces come last.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from clickgen.publish import Presence, same_sources
from clickgen.publish.go import GoPublisher, escape_path, h1_hash, module_zip
from clickgen.publish.php import PhpPublisher, deterministic_zip
from clickgen.publish.progress import PlainProgress, make_progress
from clickgen.publish.python import PythonPublisher, artifact_kind, index_from_repository, normalize_sdist, parse_simple_page, payload
from clickgen.targets.go import target as go_target
from gitrepo import git_env
from publish_support import clients
from publish_support.repo import ReferenceRepo
from publish_support.servers import PhpServer, PypiServer, free_port

CLICKGEN = Path(sys.executable).parent / "clickgen"
DIST = "shop-events-shop-backend"
MODULE = "example.com/shop/events/shop-backend"
PACKAGE = "shop/shop-backend"

needs_go = pytest.mark.skipif(not clients.have("go"), reason="go is not installed (scripts/install-toolchains.sh)")
needs_php = pytest.mark.skipif(not clients.have("php", "phpunit", "composer"), reason="php, phpunit and composer are not installed (scripts/install-toolchains.sh)")
LANGS = ["python"] + (["go"] if clients.have("go") else []) + (["php"] if clients.have("php", "phpunit", "composer") else [])
LANG_ARGS = [arg for lang in LANGS for arg in ("--lang", lang)]

Cli = Callable[..., Any]


# ---------------------------------------------------------------- the shared scenario


class Scenario:
    def __init__(self, base: Path, pypi: PypiServer, php: PhpServer | None) -> None:
        self.base = base
        self.pypi = pypi
        self.php = php
        self.proxy = base / "targets" / "goproxy"
        self.satis = base / "targets" / "satis"
        publish = (
            "publish:\n"
            f"  python: {{repository_url: '{pypi.upload_url}'}}\n"
            # folders relative to the reference root
            "  php: {repository_dir: ../targets/satis" + (f", base_url: '{php.url}'" if php else "") + "}\n"
            "  go: {proxy_dir: ../targets/goproxy}\n"
        )
        self.repo = ReferenceRepo(base / "shop", publish)
        self.first: subprocess.CompletedProcess[str] | None = None

    def index_files(self) -> dict[str, str]:
        """filename -> sha256 of every file the index has for the langpack."""
        with urllib.request.urlopen(f"{self.pypi.index_url}{DIST}/", timeout=10) as response:
            page = response.read()
        return {f.filename: f.sha256 for f in parse_simple_page(page, response.headers.get("Content-Type", ""), self.pypi.index_url)}

    def targets_snapshot(self) -> dict[str, tuple[int, int]]:
        """path -> (size, mtime_ns) of every file in the proxy and composer folders."""
        return {
            str(p.relative_to(self.base)): (p.stat().st_size, p.stat().st_mtime_ns)
            for folder in (self.proxy, self.satis)
            if folder.exists()
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".clickgen-publish.lock"
        }

    def state(self) -> tuple[object, ...]:
        return (self.repo.lock, self.index_files(), self.targets_snapshot())


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    base = tmp_path_factory.mktemp("publish")
    pypi = PypiServer(base / "pypi-packages", base / "pypiserver.log")
    php = PhpServer(base / "targets" / "satis", base / "php-server.log") if "php" in LANGS else None
    patch = pytest.MonkeyPatch()
    # twine's credentials (the server takes any), and a git identity for --commit
    patch.setenv("TWINE_USERNAME", "ci")
    patch.setenv("TWINE_PASSWORD", "secret")
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            patch.setenv(key, value)
    patch.delenv("CI", raising=False)
    pypi.start()
    try:
        if php is not None:
            php.start()
        yield Scenario(base, pypi, php)
    finally:
        pypi.stop()
        if php is not None:
            php.stop()
        patch.undo()


@pytest.fixture(scope="module")
def first(scenario: Scenario) -> Scenario:
    """The first publish, through the real console script, from inside the reference."""
    scenario.first = subprocess.run(
        [str(CLICKGEN), "publish", *LANG_ARGS], cwd=scenario.repo.root / "events", capture_output=True, text=True, timeout=600, env={**os.environ, "CI": "true"}
    )
    return scenario


def publish(cli: Cli, scenario: Scenario, *args: str) -> Any:
    return cli("--reference", scenario.repo.root, "publish", *args)


def uploaded(stdout: str) -> list[str]:
    return re.findall(r"^  uploaded +(\S+)", stdout, re.MULTILINE)


def test_first_publish_uploads_every_langpack_and_records_the_lock(first: Scenario) -> None:
    result = first.first
    assert result is not None
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    files = uploaded(result.stdout)
    assert sorted(f for f in files if f.endswith((".whl", ".tar.gz"))) == sorted(
        [
            "shop_events_shop_backend-0.1.0-py3-none-any.whl",
            "shop_events_shop_backend-0.1.0.tar.gz",
            "shop_events_shop_backend-0.2.0-py3-none-any.whl",
            "shop_events_shop_backend-0.2.0.tar.gz",
        ]
    )
    # 0.1.N and 0.2.N side by side, one lock line per generation, shared by every language
    assert first.repo.releases() == ["shop-backend 1 0", "shop-backend 2 0"]
    assert set(first.index_files()) == {f for f in files if f.endswith((".whl", ".tar.gz"))}
    # what was reported is what the index holds, hash for hash
    for name, digest in re.findall(r"^  uploaded +(\S+)  \S+ bytes  sha256:([0-9a-f]{64})$", result.stdout, re.MULTILINE):
        if name.endswith((".whl", ".tar.gz")):
            assert first.index_files()[name] == digest
    # plain progress lines in CI, the result on stdout
    assert "shop-backend/python 0.1.0: tests passed" in result.stderr
    assert "clickgen.lock: recorded shop-backend 0.1.0, shop-backend 0.2.0" in result.stdout
    if "go" in LANGS:
        folder = first.proxy / MODULE / "@v"
        assert (folder / "list").read_text() == "v0.1.0\n"
        assert json.loads((folder / "v0.1.0.info").read_text())["Version"] == "v0.1.0"
        assert f"module {MODULE}\n" in (folder / "v0.1.0.mod").read_text()
        names = zipfile.ZipFile(folder / "v0.1.0.zip").namelist()
        assert f"{MODULE}@v0.1.0/go.mod" in names and all(n.startswith(f"{MODULE}@v0.1.0/") for n in names)
        # the test vectors stay out of what `go get` downloads (testdata is a module of its own)
        assert f"{MODULE}@v0.1.0/vectors_test.go" in names and not any("/testdata/" in n for n in names)
    if "php" in LANGS:
        root = json.loads((first.satis / "packages.json").read_text())
        assert root["available-packages"] == [PACKAGE] and root["metadata-url"].endswith("/p2/%package%.json")
        (entry,) = json.loads((first.satis / "p2" / f"{PACKAGE}.json").read_text())["packages"][PACKAGE]
        dist = first.satis / "dist" / PACKAGE / "shop-backend-0.1.0.zip"
        assert entry["version"] == "0.1.0" and entry["dist"]["shasum"] == hashlib.sha1(dist.read_bytes()).hexdigest()
        # what `composer require` unpacks: the library, not its PHPUnit suite and vectors
        names = zipfile.ZipFile(dist).namelist()
        assert "composer.json" in names and any(n.startswith("src/") for n in names)
        assert not any(n.startswith("tests/") for n in names) and "phpunit.xml.dist" not in names
        satis = json.loads((first.satis / "satis.json").read_text())
        assert satis["repositories"][0]["package"][0]["dist"] == entry["dist"]


def test_pip_installs_both_generations_from_the_index_and_they_work(first: Scenario, tmp_path: Path) -> None:
    gen1 = clients.pip_install(tmp_path / "gen1", first.pypi.index_url, f"{DIST}==0.1.0")
    assert clients.python_event(gen1, clients.PYTHON_GEN1) == clients.expected_json("0.1.0")
    gen2 = clients.pip_install(tmp_path / "gen2", first.pypi.index_url, f"{DIST}==0.2.0")
    assert clients.python_event(gen2, clients.PYTHON_GEN2) == clients.expected_json("0.2.0")


@needs_go
def test_go_get_from_the_proxy_folder_builds_a_program(first: Scenario, tmp_path: Path) -> None:
    assert first.first is not None
    output, go_sum = clients.go_event(tmp_path / "app", first.proxy, MODULE, "0.1.0")
    assert output == clients.expected_json("0.1.0")
    # the go.sum hash publish printed is the one the go command computed
    printed = re.search(rf"go.sum: {re.escape(MODULE)} v0.1.0 (h1:\S+)", first.first.stdout)
    assert printed is not None and f"{MODULE} v0.1.0 {printed.group(1)}\n" in go_sum


@needs_php
def test_composer_installs_from_the_served_repository(first: Scenario, tmp_path: Path) -> None:
    assert first.php is not None
    assert clients.composer_event(tmp_path / "app", first.php.url, PACKAGE, "0.1.0") == clients.expected_json("0.1.0")


@needs_php
def test_composer_installs_from_the_folder_as_a_file_url(first: Scenario, tmp_path: Path) -> None:
    # the root and metadata are read from the folder; dists come from the base_url
    assert clients.composer_event(tmp_path / "app", first.satis.as_uri(), PACKAGE, "0.1.0") == clients.expected_json("0.1.0")


def test_publishing_again_uploads_nothing(first: Scenario, clickgen_cli: Cli) -> None:
    before = first.state()
    result = publish(clickgen_cli, first, *LANG_ARGS)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert uploaded(result.stdout) == []
    assert f"published 0 langpacks (0 files); {len(LANGS) + 1} already published" in result.stdout
    assert "clickgen.lock: up to date" in result.stdout
    assert first.state() == before  # not even an mtime moved


def test_dry_run_says_exactly_what_a_changed_reference_uploads_and_changes_nothing(first: Scenario, clickgen_cli: Cli) -> None:
    first.repo.describe_event("A user opened the page of an item.")
    first.repo.commit("item_view: clearer description")
    before = first.state()
    dry = publish(clickgen_cli, first, "--dry-run", *LANG_ARGS)
    assert dry.exit_code == 0, dry.stdout + dry.stderr
    assert first.state() == before
    planned = dict(re.findall(r"^  would upload +(\S+)  \S+ bytes  sha256:([0-9a-f]{64})$", dry.stdout, re.MULTILINE))
    assert "shop_events_shop_backend-0.1.1-py3-none-any.whl" in planned and "shop_events_shop_backend-0.2.1.tar.gz" in planned
    assert f"-> {first.pypi.upload_url}" in dry.stdout
    assert "dry run: clickgen.lock would record shop-backend 0.1.1, shop-backend 0.2.1" in dry.stdout

    # the real run uploads those very bytes (the packages are deterministic) and commits the lock
    head = first.repo.git("rev-parse", "HEAD")
    real = publish(clickgen_cli, first, "--commit", *LANG_ARGS)
    assert real.exit_code == 0, real.stdout + real.stderr
    sent = dict(re.findall(r"^  uploaded +(\S+)  \S+ bytes  sha256:([0-9a-f]{64})$", real.stdout, re.MULTILINE))
    assert sent == planned
    index = first.index_files()
    assert all(index[name] == digest for name, digest in sent.items() if name.endswith((".whl", ".tar.gz")))
    assert first.repo.releases() == ["shop-backend 1 0", "shop-backend 1 1", "shop-backend 2 0", "shop-backend 2 1"]
    assert first.repo.git("rev-parse", "HEAD^") == head
    assert first.repo.git("log", "-1", "--format=%s") == "clickgen publish: shop-backend 0.1.1, shop-backend 0.2.1\n"
    assert first.repo.git("show", "--name-only", "--format=", "HEAD") == "clickgen.lock\n"
    assert first.repo.git("status", "--porcelain") == ""


def test_the_next_version_and_the_previous_one_are_both_installable(first: Scenario, tmp_path: Path) -> None:
    for version in ("0.1.0", "0.1.1"):
        python = clients.pip_install(tmp_path / f"py-{version}", first.pypi.index_url, f"{DIST}=={version}")
        assert clients.python_event(python, clients.PYTHON_GEN1) == clients.expected_json(version)
        if "go" in LANGS:
            output, _ = clients.go_event(tmp_path / f"go-{version}", first.proxy, MODULE, version)
            assert output == clients.expected_json(version)
        if "php" in LANGS:
            assert first.php is not None
            assert clients.composer_event(tmp_path / f"php-{version}", first.php.url, PACKAGE, version) == clients.expected_json(version)
    if "go" in LANGS:
        assert (first.proxy / MODULE / "@v" / "list").read_text() == "v0.1.0\nv0.1.1\n"


def test_an_upload_failing_half_way_leaves_the_lock_alone_and_a_retry_finishes(first: Scenario, clickgen_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    first.repo.describe_event("A user opened an item page (web or app).")
    first.repo.commit("item_view: says where")
    lock = first.repo.lock
    last = LANGS[-1]
    failing = {"python": PythonPublisher, "go": GoPublisher, "php": PhpPublisher}[last]
    original = failing.upload

    def upload_then_fail(self: Any, langpack: Any, artifacts: Any) -> None:
        if last == "python":  # twine sent the wheel, then the connection broke
            original(self, langpack, artifacts[:1])
            raise OSError(104, "Connection reset by peer")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(failing, "upload", upload_then_fail)
    broken = publish(clickgen_cli, first, *LANG_ARGS)
    assert broken.exit_code == 2, broken.stdout + broken.stderr
    assert "Traceback" not in broken.stderr
    assert re.search(r"uploading shop-backend/\S+ 0\.\d\.2 failed: (No space left on device|Connection reset by peer)", broken.stderr)
    assert "clickgen.lock was not changed; run `clickgen publish` again to finish" in broken.stderr
    assert first.repo.lock == lock
    assert "shop_events_shop_backend-0.1.2-py3-none-any.whl" in first.index_files()

    monkeypatch.setattr(failing, "upload", original)
    retry = publish(clickgen_cli, first, *LANG_ARGS)
    assert retry.exit_code == 0, retry.stdout + retry.stderr
    if last == "python":
        assert "partly published: 1 of 2 files to upload" in retry.stderr
        assert uploaded(retry.stdout) == ["shop_events_shop_backend-0.2.2.tar.gz"] or "shop_events_shop_backend-0.2.2.tar.gz" in uploaded(retry.stdout)
    else:
        assert uploaded(retry.stdout) and all(not f.endswith((".whl", ".tar.gz")) for f in uploaded(retry.stdout))
        assert "shop-backend/python 0.1.2: already published" in retry.stderr
    assert "shop-backend 1 2" in first.repo.releases() and "shop-backend 2 2" in first.repo.releases()


@needs_php
def test_a_composer_repository_left_half_written_is_repaired(first: Scenario, clickgen_cli: Cli) -> None:
    # a crash after the metadata, before the zip and the root listed the package
    (first.satis / "dist" / PACKAGE / "shop-backend-0.1.2.zip").unlink()
    root = json.loads((first.satis / "packages.json").read_text())
    (first.satis / "packages.json").write_text(json.dumps({**root, "available-packages": []}))
    result = publish(clickgen_cli, first, "--lang", "php")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "shop-backend/php 0.1.2: new: 1 file to upload" in result.stderr
    assert uploaded(result.stdout) == ["dist/shop/shop-backend/shop-backend-0.1.2.zip"]
    assert json.loads((first.satis / "packages.json").read_text())["available-packages"] == [PACKAGE]
    entries = json.loads((first.satis / "p2" / f"{PACKAGE}.json").read_text())["packages"][PACKAGE]
    assert [e["version"] for e in entries] == ["0.1.2", "0.1.1", "0.1.0"]  # the version was not added twice


def test_an_index_that_stops_during_the_upload_is_an_environment_error_then_a_retry_finishes(first: Scenario, clickgen_cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first.repo.describe_event("A user opened an item page.")
    first.repo.commit("item_view: back to the short description")
    lock = first.repo.lock
    original = PythonPublisher.upload

    def stop_then_upload(self: Any, langpack: Any, artifacts: Any) -> None:
        first.pypi.stop()
        original(self, langpack, artifacts)

    monkeypatch.setattr(PythonPublisher, "upload", stop_then_upload)
    try:
        down = publish(clickgen_cli, first, "--lang", "python")
    finally:
        first.pypi.start()
    assert down.exit_code == 2, down.stdout + down.stderr
    assert "twine could not upload to" in down.stderr and "Traceback" not in down.stderr
    assert first.repo.lock == lock

    monkeypatch.setattr(PythonPublisher, "upload", original)
    # the retry names a ~/.pypirc section instead of a URL: twine takes the
    # credentials from there, clickgen the index to check
    home = tmp_path / "home"
    home.mkdir()
    (home / ".pypirc").write_text(f"[distutils]\nindex-servers = internal\n\n[internal]\nrepository = {first.pypi.upload_url}\nusername = ci\npassword = secret\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("TWINE_USERNAME")
    monkeypatch.delenv("TWINE_PASSWORD")
    retry = publish(clickgen_cli, first, "--lang", "python", "--python-repository-url", "internal")
    assert retry.exit_code == 0, retry.stdout + retry.stderr
    assert len(uploaded(retry.stdout)) == 4
    assert "shop-backend 1 3" in first.repo.releases()


def test_an_unreachable_index_is_a_clear_environment_error(first: Scenario, clickgen_cli: Cli) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/"
    result = publish(clickgen_cli, first, "--lang", "python", "--python-repository-url", nobody)
    assert result.exit_code == 2
    assert f"clickgen: error: cannot reach the Python index at {nobody}simple/{DIST}/" in result.stderr
    assert "Traceback" not in result.stderr


def test_failing_langpack_tests_publish_nothing(first: Scenario, clickgen_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import clickgen.publish as publishing

    first.repo.describe_event("A user opened an item page, from anywhere.")
    first.repo.commit("item_view: from anywhere")
    before = first.state()
    read_tree = publishing.read_tree

    def with_a_failing_test(folder: Path) -> dict[str, bytes]:
        files: dict[str, bytes] = read_tree(folder)
        if folder.name == "python":
            files["tests/test_broken.py"] = b"def test_broken() -> None:\n    assert 1 + 1 == 3, 'arithmetic is broken'\n"
        return files

    monkeypatch.setattr(publishing, "read_tree", with_a_failing_test)
    result = publish(clickgen_cli, first, *LANG_ARGS)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "error[CG0604]: the tests of shop-events-shop-backend 0.1.4 (shop-backend/python) fail (1 failed, " in result.stderr
    assert "arithmetic is broken" in result.stderr
    assert "environments/shop-backend.yaml:1:7: error[CG0604]" in result.stderr
    assert "clickgen: nothing was published" in result.stderr
    assert first.state() == before


def test_a_newer_clickgen_stamp_is_not_new_content(first: Scenario, clickgen_cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    # the previous test left 0.1.4 unpublished: put the reference back to 0.1.3's content
    first.repo.describe_event("A user opened an item page.")
    first.repo.commit("item_view: as released in 0.1.3")
    import clickgen.build

    monkeypatch.setattr(clickgen.build, "__version__", "9.9.9")
    before = first.state()
    result = publish(clickgen_cli, first, "--lang", "python")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert uploaded(result.stdout) == []
    assert "shop-backend/python 0.1.3: already published (same sources, packaged differently)" in result.stderr
    assert first.state() == before


def test_two_branches_cannot_publish_two_contents_under_one_version(first: Scenario, clickgen_cli: Cli) -> None:
    repo = first.repo
    repo.git("checkout", "-q", "-b", "feature-a")
    repo.describe_event("Branch A's wording.")
    repo.commit("A")
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "-b", "feature-b")
    repo.describe_event("Branch B's wording.")
    repo.commit("B")

    repo.git("checkout", "-q", "feature-a")
    a = publish(clickgen_cli, first, "--commit", *LANG_ARGS)
    assert a.exit_code == 0, a.stdout + a.stderr
    assert "shop-backend 1 4" in repo.releases()

    repo.git("checkout", "-q", "feature-b")
    before = first.state()
    b = publish(clickgen_cli, first, *LANG_ARGS)
    assert b.exit_code == 1, b.stdout + b.stderr
    assert "error[CG0603]: shop-events-shop-backend 0.1.4 (shop-backend/python) is already published at" in b.stderr
    assert "merge its clickgen.lock (e.g. the main branch) and publish again" in b.stderr
    for lang in LANGS:
        assert re.search(rf"CG0603\]: \S+ 0\.1\.4 \(shop-backend/{lang}\)", b.stderr), lang
    assert first.state() == before

    # B merges A: the lock merges cleanly (B never wrote it), the description is B's
    merged = repo.git_may_fail("merge", "-q", "feature-a", "-m", "merge A")
    assert merged.returncode != 0 and "events/item_view.yaml" in merged.stdout + merged.stderr
    repo.git("checkout", "--ours", "events/item_view.yaml")
    repo.commit("merge A, keep B's wording")
    after_merge = publish(clickgen_cli, first, *LANG_ARGS)
    assert after_merge.exit_code == 0, after_merge.stdout + after_merge.stderr
    assert "shop-backend 1 5" in repo.releases() and "shop-backend 1 4" in repo.releases()


@needs_go
def test_go_tags_in_a_modules_repository(first: Scenario, clickgen_cli: Cli, tmp_path: Path) -> None:
    remote = tmp_path / "modules.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True, env=git_env())
    # on the merged branch of the previous test, whose version the proxy has already
    version = f"0.1.{max(int(line.split()[2]) for line in first.repo.releases() if line.startswith('shop-backend 1 '))}"
    result = publish(clickgen_cli, first, "--lang", "go", "--go-tag-repo", str(remote))
    assert result.exit_code == 0, result.stdout + result.stderr
    assert uploaded(result.stdout) == [f"refs/tags/shop-backend/v{version}"]
    tree = subprocess.run(["git", "ls-tree", "-r", "--name-only", f"shop-backend/v{version}"], cwd=remote, capture_output=True, text=True, check=True).stdout
    assert "shop-backend/go.mod" in tree.splitlines() and "shop-backend/client.go" in tree.splitlines()
    again = publish(clickgen_cli, first, "--lang", "go", "--go-tag-repo", str(remote))
    assert again.exit_code == 0 and uploaded(again.stdout) == []


@needs_go
def test_a_large_go_langpack_is_published_with_its_packages(clickgen_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shape of a large Go langpack (event types below internal/): its module zip
    carries every package, and a program that `go get`s it prints the same bytes."""
    monkeypatch.setattr(go_target, "PACKAGE_WEIGHT", 1)
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    repo = ReferenceRepo(tmp_path / "shop", "publish:\n  go: {proxy_dir: ../targets/goproxy}\n")
    result = clickgen_cli("--reference", repo.root, "publish", "--lang", "go")
    assert result.exit_code == 0, result.stdout + result.stderr
    proxy = tmp_path / "targets" / "goproxy"
    names = zipfile.ZipFile(proxy / MODULE / "@v" / "v0.1.0.zip").namelist()
    prefix = f"{MODULE}@v0.1.0/"
    assert prefix + "internal/core/runtime.go" in names and any(n.startswith(prefix + "internal/events_item") for n in names)
    assert prefix + "vectors_test.go" in names and not any("/testdata/" in n for n in names)
    output, go_sum = clients.go_event(tmp_path / "app", proxy, MODULE, "0.1.0")
    assert output == clients.expected_json("0.1.0")
    printed = re.search(rf"go.sum: {re.escape(MODULE)} v0.1.0 (h1:\S+)", result.stdout)
    assert printed is not None and f"{MODULE} v0.1.0 {printed.group(1)}\n" in go_sum


def test_a_lock_merged_with_two_contents_for_one_version_is_refused(first: Scenario, clickgen_cli: Cli) -> None:
    repo = first.repo
    lock = repo.lock
    line = next(l for l in lock.splitlines() if l.startswith("shop-backend 1 5 "))
    other = "shop-backend 1 5 sha256:" + "0" * 64
    # both branches wrote version 5: git sees two edits of one place
    repo.git("checkout", "-q", "-b", "lock-c")
    (repo.root / "clickgen.lock").write_text(lock + "shop-backend 1 6 sha256:" + "c" * 64 + "\n")
    repo.commit("c")
    repo.git("checkout", "-q", "-b", "lock-d", "HEAD~1")
    (repo.root / "clickgen.lock").write_text(lock + "shop-backend 1 6 sha256:" + "d" * 64 + "\n")
    repo.commit("d")
    merged = repo.git_may_fail("merge", "-q", "lock-c", "-m", "merge c")
    assert merged.returncode != 0 and "clickgen.lock" in merged.stdout + merged.stderr
    repo.git("merge", "--abort")
    # someone keeps both lines anyway: publish refuses before building anything
    (repo.root / "clickgen.lock").write_text(lock.replace(line, line + "\n" + other))
    result = publish(clickgen_cli, first, "--lang", "python", "--dry-run")
    assert result.exit_code == 1
    assert "clickgen.lock:" in result.stderr and "error[CG0602]: version 0.1.5 of `shop-backend` is recorded twice with different content" in result.stderr
    repo.git("checkout", "-q", "-f", "main")


def test_no_publish_target_is_a_usage_error(clickgen_cli: Cli, tmp_path: Path) -> None:
    repo = ReferenceRepo(tmp_path / "shop")
    result = clickgen_cli("--reference", repo.root, "publish", "--lang", "python")
    assert result.exit_code == 2
    assert "clickgen: error: no publish target for the python langpacks: add `publish: {python: {repository_url: URL}}` to clickgen.yaml" in result.stderr
    unknown = clickgen_cli("--reference", repo.root, "publish", "--env", "nowhere")
    assert unknown.exit_code == 2 and "unknown environment 'nowhere'" in unknown.stderr
    nothing = clickgen_cli("--reference", repo.root, "publish", "--env", "shop-backend", "--lang", "python", "--lang", "go", "--lang", "php", "--dry-run", "--python-repository-url", "x")
    assert nothing.exit_code == 2  # the first missing target is named, nothing is built
    assert repo.lock == ""


# ---------------------------------------------------------------- the pieces


def test_module_paths_are_case_escaped() -> None:
    assert escape_path("github.com/Azure/Go-SDK") == "github.com/!azure/!go-!s!d!k"
    assert escape_path(MODULE) == MODULE


def test_module_zips_are_deterministic_and_prefixed() -> None:
    files = {"go.mod": b"module example.com/m\n", "b.go": b"package m\n", "a/a.go": b"package a\n"}
    data = module_zip("example.com/m", "v0.1.0", files)
    assert data == module_zip("example.com/m", "v0.1.0", dict(reversed(list(files.items()))))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist() == ["example.com/m@v0.1.0/a/a.go", "example.com/m@v0.1.0/b.go", "example.com/m@v0.1.0/go.mod"]
    assert {i.date_time for i in archive.infolist()} == {(1980, 1, 2, 0, 0, 0)}
    assert h1_hash("example.com/m", "v0.1.0", files).startswith("h1:")
    from clickgen.publish import PublishProblem

    # a folder with a go.mod of its own is another module: left out, as the go command does
    nested = module_zip("example.com/m", "v0.1.0", {**files, "testdata/go.mod": b"module example.com/m/testdata\n", "testdata/v.json": b"[]"})
    assert nested == data and h1_hash("example.com/m", "v0.1.0", {**files, "testdata/go.mod": b"", "testdata/v.json": b""}) == h1_hash("example.com/m", "v0.1.0", files)
    for bad in ({"vendor/x.go": b""}, {"A.go": b"", "a.go": b""}, {".git/config": b""}):
        with pytest.raises(PublishProblem):
            module_zip("example.com/m", "v0.1.0", {"go.mod": b"module example.com/m\n", **bad})


def test_composer_zips_are_deterministic() -> None:
    files = {"composer.json": b"{}", "src/A.php": b"<?php\n"}
    assert deterministic_zip(files) == deterministic_zip(dict(reversed(list(files.items()))))


def test_sdists_are_repacked_deterministically(tmp_path: Path) -> None:
    def sdist(path: Path, mtime: int, owner: str) -> Path:
        with tarfile.open(path, "w:gz") as tar:
            for name, data in (("p-1/src/p/__init__.py", b"x = 1\n"), ("p-1/PKG-INFO", b"Name: p\n")):
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.uname, info.mode = len(data), mtime, owner, 0o664
                tar.addfile(info, io.BytesIO(data))
        normalize_sdist(path)
        return path

    one, two = sdist(tmp_path / "one.tar.gz", 1_700_000_000, "alice"), sdist(tmp_path / "two.tar.gz", 1_800_000_000, "bob")
    assert one.read_bytes() == two.read_bytes()
    with tarfile.open(one) as tar:
        assert [m.name for m in tar.getmembers()] == ["p-1/PKG-INFO", "p-1/src/p/__init__.py"]
        assert {(m.uname, m.uid, m.mode) for m in tar.getmembers()} == {("", 0, 0o644)}
    assert payload("p-1.tar.gz", one.read_bytes()) == {"src/p/__init__.py": b"x = 1\n"}


def test_simple_index_pages_in_both_forms() -> None:
    html = b'<html><body><a href="/packages/p-0.1.0-py3-none-any.whl#sha256=aa">p-0.1.0-py3-none-any.whl</a><br><a href="../../p-0.1.0.tar.gz#sha256=bb">p-0.1.0.tar.gz</a></body></html>'
    files = parse_simple_page(html, "text/html", "http://h:1/simple/p/")
    assert [(f.filename, f.url, f.sha256) for f in files] == [
        ("p-0.1.0-py3-none-any.whl", "http://h:1/packages/p-0.1.0-py3-none-any.whl", "aa"),
        ("p-0.1.0.tar.gz", "http://h:1/p-0.1.0.tar.gz", "bb"),
    ]
    document = {"meta": {"api-version": "1.0"}, "name": "p", "files": [{"filename": "p-0.1.0.tar.gz", "url": "https://f/p-0.1.0.tar.gz", "hashes": {"sha256": "cc"}}]}
    (entry,) = parse_simple_page(json.dumps(document).encode(), "application/vnd.pypi.simple.v1+json", "https://i/simple/p/")
    assert (entry.filename, entry.sha256) == ("p-0.1.0.tar.gz", "cc")
    assert artifact_kind("shop_events-0.1.2-py3-none-any.whl") == ("0.1.2", "wheel-py3-none-any")
    assert artifact_kind("shop-events-0.1.2.tar.gz") == ("0.1.2", "sdist")


def test_index_urls_follow_from_upload_urls() -> None:
    assert index_from_repository("https://upload.pypi.org/legacy/") == "https://pypi.org/simple/"
    assert index_from_repository("http://127.0.0.1:8080/") == "http://127.0.0.1:8080/simple/"
    assert index_from_repository("https://nexus.example/repository/pypi-internal/") == "https://nexus.example/repository/pypi-internal/simple/"


def test_sources_equal_but_for_the_clickgen_stamp() -> None:
    ours = {"a.py": b"# Code generated by clickgen 0.1.0 from x. DO NOT EDIT.\nx = 1\n"}
    assert same_sources(ours, {"a.py": b"# Code generated by clickgen 0.2.0rc1 from x. DO NOT EDIT.\nx = 1\n"})
    assert not same_sources(ours, {"a.py": b"# Code generated by clickgen 0.2.0 from x. DO NOT EDIT.\nx = 2\n"})
    assert not same_sources(ours, {**ours, "b.py": b""})
    assert Presence.EQUIVALENT.value == "equivalent"


def test_artifacts_published_with_their_tests_are_the_same_sources_without_them() -> None:
    from clickgen.publish import go, php

    go_files = {"go.mod": b"module m\n", "events.go": b"package m\n"}
    assert same_sources(go_files, {**go_files, "testdata/vectors.json": b"{}"}, go.dev_only)
    assert not same_sources(go_files, {**go_files, "extra.go": b"package m\n"}, go.dev_only)
    assert not same_sources(go_files, {**go_files, "testdata/vectors.json": b"{}"})
    php_files = {"composer.json": b"{}", "src/Client.php": b"<?php\n"}
    old = {**php_files, "tests/VectorsTest.php": b"<?php\n", "tests/vectors.json": b"{}", "phpunit.xml.dist": b"<phpunit/>"}
    assert same_sources(php_files, old, php.dev_only)
    assert not same_sources(php_files, {**old, "src/Client.php": b"<?php // changed\n"}, php.dev_only)


def test_progress_is_plain_lines_off_a_terminal() -> None:
    stream = io.StringIO()
    progress = make_progress(stream)
    assert isinstance(progress, PlainProgress)
    progress.begin("testing", 2)
    progress.step("ios-app/go 0.1.4", "running its tests")
    progress.log("ios-app/go 0.1.4: tests passed (ok)")
    progress.advance()
    progress.end()
    assert stream.getvalue() == "testing: 2 langpacks\n  ios-app/go 0.1.4: running its tests\nios-app/go 0.1.4: tests passed (ok)\n"


def test_credentials_never_follow_a_redirect_to_another_host() -> None:
    import http.server
    import threading

    from clickgen.publish import PublishProblem
    from clickgen.publish.python import http_get

    seen: list[tuple[str, str | None]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append((self.path, self.headers.get("Authorization")))
            if self.path.startswith("/elsewhere/"):
                target = f"http://127.0.0.1:{servers[1].server_address[1]}/blob"
                self.send_response(302)
                self.send_header("Location", target)
                self.end_headers()
            elif self.path == "/broken/":
                self.send_error(500, "index on fire")
            else:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"data")

        def log_message(self, *args: object) -> None:
            pass

    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) for _ in range(2)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        index = f"http://127.0.0.1:{servers[0].server_address[1]}"
        auth = {"Authorization": "Basic c2VjcmV0"}
        # a project page sent to another host (pypiserver's fallback): not on this index
        assert http_get(f"{index}/elsewhere/simple/p/", auth)[0] == 404
        # a file on another host (a CDN): fetched, without the credentials
        assert http_get(f"{index}/elsewhere/p-0.1.0.tar.gz", auth, foreign_is_missing=False)[:2] == (200, b"data")
        assert seen[-1] == ("/blob", None) and seen[-2][1] == "Basic c2VjcmV0"
        with pytest.raises(PublishProblem, match=r"the Python index answered 500 index on fire for http://127\.0\.0\.1:\d+/broken/"):
            http_get(f"{index}/broken/", {})
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

"""The generated collector (`clickgen build --collector`): gofmt/vet-clean, its own Go
tests pass, deterministic; and against a real JetStream it stores valid lines byte for
byte, invalid ones with their reason, answers 503 without the broker and 200 again once
it is back, and shuts down gracefully."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from clickgen.build import build_collector
from clickgen.frontend import analyze_folder
from clickgen.targets.go import target as go_target
from delivery_support.broker import GO_ENV, MISSING, JetStream, StreamTool, nats_server
from delivery_support.collector import CollectorProcess, build_collector_binary, post

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "reference"
HOSTILE = [ROOT / "tests" / "fixtures" / "hostile-go", ROOT / "tests" / "cases" / "hostile-names" / "reference"]
GO = shutil.which("go") or ""
needs_go = pytest.mark.skipif(not GO, reason="the Go toolchain (`go`) is not installed: run scripts/install-toolchains.sh")
needs_broker = pytest.mark.skipif(not GO or not nats_server(), reason=MISSING)


def generate(reference: Path, folder: Path) -> Path:
    analysis = analyze_folder(reference)
    assert analysis.ok, analysis.diagnostics
    build_collector(analysis.reference, (), folder)
    return folder


@pytest.fixture(scope="module")
def example_collector(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(EXAMPLE, tmp_path_factory.mktemp("collector") / "collector")


@pytest.fixture(scope="module")
def collector_binary(example_collector: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_collector_binary(example_collector, tmp_path_factory.mktemp("bin"))


def module_path(module: Path) -> str:
    return (module / "go.mod").read_text("utf-8").split("module ", 1)[1].split("\n", 1)[0].strip()


@needs_broker
def test_collectors_are_gofmt_clean_vetted_and_pass_their_tests(example_collector: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """needs_broker: the collector's module needs the Go NATS client install-broker.sh fetches.

    One go.work holds the collectors, so one go process vets and tests them all. The
    collector of hostile-go embeds langpacks in the shape of large ones (their event types
    in packages below internal/, which the collector's module holds too)."""
    modules = [example_collector, generate(HOSTILE[1], tmp_path / HOSTILE[1].name)]
    monkeypatch.setattr(go_target, "PACKAGE_WEIGHT", 1)
    modules.append(generate(HOSTILE[0], tmp_path / HOSTILE[0].name))
    assert list(modules[-1].glob("internal/*/internal/core/runtime.go"))
    gofmt = subprocess.run([str(Path(GO).parent / "gofmt"), "-l", *map(str, modules)], capture_output=True, text=True)
    assert gofmt.returncode == 0 and gofmt.stdout == "", gofmt.stdout + gofmt.stderr
    work = tmp_path / "go.work"
    work.write_text("go 1.25.0\n\nuse (\n" + "".join(f"\t{m}\n" for m in modules) + ")\n", "utf-8")
    env = {**GO_ENV, "GOWORK": str(work), "GOFLAGS": ""}
    packages = [module_path(m) + "/..." for m in modules]
    vetted = subprocess.run([GO, "vet", *packages], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert vetted.returncode == 0, vetted.stdout + vetted.stderr
    tested = subprocess.run([GO, "test", "-count=1", "-vet=off", *[module_path(m) for m in modules]], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert tested.returncode == 0, tested.stdout[-6000:] + tested.stderr[-2000:]
    assert tested.stdout.count("ok  \t") == len(modules), tested.stdout


def test_the_collector_is_deterministic_and_embeds_every_environment(tmp_path: Path) -> None:
    first, second = generate(EXAMPLE, tmp_path / "a"), generate(EXAMPLE, tmp_path / "b")
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    environments = sorted(p.stem for p in (EXAMPLE / "environments").glob("*.yaml"))
    # every environment, also those without a Go langpack (website builds PHP and Python only)
    assert sorted(p.name for p in (first / "internal").iterdir()) == environments
    assert not [name for name in files if name.startswith("internal/") and name.endswith("_test.go")]
    assert "require github.com/nats-io/nats.go v1.53.1" in (first / "go.mod").read_text()


def test_build_collector_on_the_command_line(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    result = clickgen_cli("--reference", EXAMPLE, "build", "--lang", "go", "--out", out, "--collector")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (out / "collector" / "main.go").is_file() and (out / "ios-app" / "go" / "go.mod").is_file()
    assert "built the collector into" in result.stdout
    elsewhere = tmp_path / "elsewhere"
    result = clickgen_cli("--reference", EXAMPLE, "build", "--lang", "go", "--out", out, "--collector-out", elsewhere)
    assert result.exit_code == 0 and (elsewhere / "validate.go").is_file()


def test_an_environment_named_collector_needs_another_folder(clickgen_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reference = tmp_path / "reference"
    shutil.copytree(ROOT / "tests" / "cases" / "minimal" / "reference", reference)
    (reference / "environments" / "web.yaml").rename(reference / "environments" / "collector.yaml")
    text = (reference / "environments" / "collector.yaml").read_text().replace("name: web", "name: collector")
    (reference / "environments" / "collector.yaml").write_text(text)
    for path in (reference / "events").rglob("*.yaml"):
        path.write_text(path.read_text().replace("[web]", "[collector]"))
    assert clickgen_cli("--reference", reference, "validate").exit_code == 0
    result = clickgen_cli("--reference", reference, "build", "--out", tmp_path / "out", "--collector")
    assert result.exit_code == 2 and "--collector-out" in result.stderr
    result = clickgen_cli("--reference", reference, "build", "--out", tmp_path / "out", "--collector-out", tmp_path / "c")
    assert result.exit_code == 0, result.stdout + result.stderr


def vector_lines() -> list[str]:
    from clickgen.vectors import build_vectors
    from clickgen.versioning import langpack_version

    reference = analyze_folder(EXAMPLE).reference
    lines = []
    for name, environment in reference.environments.items():
        lines += [v["json"] for v in build_vectors(reference, environment, langpack_version(reference, name, 1, None))["valid"]]
    return lines


@needs_broker
def test_the_collector_stores_into_jetstream(collector_binary: Path, tmp_path: Path) -> None:
    tool = StreamTool.build(tmp_path)
    broker = JetStream(tmp_path / "broker")
    broker.start()
    collector = CollectorProcess(collector_binary, broker, tmp_path / "collector")
    try:
        collector.start()
        collector.wait_ready()
        valid = vector_lines()
        invalid = ["not json", valid[0].replace("{", "{ ", 1)]
        body = "".join(line + "\n" for line in valid + invalid).encode()
        assert post(collector.url + "/v1/events", body)[0] == 200
        assert post(collector.url + "/mpub?topic=clickstream", body) == (200, "OK")  # a retry: stored once
        broker.kill()
        assert post(collector.url + "/v1/events", body)[0] == 503
        broker.start()
        collector.wait_ready()
        assert post(collector.url + "/v1/events", (valid[0] + "\n").encode())[0] == 200
        metrics = collector.metrics()
        messages = tool.dump(broker, "CLICKSTREAM")
        assert collector.stop() == 0
    finally:
        collector.kill()
        broker.stop()
    events = [m for m in messages if m["subject"].startswith("clickstream.events.")]
    assert [m["data"] for m in events] == valid  # byte for byte, once each, in order
    for m in events:
        line = json.loads(m["data"])
        assert m["subject"] == f"clickstream.events.{line['source_id']}.{line['event_id']}"
        assert m["headers"]["Nats-Msg-Id"] == [line["event_uid"]]
    stored_invalid = [m for m in messages if m["subject"].startswith("clickstream.invalid.")]
    assert [m["data"] for m in stored_invalid] == invalid
    assert all(m["headers"]["Clickstream-Invalid-Reason"][0] for m in stored_invalid)
    assert 'clickstream_collector_invalid_events_total{reason="canonical"} 2' in metrics
    assert "clickstream_collector_broker_up 1" in metrics

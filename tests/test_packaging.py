"""clickgen as users install it: the wheel carries the schemas and templates, and the
installed package validates and builds a reference without the source checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_pyproject_lists_every_package() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "clickgen").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_the_wheel_works_without_the_checkout(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("clickgen-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "clickgen/schema/event.json" in names
    assert any(n.startswith("clickgen/templates/python/gen1/") for n in names)
    assert any(n.startswith("clickgen/templates/init/") for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # the project's venv provides the dependencies; clickgen itself comes from the wheel
    env = {**os.environ, "PYTHONPATH": str(site)}
    script = (
        "import clickgen, sys; assert clickgen.__file__.startswith(sys.argv[1]), clickgen.__file__; "
        "from clickgen.cli import main; main(sys.argv[2:])"
    )
    for args in (["init", str(tmp_path / "ref")], ["--reference", str(tmp_path / "ref"), "validate"], ["--reference", str(tmp_path / "ref"), "build", "--out", str(tmp_path / "out")]):
        run = subprocess.run([sys.executable, "-c", script, str(site), *args], capture_output=True, text=True, env=env, cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    assert (tmp_path / "out" / "web-backend" / "python" / "pyproject.toml").is_file()

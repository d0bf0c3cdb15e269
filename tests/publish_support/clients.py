"""Use a published langpack as its users do, each time from a fresh, isolated place.

- Python: a new venv, `pip install --isolated --index-url <index> <dist>==<version>`,
  then a script that imports the langpack, builds an event and encodes it;
- Go: a new module and module cache, `go get <module>@v<version>` with
  GOPROXY=file://<proxy> and GOSUMDB=off, then `go build` and run a program;
- PHP: a new project with packagist disabled and a new COMPOSER_HOME and cache,
  `composer install`, then PHP code that uses the langpack.

Each returns the event's canonical JSON as the langpack printed it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

# The one event every client builds: fixed time and uid, so the JSON is exact.
TIME_US = 1764135268123456
UID = "019ac1a2-3b4c-7d5e-8f60-718293a4b5c6"


def expected_json(version: str) -> str:
    event = {
        "event_id": 101,
        "event_time_us": TIME_US,
        "event_uid": UID,
        "event_version": 1,
        "item_id": 42,
        "langpack": version,
        "request_id": "req-1",
        "source_id": 7,
        "source_page": "feed",
        "user_id": 7,
    }
    return json.dumps(event, separators=(",", ":"), sort_keys=True)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return done.stdout


# ---------------------------------------------------------------- Python


def pip_install(folder: Path, index_url: str, requirement: str) -> Path:
    """A fresh venv (without pip of its own: this interpreter's pip installs into it)."""
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--isolated", "--no-cache-dir",
         "--disable-pip-version-check", "--index-url", index_url, requirement],
        folder,
    )  # fmt: skip
    return python


# generation 1: required fields in the constructor, chainable setters
PYTHON_GEN1 = """
from shop_events_shop_backend import Client, ItemViewV1, MemorySender, SourcePage
client = Client(MemorySender(), request_id="req-1")
event = ItemViewV1(item_id=42, event_time_us={time_us}, event_uid="{uid}")
print(client.encode(event.set_user_id(7).set_source_page(SourcePage.FEED)).decode())
"""

# generation 2: immutable events, every field a keyword, replace(), decode()
PYTHON_GEN2 = """
from shop_events_shop_backend import Client, ItemViewV1, MemorySender, SourcePage, decode
client = Client(MemorySender(), request_id="req-1")
event = ItemViewV1(item_id=42, user_id=1, source_page=SourcePage.FEED, event_time_us={time_us}, event_uid="{uid}")
line = client.encode(event.replace(user_id=7))
assert decode(line).event.user_id == 7, decode(line)
print(line.decode())
"""


def python_event(python: Path, code: str) -> str:
    script = textwrap.dedent(code).format(time_us=TIME_US, uid=UID)
    return run([str(python), "-c", script], python.parent).strip()


# ---------------------------------------------------------------- Go

GO_PROGRAM = """\
package main

import (
	"fmt"
	"os"

	shop "example.com/shop/events/shop-backend"
)

func main() {{
	client, err := shop.NewClient(shop.NewCommon("req-1"), shop.NewMemorySender())
	if err != nil {{
		panic(err)
	}}
	event := shop.NewItemViewV1(42).SetUserID(7).SetSourcePage(shop.SourcePageFeed).
		SetEventTimeUS({time_us}).SetEventUID("{uid}")
	line, err := client.Encode(event)
	if err != nil {{
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}}
	fmt.Println(string(line))
}}
"""


def go_env(proxy: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GO")}
    env.update(
        GOPROXY=proxy.resolve().as_uri(),
        GOSUMDB="off",
        GOFLAGS="-mod=mod",
        GOTOOLCHAIN="local",
        GOMODCACHE=str(home / "modcache"),
        GOCACHE=os.environ.get("GOCACHE") or str(Path.home() / ".cache" / "go-build"),
        GOPATH=str(home / "gopath"),
    )
    return env


def go_event(folder: Path, proxy: Path, module: str, version: str) -> tuple[str, str]:
    """(the program's output, go.sum) after `go get module@v<version>` and `go build`."""
    folder.mkdir(parents=True)
    env = go_env(proxy, folder)
    run(["go", "mod", "init", "example.com/app"], folder, env)
    (folder / "main.go").write_text(GO_PROGRAM.format(time_us=TIME_US, uid=UID))
    run(["go", "get", f"{module}@v{version}"], folder, env)
    run(["go", "build", "-o", "app", "."], folder, env)
    output = run([str(folder / "app")], folder, env).strip()
    # the module cache is read-only by design; let pytest's tmp cleanup remove it
    subprocess.run(["chmod", "-R", "u+w", str(folder / "modcache")], check=False)
    return output, (folder / "go.sum").read_text()


# ---------------------------------------------------------------- PHP

PHP_CODE = """\
<?php
declare(strict_types=1);
require __DIR__ . '/vendor/autoload.php';

use Shop\\Events\\ShopBackend\\Client;
use Shop\\Events\\ShopBackend\\ItemViewV1;
use Shop\\Events\\ShopBackend\\MemorySender;
use Shop\\Events\\ShopBackend\\SourcePage;

$client = new Client(new MemorySender(), 'req-1');
$event = (new ItemViewV1(42))->setUserId(7)->setSourcePage(SourcePage::Feed)
    ->setEventTimeUs({time_us})->setEventUid('{uid}');
echo $client->encode($event), "\\n";
"""


def composer_event(folder: Path, repository_url: str, package: str, version: str) -> str:
    folder.mkdir(parents=True)
    project = {
        "name": "test/app",
        "repositories": [{"packagist.org": False}, {"type": "composer", "url": repository_url}],
        "require": {package: version},
        "config": {"secure-http": False},
    }
    (folder / "composer.json").write_text(json.dumps(project, indent=2))
    env = {**os.environ, "COMPOSER_HOME": str(folder / ".composer"), "COMPOSER_CACHE_DIR": str(folder / ".composer" / "cache"), "COMPOSER_NO_INTERACTION": "1"}
    env.pop("COMPOSER", None)
    run(["composer", "install", "--no-progress", "--no-dev", "--no-interaction"], folder, env)
    (folder / "main.php").write_text(PHP_CODE.format(time_us=TIME_US, uid=UID))
    return run(["php", "main.php"], folder, env).strip()


def have(*tools: str) -> bool:
    return all(shutil.which(t) for t in tools)

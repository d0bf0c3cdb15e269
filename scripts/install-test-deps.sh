#!/bin/sh
# Installs the test-only material that comes from the registries, when missing:
# - the Node packages of tests/node/package.json into tests/node/node_modules (ajv and the
#   public conformance suites published on npm), from its lock file;
# - the JSON Schema Test Suite for draft 2020-12 (with its optional/format cases), which
#   the npm package lacks: it ships inside the sdist of the `jsonschema` package on PyPI,
#   unpacked to tests/suites/json-schema-test-suite.
# Node itself comes from the machine (or Debian's nodejs package).
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$root/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3

JSONSCHEMA_SDIST=4.23.0
suite="$root/tests/suites/json-schema-test-suite"
if [ ! -f "$suite/.from-jsonschema-$JSONSCHEMA_SDIST" ]; then
    work="$(mktemp -d)"
    "$PYTHON" -m pip download --quiet --no-deps --no-binary :all: "jsonschema==$JSONSCHEMA_SDIST" -d "$work"
    tar -xzf "$work/jsonschema-$JSONSCHEMA_SDIST.tar.gz" -C "$work" "jsonschema-$JSONSCHEMA_SDIST/json/tests/draft2020-12"
    rm -rf "$suite"
    mkdir -p "$suite"
    mv "$work/jsonschema-$JSONSCHEMA_SDIST/json/tests/draft2020-12" "$suite/"
    touch "$suite/.from-jsonschema-$JSONSCHEMA_SDIST"
    rm -rf "$work"
fi

cd "$root/tests/node"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

stamp=node_modules/.installed-from
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
    npm ci --no-audit --no-fund --silent
    cp package-lock.json "$stamp"
fi
node --version

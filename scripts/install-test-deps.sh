#!/bin/sh
# Installs the test-only Node packages of tests/node/package.json into tests/node/node_modules
# (ajv and the public conformance suites), from the npm registry, when they are missing or
# the lock file changed. Node itself comes from the machine (or Debian's nodejs package).
set -eu
cd "$(dirname "$0")/../tests/node"

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

#!/bin/sh
# Installs what the delivery tests need, when it is missing, from the Go module proxy:
# - nats-server with JetStream (the broker the generated collector publishes to), built
#   by `go install` into a cache shared by every checkout (CLICKGEN_TOOLS, default
#   ~/.cache/clickgen-tools/bin), so a second run does nothing;
# - the Go NATS client (nats.go) and its dependencies in the Go module cache, at the
#   version the generated collector's go.mod pins (clickgen/targets/collector), so the
#   tests build the collector offline (GOPROXY=off).
set -eu
NATS_SERVER_VERSION=v2.15.2
NATS_CLIENT_VERSION=v1.53.1
tools="${CLICKGEN_TOOLS:-$HOME/.cache/clickgen-tools}"
bin="$tools/bin"

# nats-server needs Go 1.26; an older local Go fetches that toolchain (GOTOOLCHAIN=auto)
toolchain=auto
case "$(go env GOVERSION)" in
    go1.2[6-9]* | go1.[3-9]*) toolchain=local ;;
esac

stamp="$bin/.nats-server-$NATS_SERVER_VERSION"
if [ ! -x "$bin/nats-server" ] || [ ! -f "$stamp" ]; then
    echo "installing nats-server $NATS_SERVER_VERSION into $bin"
    mkdir -p "$bin"
    GOBIN="$bin" GOTOOLCHAIN="$toolchain" GOFLAGS=-mod=mod go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION"
    rm -f "$bin"/.nats-server-*
    touch "$stamp"
fi

if [ ! -d "$(go env GOMODCACHE)/github.com/nats-io/nats.go@$NATS_CLIENT_VERSION" ]; then
    work="$(mktemp -d)"
    (cd "$work" && go mod init clickgen.invalid/fetch >/dev/null 2>&1 &&
        GOTOOLCHAIN="$toolchain" GOFLAGS=-mod=mod go get "github.com/nats-io/nats.go@$NATS_CLIENT_VERSION" >/dev/null &&
        GOTOOLCHAIN="$toolchain" go mod download all)
    rm -rf "$work"
fi
"$bin/nats-server" --version

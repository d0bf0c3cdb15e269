#!/bin/sh
# Installs what the langpacks' own tests need, when it is missing:
# Go (for the Go langpacks), PHP with PHPUnit and composer (for the PHP langpacks).
set -eu

need_apt=""
command -v go >/dev/null 2>&1 || need_apt="$need_apt golang-go"
command -v php >/dev/null 2>&1 || need_apt="$need_apt php-cli php-mbstring php-xml"
command -v phpunit >/dev/null 2>&1 || need_apt="$need_apt phpunit"
command -v composer >/dev/null 2>&1 || need_apt="$need_apt composer"
php -m 2>/dev/null | grep -qi mbstring || need_apt="$need_apt php-mbstring"
php -m 2>/dev/null | grep -qi '^xml$' || need_apt="$need_apt php-xml"

if [ -n "$need_apt" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "installing:$need_apt"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need_apt >/dev/null
fi
go version
php --version | head -1
phpunit --version | head -1

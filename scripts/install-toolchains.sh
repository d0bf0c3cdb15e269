#!/bin/sh
# Installs what the langpacks' own tests need, when it is missing, from Debian's packages:
# Go (for the Go langpacks); PHP 8.1+ with mbstring, xml (PHPUnit) and curl (the HTTP
# sender's preferred transport), PHPUnit 9, composer and PHP_CodeSniffer (PSR-12) for
# the PHP langpacks; Chromium and its WebDriver (chromedriver), headless, for the test that
# opens the HTML catalog in a real browser (tests/test_docs_browser.py).
set -eu

need_apt=""
command -v go >/dev/null 2>&1 || need_apt="$need_apt golang-go"
command -v php >/dev/null 2>&1 || need_apt="$need_apt php-cli"
for extension in mbstring xml curl; do
    php -m 2>/dev/null | grep -qix "$extension" || need_apt="$need_apt php-$extension"
done
command -v phpunit >/dev/null 2>&1 || need_apt="$need_apt phpunit"
command -v composer >/dev/null 2>&1 || need_apt="$need_apt composer"
command -v phpcs >/dev/null 2>&1 || need_apt="$need_apt php-codesniffer"
command -v chromium >/dev/null 2>&1 || need_apt="$need_apt chromium"
command -v chromedriver >/dev/null 2>&1 || need_apt="$need_apt chromium-driver"
# a font with Latin, Cyrillic and Greek for the catalog's screenshots (none without recommends)
fc-list 2>/dev/null | grep -q . || need_apt="$need_apt fonts-dejavu-core"

if [ -n "$need_apt" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    echo "installing:$need_apt"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need_apt >/dev/null
fi
go version
php --version | head -1
php -r 'exit(PHP_VERSION_ID >= 80100 ? 0 : 1);' || { echo "the PHP langpacks need PHP 8.1 or later" >&2; exit 2; }
phpunit --version | head -1
composer --version 2>/dev/null | head -1
phpcs --version | head -1
chromium --version 2>/dev/null | head -1

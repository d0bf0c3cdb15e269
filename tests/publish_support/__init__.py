"""Helpers for the end-to-end publish tests (tests/test_publish.py).

- `reference/`: a tiny reference (one environment built in every language, Python in
  generations 1 and 2), copied into a throwaway git repository by `ReferenceRepo`;
- `servers`: real package servers on 127.0.0.1 (pypiserver, `php -S`), on free ports;
- `clients`: what a user of a langpack does: pip into a fresh venv, `go get` into a
  fresh module, `composer install` into a fresh project, then run code that uses it.
"""

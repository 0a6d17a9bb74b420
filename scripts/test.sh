#!/usr/bin/env bash
# Installs what the test suite needs and runs the whole suite. `.ci/run` calls this.
#   - Debian packages: GSL, SQLite, pkg-config, PostgreSQL's server, Chromium (the dashboard's browser test)
#   - a virtualenv outside the repo with Python Optuna 5.0.0 (scripts/python-env.sh), for the interop tests
#   - a throw-away PostgreSQL cluster on loopback for the PostgreSQL tests, removed afterwards
# Tests read SYMSTUDY_PYTHON and SYMSTUDY_TEST_POSTGRES_URL; without them those tests fail, never skip.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh --tests

SYMSTUDY_PYTHON="$(scripts/python-env.sh)"
export SYMSTUDY_PYTHON

postgres_dir="$(mktemp -d /tmp/symstudy-postgres.XXXXXX)"
trap 'scripts/postgres.sh stop "$postgres_dir"' EXIT
SYMSTUDY_TEST_POSTGRES_URL="$(scripts/postgres.sh start "$postgres_dir")"
export SYMSTUDY_TEST_POSTGRES_URL

swift build --build-tests
swift test --skip-build "$@"

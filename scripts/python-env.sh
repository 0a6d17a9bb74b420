#!/usr/bin/env bash
# Creates (once) the virtualenv the tests use for the reference tools, outside the repo, and prints the path of
# its python. Sourced by scripts/test.sh, which exports it as SYMSTUDY_PYTHON; tests that drive Python Optuna
# read that variable (or fall back to the default location below).
#
#   scripts/python-env.sh            # prints e.g. /root/.venvs/symstudy-test/bin/python
set -euo pipefail
VENV="${SYMSTUDY_VENV:-$HOME/.venvs/symstudy-test}"
# gymnasium: the Python bridge test drives its CartPole-v1 beside the native one.
# Pinned: Optuna's schema, journal format and gRPC proxy are those of 5.0.0. grpcio and protobuf are optional in
# Optuna and installed explicitly for its GrpcStorageProxy; psycopg2-binary is the driver of Optuna's RDBStorage
# for postgresql:// URLs. SymPy (and NumPy) check the SymbolicRegression exports.
REQUIREMENTS=("optuna==5.0.0" "optuna-dashboard==0.21.0" "numpy" "scipy" "grpcio" "grpcio-tools" "protobuf" "PyYAML" "gymnasium" "psycopg2-binary" "sympy")
STAMP="$VENV/.symstudy-requirements"
WANT="$(printf '%s\n' "${REQUIREMENTS[@]}")"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  echo "creating the test virtualenv in $VENV" >&2
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQUIREMENTS[@]}" >&2
  printf '%s' "$WANT" > "$STAMP"
fi
echo "$VENV/bin/python"

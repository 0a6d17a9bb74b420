#!/usr/bin/env bash
# Installs the Debian packages symstudy needs, only those missing, with sudo when not root.
#   scripts/install-deps.sh            # to build and run: GSL, SQLite, pkg-config
#   scripts/install-deps.sh --tests    # also what the test suite needs: PostgreSQL's server, python3-venv,
#                                      # openssl (the TLS tests) and Chromium (the dashboard's browser test)
set -euo pipefail
packages=(libgsl-dev libsqlite3-dev pkg-config)
[ "${1:-}" = "--tests" ] && packages+=(postgresql python3-venv openssl chromium)
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

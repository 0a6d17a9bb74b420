#!/usr/bin/env bash
# The dashboard's benchmark: a study of 2,000 trials written by Python Optuna, served by `symstudy dashboard`
# (release build) and by optuna-dashboard 0.21.0 on the same file in the same run; prints median and p95 of
# each endpoint and of the whole study page. Not a test: figures depend on the machine and its load.
#   PY=~/.venvs/ref/bin/python Benchmarks/dashboard/bench_dashboard.sh [TRIALS] [REPEAT]
# The study is an SQLite file, the default storage; STORAGE=journal uses Optuna's journal file instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PY:-/root/.venvs/ref/bin/python}"
TRIALS="${1:-2000}"
REPEAT="${2:-20}"
work="$(mktemp -d /tmp/symstudy-dashboard-bench.XXXXXX)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

swift build -c release --product symstudy >&2
bin="$(swift build -c release --show-bin-path)/symstudy"

if [ "${STORAGE:-sqlite}" = sqlite ]; then
  url="sqlite:///$work/bench.db"; optuna_url="$url"
else
  url="journal://$work/bench.log"; optuna_url="$work/bench.log"
fi
"$PY" Benchmarks/dashboard/make_study.py "$optuna_url" "$TRIALS" >&2

start_symstudy() { # PORT EXTRA...
  local port="$1"; shift
  "$bin" dashboard --storage "$url" --port "$port" --pages dashboards "$@" >"$work/symstudy-$port.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do grep -q "http://" "$work/symstudy-$port.out" && return; sleep 0.1; done
  cat "$work/symstudy-$port.out" >&2; exit 1
}
start_symstudy 18731
warm_pid="${pids[-1]}"
start_symstudy 18732 --cache-seconds 0
cold_pid="${pids[-1]}"

optuna_args=()
if "$PY" -c "import optuna_dashboard" 2>/dev/null; then
  "$(dirname "$PY")/optuna-dashboard" "$optuna_url" --port 18733 --quiet >"$work/optuna.out" 2>&1 &
  pids+=($!)
  optuna_pid="${pids[-1]}"
  for _ in $(seq 1 150); do
    curl -sf http://127.0.0.1:18733/api/meta >/dev/null 2>&1 && break; sleep 0.2
  done
  optuna_args=(--optuna http://127.0.0.1:18733 --optuna-pid "$optuna_pid")
else
  echo "optuna-dashboard is not installed for $PY: no comparison" >&2
fi

"$PY" Benchmarks/dashboard/bench_dashboard.py --symstudy http://127.0.0.1:18731 --symstudy-pid "$warm_pid" \
  --symstudy-cold http://127.0.0.1:18732 --symstudy-cold-pid "$cold_pid" --repeat "$REPEAT" "${optuna_args[@]}"
echo "storage: $url; machine: $(nproc) cores; $(uptime | sed 's/.*load/load/')"

#!/usr/bin/env bash
# Trials per second of 1, 2 and 4 worker processes sharing one SQLite file: Optuna 5 (the reference, from PyPI
# in a virtualenv outside the repo, ../shared/bench/optuna/bench_sqlite_parallel.py) and symstudy on the same
# work in the same run, printed side by side with ratios per wall-second and per CPU-second.
#
#   Benchmarks/study-engine/compare_storage.sh                 # random and TPE, 1000 trials per run
#   N=400 SAMPLERS=random Benchmarks/study-engine/compare_storage.sh
#
# Environment: VENV (default ~/.venvs/ref), SHARED (default ../shared beside the repo), OUT (results folder),
# N (trials per run, default 1000), SAMPLERS (default random,tpe), PROCESSES (default 1,2,4).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${SHARED:-$REPO/../shared}"
VENV="${VENV:-$HOME/.venvs/ref}"
OUT="${OUT:-$(mktemp -d /tmp/symstudy-storage-bench.XXXXXX)}"
N="${N:-1000}"; SAMPLERS="${SAMPLERS:-random,tpe}"; PROCESSES="${PROCESSES:-1,2,4}"

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import optuna; assert optuna.__version__ == '5.0.0'" 2>/dev/null \
  || "$VENV/bin/pip" install -q "optuna==5.0.0" scipy numpy

cd "$REPO"
swift build -c release --product symstudy-bench >&2
BIN="$(swift build -c release --show-bin-path)/symstudy-bench"
echo "results in $OUT" >&2
mkdir -p "$OUT/work" "$OUT/work-symstudy"
(cd "$SHARED/bench/optuna" && "$VENV/bin/python" bench_sqlite_parallel.py --samplers "$SAMPLERS" --processes "$PROCESSES" \
  --n-trials-total "$N" --workdir "$OUT/work" --out "$OUT/optuna_sqlite_parallel.json")
"$BIN" storage-throughput --storage-kind sqlite --samplers "$SAMPLERS" --processes "$PROCESSES" --n-trials-total "$N" \
  --workdir "$OUT/work-symstudy" --out "$OUT/symstudy_sqlite_parallel.json"
"$VENV/bin/python" "$HERE/compare_storage.py" "$OUT/optuna_sqlite_parallel.json" "$OUT/symstudy_sqlite_parallel.json"

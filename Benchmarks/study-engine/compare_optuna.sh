#!/usr/bin/env bash
# Runs Optuna 5 (the reference, from PyPI in a virtualenv outside the repo) and symstudy on the same work in
# the same run, then prints both side by side with ratios and rank tests (compare.py).
#
#   Benchmarks/study-engine/compare_optuna.sh            # full: 20 seeds, budgets 100 and 200, overhead to 2000 trials
#   QUICK=1 Benchmarks/study-engine/compare_optuna.sh    # 5 seeds, overhead to 1000 trials (a smoke run)
#
# Environment: VENV (default ~/.venvs/ref), SHARED (default ../shared beside the repo), OUT (results folder,
# default a fresh folder under /tmp), PARTS (default "overhead quality pruning").
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="${SHARED:-$REPO/../shared}"
VENV="${VENV:-$HOME/.venvs/ref}"
OUT="${OUT:-$(mktemp -d /tmp/symstudy-bench.XXXXXX)}"
PARTS="${PARTS:-overhead quality pruning}"
SEEDS=20; TRIALS=2000
if [ "${QUICK:-0}" = 1 ]; then SEEDS=5; TRIALS=1000; fi

if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/python" -c "import optuna, scipy; assert optuna.__version__ == '5.0.0'" 2>/dev/null \
  || "$VENV/bin/pip" install -q "optuna==5.0.0" scipy numpy

cd "$REPO"
swift build -c release --product symstudy-bench >&2
BIN="$(swift build -c release --show-bin-path)/symstudy-bench"
echo "results in $OUT" >&2

for part in $PARTS; do
  case "$part" in
    overhead)
      "$VENV/bin/python" "$SHARED/bench/optuna/bench_overhead.py" --samplers tpe,random --storages memory \
        --n-trials "$TRIALS" --max-seconds 600 --out "$OUT/optuna_overhead.json"
      "$BIN" overhead --samplers tpe,random --n-trials "$TRIALS" --out "$OUT/symstudy_overhead.json"
      ;;
    quality)
      "$VENV/bin/python" "$SHARED/bench/optuna/bench_quality.py" --samplers tpe,random --seeds "$SEEDS" \
        --budgets 100,200 --workers 2 --out "$OUT/optuna_quality.json"
      "$BIN" quality --samplers tpe,random --seeds "$SEEDS" --budgets 100,200 --workers 2 --out "$OUT/symstudy_quality.json"
      ;;
    pruning)
      "$VENV/bin/python" "$SHARED/bench/optuna/bench_pruning.py" --seeds 10 --n-trials 100 --workers 2 \
        --out "$OUT/optuna_pruning.json"
      "$BIN" pruning --seeds 10 --n-trials 100 --workers 2 --out "$OUT/symstudy_pruning.json"
      ;;
    *) echo "unknown part '$part' (overhead, quality, pruning)" >&2; exit 2 ;;
  esac
done
"$VENV/bin/python" "$HERE/compare.py" "$OUT"

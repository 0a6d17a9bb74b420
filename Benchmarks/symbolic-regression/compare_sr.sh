#!/usr/bin/env bash
# Runs gplearn 0.4.3 and pyoperon 0.6.2 (the references, from PyPI in a virtualenv outside the repo, with the
# harness in ../shared/bench/sr) and symstudy on the same problems with the same budget (population 1000,
# 20 generations) in the same run, then prints the figures side by side with the ratios (compare_sr.py).
#
#   Benchmarks/symbolic-regression/compare_sr.sh                 # everything (about an hour on 2 cores)
#   PARTS=evalonly Benchmarks/symbolic-regression/compare_sr.sh  # one part: evalonly, throughput, quality
#
# Environment: VENV (default ~/.venvs/ref), SHARED (default ../shared beside the repo), OUT (results folder,
# default a fresh folder under /tmp), PROBLEMS (throughput, default all:nguyen,all:feynman), GPLEARN_PROBLEMS
# (gplearn is about 100x slower: default nguyen-1,feynman-I.8.14), EVAL_PROBLEMS (trees for evaluation
# alone, default nguyen-5,nguyen-1,feynman-I.9.18), QUALITY_PROBLEMS (default all:feynman,all:nguyen),
# SCRATCH_PATH (a build folder other than .build), SEEDS (default 0-9), LM_SEEDS (seeds of the runs with constant fitting, default 0-19: a Nguyen run with LM takes pyoperon about 2 s, and 5 seeds leave the count at the mercy of a few runs), LM_PROBLEMS (their problems, default all:nguyen), REPS (evaluation-alone
# repetitions, default 3), THROUGHPUT_REPEATS (symstudy's whole fits per problem and thread count, default 5;
# the 2-thread ratio is the median of each repeat's ratio, printed with the cores' round trip).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SHARED="$(cd "${SHARED:-$REPO/../shared}" && pwd)"
VENV="${VENV:-$HOME/.venvs/ref}"
OUT="${OUT:-$(mktemp -d /tmp/symstudy-sr-bench.XXXXXX)}"
PARTS="${PARTS:-evalonly throughput quality}"
PROBLEMS="${PROBLEMS:-all:nguyen,all:feynman}"
GPLEARN_PROBLEMS="${GPLEARN_PROBLEMS:-nguyen-1,feynman-I.8.14}"
EVAL_PROBLEMS="${EVAL_PROBLEMS:-nguyen-5,nguyen-1,feynman-I.9.18}"
QUALITY_PROBLEMS="${QUALITY_PROBLEMS:-all:feynman,all:nguyen}"
SEEDS="${SEEDS:-0-9}"
LM_SEEDS="${LM_SEEDS:-0-19}"
# Problems of the runs with constant fitting: pyoperon+LM takes about 2 minutes per Feynman run here.
LM_PROBLEMS="${LM_PROBLEMS:-all:nguyen}"
REPS="${REPS:-3}"
# Whole symstudy fits per problem and thread count (1 and 2 taking turns; medians): a fit lasts a tenth of a second.
THROUGHPUT_REPEATS="${THROUGHPUT_REPEATS:-5}"
PY="$VENV/bin/python"
BENCH="$SHARED/bench/sr"

if [ ! -x "$PY" ]; then python3 -m venv "$VENV"; fi
"$PY" -c "import gplearn, pyoperon, sympy; assert gplearn.__version__ == '0.4.3'" 2>/dev/null \
  || "$VENV/bin/pip" install -q "gplearn==0.4.3" "pyoperon==0.6.2" scikit-learn sympy numpy

cd "$REPO"
SCRATCH=(); if [ -n "${SCRATCH_PATH:-}" ]; then SCRATCH=(--scratch-path "$SCRATCH_PATH"); fi
swift build -c release --product symstudy-bench "${SCRATCH[@]}" >&2
BIN="$(swift build -c release --show-bin-path "${SCRATCH[@]}")/symstudy-bench"
echo "results in $OUT" >&2
cd "$OUT"
mkdir -p results

for part in $PARTS; do
  case "$part" in
    evalonly)
      # The trees pyoperon's own GP evaluated; then Operon and symstudy on exactly those trees, interleaved.
      "$PY" "$BENCH/operon_probe.py" export --problems "$EVAL_PROBLEMS"
      for rep in $(seq 0 $((REPS - 1))); do
        "$PY" "$BENCH/operon_probe.py" evalonly --problems "$EVAL_PROBLEMS" --threads 1,2 --rep "$rep" --out results/operon_evalonly.jsonl
        "$BIN" sr evalonly --problems "$EVAL_PROBLEMS" --trees trees --threads 1,2 --rep "$rep" --data "$SHARED/data/sr" --out results/symstudy_evalonly.jsonl
      done
      ;;
    throughput)
      "$PY" "$BENCH/bench_throughput.py" --tool operon --threads 1,2 --problems "$PROBLEMS" --out results/throughput_operon.json
      "$BIN" sr throughput --problems "$PROBLEMS" --threads 1,2 --repeats "$THROUGHPUT_REPEATS" --data "$SHARED/data/sr" --out results/throughput_symstudy.json
      "$PY" "$BENCH/bench_throughput.py" --tool gplearn --threads 1 --problems "$GPLEARN_PROBLEMS" --out results/throughput_gplearn.json
      "$BIN" sr throughput --preset gplearn --problems "$GPLEARN_PROBLEMS" --threads 1 --data "$SHARED/data/sr" --out results/throughput_symstudy_gplearn.json
      ;;
    quality)
      # Two lanes, one per core, each run on one thread (as run_quality.sh does).
      (
        "$PY" "$BENCH/bench_quality.py" --tool operon --problems "$QUALITY_PROBLEMS" --seeds "$SEEDS" --out results/quality_operon.json
        "$PY" "$BENCH/bench_quality.py" --tool operon-lm --problems "$LM_PROBLEMS" --seeds "$LM_SEEDS" --out results/quality_operon-lm.json
      ) > results/lane_operon.log 2>&1 &
      (
        "$BIN" sr quality --problems "$QUALITY_PROBLEMS" --seeds "$SEEDS" --data "$SHARED/data/sr" --out results/quality_symstudy.json
        "$BIN" sr quality --constant-fitting 10 --problems "$LM_PROBLEMS" --seeds "$LM_SEEDS" --data "$SHARED/data/sr" --out results/quality_symstudy-lm.json
      ) > results/lane_symstudy.log 2>&1 &
      wait
      ;;
    *) echo "unknown part '$part' (evalonly, throughput, quality)" >&2; exit 2 ;;
  esac
done
"$PY" "$HERE/compare_sr.py" "$OUT/results" "$BENCH"

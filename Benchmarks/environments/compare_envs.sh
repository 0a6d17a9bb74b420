#!/usr/bin/env bash
# Steps per second of symstudy's classic-control environments beside the fastest anchors, in the same run:
# gymnax (JAX, jit(vmap(step)) in a lax.scan), EnvPool (C++) and Gymnasium (../../../shared/bench/rl/bench_anchors.py).
# Prints steps per CPU-second and per wall-second and the ratios to gymnax's best batch.
#
#   Benchmarks/environments/compare_envs.sh                 # 2 s per measurement
#   SECONDS_PER=1 QUICK=1 Benchmarks/environments/compare_envs.sh   # a smoke run (gymnax and symstudy only)
#
# The anchors run from virtualenvs outside the repo; create them once (about 1 GB and 300 MB):
#   python3 -m venv ~/.venvs/gymnax  && ~/.venvs/gymnax/bin/pip install gymnax jax "gymnasium[classic-control]" six
#   python3 -m venv ~/.venvs/envpool && ~/.venvs/envpool/bin/pip install envpool "gymnasium[classic-control]"
# VENV_GX and VENV_EP override their locations. Results (JSON lines) go to $OUT (default: a new folder in /tmp).
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV_GX="${VENV_GX:-$HOME/.venvs/gymnax}"
VENV_EP="${VENV_EP:-$HOME/.venvs/envpool}"
SECONDS_PER="${SECONDS_PER:-2}"
ANCHORS="${ANCHORS:-../shared/bench/rl/bench_anchors.py}"
OUT="${OUT:-$(mktemp -d /tmp/symstudy-env-bench.XXXXXX)}"
mkdir -p "$OUT"
for venv in "$VENV_GX" "$VENV_EP"; do
  [ -x "$venv/bin/python" ] || { echo "missing virtualenv $venv: see the commands at the top of $0" >&2; exit 1; }
done
[ -f "$ANCHORS" ] || { echo "missing $ANCHORS (../shared beside the repository)" >&2; exit 1; }

swift build -c release --product symstudy >&2
BIN=.build/release/symstudy
ENVS=(CartPole-v1 MountainCar-v0 Acrobot-v1 Pendulum-v1)

echo "symstudy ..." >&2
for env in "${ENVS[@]}"; do
  for config in "1 1" "4096 1" "2 2" "8192 2"; do
    set -- $config
    "$BIN" bench env "$env" --copies "$1" --threads "$2" --seconds "$SECONDS_PER" --format json >> "$OUT/symstudy.jsonl"
  done
done
echo "gymnax ..." >&2
"$VENV_GX/bin/python" "$ANCHORS" gymnax --seconds "$SECONDS_PER" --out "$OUT/gymnax.jsonl" > /dev/null
if [ -z "${QUICK:-}" ]; then
  echo "EnvPool ..." >&2
  "$VENV_EP/bin/python" "$ANCHORS" envpool --seconds "$SECONDS_PER" --out "$OUT/envpool.jsonl" > /dev/null
  echo "Gymnasium ..." >&2
  "$VENV_EP/bin/python" "$ANCHORS" gymnasium --seconds "$SECONDS_PER" --out "$OUT/gymnasium.jsonl" > /dev/null
fi
python3 Benchmarks/environments/compare_envs.py "$OUT"
echo "results in $OUT" >&2

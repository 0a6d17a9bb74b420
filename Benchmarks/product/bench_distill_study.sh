#!/usr/bin/env bash
# End-to-end speed of a whole distillation study: symstudy's `distill` study against the same search done
# the DiffSES code's way (Optuna TPE + gplearn, ../shared/bench/sr/bench_study_optuna_gplearn.py), in the
# same run, on the Pong distillation set (distill-pong: 15,000 train rows, 5,000 test rows; 20,000 in all).
#
# Both searches: 100 trials, population 1000, 20 generations, functions add, sub, mul, gt, MAE on the action
# id, the output rounded to an action, init depth min 1..4 plus 0..5, const range +-0.5..10, tournament
# 2..50, parsimony 1e-5..1e-1 (log), crossover 0.5..0.95 and the three mutations 0..0.15 each (scaled to a
# total of 0.999 when above), one process each, seeded. The value is the test-row fidelity.
#
#   Benchmarks/product/bench_distill_study.sh                 # reference: REF_TRIALS=5 trials, timed and
#                                                             # scaled to 100 (its cost per trial is flat)
#   REF_TRIALS=100 Benchmarks/product/bench_distill_study.sh  # the reference's whole study (about 80 min)
#
# Env: PY (python with optuna 5.0.0 and gplearn 0.4.3; default ~/.venvs/ref/bin/python), TRIALS (100),
# POPULATION (1000), GENERATIONS (20), SYMSTUDY (default: builds and uses .build/release/symstudy), OUT (where
# the logs, the reference's JSON and symstudy's study database are kept; default /tmp/symstudy-distill-study-results).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${SHARED:-$root/../shared}"
PY="${PY:-$HOME/.venvs/ref/bin/python}"
TRIALS="${TRIALS:-100}"; POPULATION="${POPULATION:-1000}"; GENERATIONS="${GENERATIONS:-20}"; REF_TRIALS="${REF_TRIALS:-5}"
if [ -z "${SYMSTUDY:-}" ]; then
    (cd "$root" && swift build -c release --product symstudy >/dev/null)
    SYMSTUDY="$root/.build/release/symstudy"
fi
work="$(mktemp -d)"
# Both sides' logs, the reference's per-trial JSON and symstudy's study file are kept in OUT.
OUT="${OUT:-/tmp/symstudy-distill-study-results}"; mkdir -p "$OUT"
trap 'cp "$work"/*.log "$work"/*.json "$work"/*.db "$work"/*.yaml "$OUT"/ 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/bench-distill.yaml" <<YAML
name: bench-distill
objective:
  kind: distill
  dataset: $shared/data/distill/distill-pong.json
  features:
    # The reference's six columns (player_y, ball_x, ball_y, ball_vx, ball_vy, opponent_y): the same search
    # also in its terminals (the paddles' x, dx and dy never vary or are not among them).
    objects: [{type: 0, name: player, fields: [y]}, {type: 1, name: ball}, {type: 2, name: enemy, fields: [y]}]
    fields: [x, y, dx, dy]
  decoding: {rounded: [0, 1, 2]}
  split: {train: [0, 14999], test: [15000, 19999]}
objectives:
  - {metric: test_fidelity, direction: maximize}
search_space:
  population_size: $POPULATION
  generations: $GENERATIONS
  function_set: "add,sub,mul,gt"
  metric: mae
  init_method: half and half
  init_depth_min: {int: [1, 4]}
  init_depth_extra: {int: [0, 5]}
  const_range: {float: [0.5, 10.0]}
  p_crossover: {float: [0.5, 0.95]}
  p_subtree_mutation: {float: [0.0, 0.15]}
  p_hoist_mutation: {float: [0.0, 0.15]}
  p_point_mutation: {float: [0.0, 0.15]}
  scale_probabilities: true
  tournament_size: {int: [2, 50]}
  parsimony_coefficient: {float: [1.0e-5, 1.0e-1], log: true}
  max_samples: 1.0
sampler: {name: TPESampler, options: {seed: 0}}
pruner: {name: NopPruner}
trials: $TRIALS
seed: 0
YAML

echo "== symstudy: $TRIALS trials" >&2
/usr/bin/time -f "%e %U %S" -o "$work/sym.time" "$SYMSTUDY" optimize "$work/bench-distill.yaml" > "$work/sym.log" 2>&1
read -r sym_wall sym_user sym_sys < "$work/sym.time"
sym_best="$(sqlite3 "$work/bench-distill.db" "select max(v.value) from trial_values v join trials t on t.trial_id = v.trial_id where t.state = 'COMPLETE'")"
sym_done="$(sqlite3 "$work/bench-distill.db" "select count(*) from trials where state = 'COMPLETE'")"

echo "== Optuna + gplearn: $REF_TRIALS trials" >&2
(cd "$shared/bench/sr" && /usr/bin/time -f "%e %U %S" -o "$work/ref.time" "$PY" bench_study_optuna_gplearn.py \
    --trials "$REF_TRIALS" --population "$POPULATION" --generations "$GENERATIONS" --storage sqlite --workdir "$work" \
    --out "$work/ref.json" > "$work/ref.log" 2>&1)
read -r ref_wall ref_user ref_sys < "$work/ref.time"
ref_best="$("$PY" -c "import json; print(json.load(open('$work/ref.json'))['best_test_fidelity'])")"

"$PY" - "$TRIALS" "$REF_TRIALS" "$sym_wall" "$sym_user" "$sym_sys" "$ref_wall" "$ref_user" "$ref_sys" "$sym_best" "$ref_best" "$sym_done" <<'PYEOF'
import sys
trials, ref_trials = int(sys.argv[1]), int(sys.argv[2])
sym_wall, sym_cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
ref_wall, ref_cpu = float(sys.argv[6]), float(sys.argv[7]) + float(sys.argv[8])
sym_best, ref_best, done = float(sys.argv[9]), float(sys.argv[10]), int(sys.argv[11])
scale = trials / ref_trials
print(f"symstudy distill study: {trials} trials ({done} complete), wall {sym_wall:.1f} s, CPU {sym_cpu:.1f} s, best test fidelity {sym_best:.4f}")
print(f"Optuna + gplearn: {ref_trials} trials measured, wall {ref_wall:.1f} s, CPU {ref_cpu:.1f} s, best test fidelity {ref_best:.4f}"
      + (f" (x{scale:g} for {trials} trials: wall {ref_wall * scale:.0f} s, CPU {ref_cpu * scale:.0f} s)" if scale != 1 else ""))
print(f"ratio per wall-second: {ref_wall * scale / sym_wall:.1f}x   per CPU-second: {ref_cpu * scale / sym_cpu:.1f}x"
      + ("   (reference scaled from its measured trials)" if scale != 1 else ""))
PYEOF

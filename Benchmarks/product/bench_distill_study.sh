#!/usr/bin/env bash
# End-to-end speed of a whole distillation study: symstudy's Pong distill study against the same search done
# the DiffSES code's way (Optuna TPE + gplearn, ../shared/bench/sr/bench_study_optuna_gplearn.py), in the
# same run, on the Pong distillation set (distill-pong: 15,000 train rows, 5,000 test rows; 20,000 in all).
# Both: 100 trials, population 1000, 20 generations; the value is the test-row fidelity, maximised.
#
# The reference (fixed by its harness): functions add, sub, mul, gt, MAE on the action id, the output rounded
# to an action, the six columns player_y, ball_x, ball_y, ball_vx, ball_vy, opponent_y; TPE (seed 0) over
# init depth min 1..4 plus 0..5, const range +-0.5..10, tournament 2..50, parsimony 1e-5..1e-1 (log),
# crossover 0.5..0.95 and the three mutations 0..0.15 each (scaled to a total of 0.999 when above); one
# process, gplearn's n_jobs 1.
#
# symstudy's side, one study per design in DESIGNS (default both, in this order):
#   product    (default) the product's study, studies/diffses-pong.yaml with the population fixed at 1000
#              and 100 trials: fidelity as the GP metric, the player-ball offset among the features, the
#              searched function sets, median pruning from generation 15, a pattern search on the winners'
#              constants. This is the study a user runs.
#   reference  the reference's search space and settings, as far as they map one to one (its six columns,
#              add/sub/mul/gt, MAE, the same ranges, no pruning): the like-for-like speed of the same search.
# Both run with --jobs JOBS (default 2: the machine's two cores; the reference's process uses one, so the
# ratio per CPU-second is the like-for-like figure).
#
#   Benchmarks/product/bench_distill_study.sh                 # reference: REF_TRIALS=5 trials, timed and
#                                                             # scaled to 100 (its cost per trial is flat)
#   REF_TRIALS=100 Benchmarks/product/bench_distill_study.sh  # the reference's whole study (about 55 min)
#
# Env: PY (python with optuna 5.0.0 and gplearn 0.4.3; default ~/.venvs/ref/bin/python), TRIALS (100),
# POPULATION (1000), GENERATIONS (20), DESIGNS ("product reference"), JOBS (2), SYMSTUDY (default: builds and uses
# .build/release/symstudy), OUT (where the logs, the reference's JSON and symstudy's study database are kept;
# default /tmp/symstudy-distill-study-results).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
shared="${SHARED:-$root/../shared}"
PY="${PY:-$HOME/.venvs/ref/bin/python}"
TRIALS="${TRIALS:-100}"; POPULATION="${POPULATION:-1000}"; GENERATIONS="${GENERATIONS:-20}"; REF_TRIALS="${REF_TRIALS:-5}"
DESIGNS="${DESIGNS:-product reference}"; JOBS="${JOBS:-2}"
if [ -z "${SYMSTUDY:-}" ]; then
    (cd "$root" && swift build -c release --product symstudy >/dev/null)
    SYMSTUDY="$root/.build/release/symstudy"
fi
work="$(mktemp -d)"
# Both sides' logs, the reference's per-trial JSON and symstudy's study file are kept in OUT.
OUT="${OUT:-/tmp/symstudy-distill-study-results}"; mkdir -p "$OUT"
trap 'cp "$work"/*.log "$work"/*.json "$work"/*.db "$work"/*.yaml "$work"/*.results "$OUT"/ 2>/dev/null || true; rm -rf "$work"' EXIT

write_study() {  # $1: the design; writes $work/$1.yaml (its database: $work/$1.db)
    local study="$work/$1.yaml"
    case "$1" in
    product)
    # The shipped study file, with only the dataset path, the budget and the name changed.
    sed -e "s#dataset: .*distill-pong.json#dataset: $shared/data/distill/distill-pong.json#" \
        -e "s#^  population_size: .*#  population_size: $POPULATION#" \
        -e "s#^  generations: .*#  generations: $GENERATIONS#" \
        -e "s#^trials: .*#trials: $TRIALS#" -e "s#^name: .*#name: bench-distill-product#" \
        "$root/studies/diffses-pong.yaml" > "$study"
    grep -q "population_size: $POPULATION\$" "$study" || { echo "could not fix the population in studies/diffses-pong.yaml" >&2; exit 1; }
    ;;
reference)
    cat > "$study" <<YAML
name: bench-distill-reference
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
    ;;
    *) echo "DESIGNS: product or reference, not $1" >&2; exit 2 ;;
    esac
}

: > "$work/sym.results"
for design in $DESIGNS; do
    write_study "$design"
    echo "== symstudy ($design design): $TRIALS trials, --jobs $JOBS" >&2
    /usr/bin/time -f "%e %U %S" -o "$work/$design.time" "$SYMSTUDY" optimize "$work/$design.yaml" --jobs "$JOBS" > "$work/$design.log" 2>&1
    best="$(sqlite3 "$work/$design.db" "select max(v.value) from trial_values v join trials t on t.trial_id = v.trial_id where t.state = 'COMPLETE'")"
    done_trials="$(sqlite3 "$work/$design.db" "select count(*) from trials where state = 'COMPLETE'")"
    echo "$design $(cat "$work/$design.time") $best $done_trials" >> "$work/sym.results"
done

echo "== Optuna + gplearn: $REF_TRIALS trials" >&2
(cd "$shared/bench/sr" && /usr/bin/time -f "%e %U %S" -o "$work/ref.time" "$PY" bench_study_optuna_gplearn.py \
    --trials "$REF_TRIALS" --population "$POPULATION" --generations "$GENERATIONS" --storage sqlite --workdir "$work" \
    --out "$work/ref.json" > "$work/ref.log" 2>&1)
read -r ref_wall ref_user ref_sys < "$work/ref.time"
ref_best="$("$PY" -c "import json; print(json.load(open('$work/ref.json'))['best_test_fidelity'])")"

"$PY" - "$TRIALS" "$REF_TRIALS" "$ref_wall" "$ref_user" "$ref_sys" "$ref_best" "$JOBS" "$work/sym.results" <<'PYEOF'
import sys
trials, ref_trials = int(sys.argv[1]), int(sys.argv[2])
ref_wall, ref_cpu = float(sys.argv[3]), float(sys.argv[4]) + float(sys.argv[5])
ref_best, jobs = float(sys.argv[6]), sys.argv[7]
scale = trials / ref_trials
print(f"Optuna + gplearn (one process): {ref_trials} trials measured, wall {ref_wall:.1f} s, CPU {ref_cpu:.1f} s, best test fidelity {ref_best:.4f}"
      + (f" (x{scale:g} for {trials} trials: wall {ref_wall * scale:.0f} s, CPU {ref_cpu * scale:.0f} s)" if scale != 1 else ""))
for line in open(sys.argv[8]):
    design, wall, user, system, best, done = line.split()
    wall, cpu, best = float(wall), float(user) + float(system), float(best)
    verdict = "equal or better" if best >= ref_best else "LOWER"
    pruned = f", {trials - int(done)} pruned" if int(done) < trials else ""
    print(f"symstudy ({design} design, --jobs {jobs}): {trials} trials ({done} complete{pruned}), wall {wall:.1f} s, "
          f"CPU {cpu:.1f} s, best test fidelity {best:.4f} ({verdict} than the reference's)")
    print(f"  ratio per wall-second: {ref_wall * scale / wall:.1f}x   per CPU-second: {ref_cpu * scale / cpu:.1f}x"
          + ("   (reference scaled from its measured trials)" if scale != 1 else ""))
PYEOF

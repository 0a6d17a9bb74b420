#!/usr/bin/env bash
# The parallel proof of issue 13: the same 40-trial study with `--jobs 2` against `--jobs 1` (wall and CPU
# seconds, and their ratio), then two `symstudy optimize` processes on one SQLite file (the trial count must be
# exactly the budget).
#
#   scripts/parallel-proof.sh [STUDY.yaml] [TRIALS]
#
# STUDY.yaml defaults to a generated `command` study whose trials each burn about 0.4 s of one core in Python
# (a stand-in for a single-threaded GP run). Each run gets a fresh SQLite file in a temporary folder.
# SYMSTUDY_BIN picks the binary (default: .build/release/symstudy, else .build/debug/symstudy).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${SYMSTUDY_BIN:-}"
if [[ -z "$bin" ]]; then
    bin="$root/.build/release/symstudy"
    [[ -x "$bin" ]] || bin="$root/.build/debug/symstudy"
fi
trials="${2:-40}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

study="${1:-}"
if [[ -z "$study" ]]; then
    study="$work/burn.yaml"
    cat > "$study" <<'YAML'
objective:
  kind: command
  command: [python3, -c, "import os\nn = int(os.environ['SYMSTUDY_PARAM_N'])\ns = 0\nfor i in range(n): s += i * i % 7\nprint(s / n)"]
search_space:
  n: {int: [800000, 1000000]}
sampler: {name: RandomSampler, options: {seed: 1}}
trials: 40
YAML
fi
name="$(basename "$study" .yaml)"

run() {  # run JOBS DB: prints "wall user system"
    local jobs="$1" db="$2" t
    TIMEFORMAT='%R %U %S'
    t=$( { time "$bin" optimize "$study" --jobs "$jobs" --trials "$trials" --storage "sqlite:///$db" --plain >/dev/null 2>"$work/log-$jobs"; } 2>&1 )
    echo "$t"
}

echo "binary: $bin"
echo "study: $study ($trials trials), cores: $(nproc), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(each trial runs on one thread unless --threads-per-trial says more: --jobs spreads the study over the cores)"
read -r w1 u1 s1 <<<"$(run 1 "$work/jobs1.db")"
read -r w2 u2 s2 <<<"$(run 2 "$work/jobs2.db")"
count() { "$bin" trials "$name" --storage "sqlite:///$1" --state complete,pruned,fail -f csv | tail -n +2 | wc -l; }
printf 'jobs 1: %6.2f s wall, %6.2f s CPU (symstudy and its children; finished trials %s)\n' "$w1" "$(echo "$u1 + $s1" | bc)" "$(count "$work/jobs1.db")"
printf 'jobs 2: %6.2f s wall, %6.2f s CPU (symstudy and its children; finished trials %s)\n' "$w2" "$(echo "$u2 + $s2" | bc)" "$(count "$work/jobs2.db")"
printf 'wall ratio jobs 2 / jobs 1: %.3f (the issue asks at most 0.6)\n' "$(echo "$w2 / $w1" | bc -l)"

# Two processes on one SQLite file: together exactly the budget.
"$bin" optimize "$study" --jobs 2 --trials "$trials" --storage "sqlite:///$work/shared.db" --plain 2>"$work/a.log" &
a=$!
"$bin" optimize "$study" --jobs 2 --trials "$trials" --storage "sqlite:///$work/shared.db" --plain 2>"$work/b.log" &
b=$!
wait "$a" "$b"
total=$("$bin" trials "$name" --storage "sqlite:///$work/shared.db" -f csv | tail -n +2 | wc -l)
ran_a=$(grep -c " values=" "$work/a.log" || true)
ran_b=$(grep -c " values=" "$work/b.log" || true)
echo "two processes on one SQLite file: $total trials in the study (asked $trials; process A ran $ran_a, B ran $ran_b)"
[[ "$total" == "$trials" ]]

#!/usr/bin/env bash
# Trials per second of the trivial 11-parameter objective (RandomSampler) for 1, 2 and 4 worker processes, in
# one run, on 127.0.0.1:
#   optuna-proxy : Python Optuna workers through Optuna's own gRPC proxy over SQLite (bench_service_parallel.py --modes grpc)
#   optuna->serve: the same Python workers through `symstudy serve` over BACKEND (--modes external)
#   symstudy     : symstudy workers (symstudy-bench storage-worker) through grpc:// on `symstudy serve` over BACKEND
# plus the latency of one call (median, p99) on each server, and the ratios the targets ask for.
# Every server is stopped by its own PID; errors and lost trials are counted by the audits of the harnesses.
#
# Runs vary by 20-40 % on a shared machine: REPS=3 repeats every configuration (each on a fresh server) and the
# ratios use the medians.
#
# Usage: [PY=VENV/bin/python] [N=400] [PROCS=1,2,4] [REPS=1] [BACKEND=sqlite|journal|memory] Benchmarks/study-service/compare_service.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PY=${PY:-$(scripts/python-env.sh)}; N=${N:-400}; PROCS=${PROCS:-1,2,4}; BACKEND=${BACKEND:-sqlite}; REPS=${REPS:-1}
OPTUNA=$ROOT/../shared/bench/optuna
swift build -c release --product symstudy >&2
swift build -c release --product symstudy-bench >&2
BIN=$ROOT/.build/release
WORK=$(mktemp -d /tmp/symstudy-service-bench.XXXXXX)
OUT=${OUT:-/tmp/symstudy-service-results}; mkdir -p "$OUT"
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
storage_url() { case "$BACKEND" in sqlite) echo "sqlite:///$WORK/$1.db";; journal) echo "journal:///$WORK/$1.log";; memory) echo "memory:";; esac; }
start_serve() {  # $1 tag -> sets PORT, PID
  PORT=$(free_port)
  "$BIN/symstudy" serve --storage "$(storage_url "$1")" --port "$PORT" > "$WORK/serve_$1.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do grep -q "listening on" "$WORK/serve_$1.log" 2>/dev/null && return; sleep 0.1; done
  echo "symstudy serve did not start: $(cat "$WORK/serve_$1.log")" >&2; exit 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg); N=$N per run, processes $PROCS, symstudy serve on $BACKEND"

# 1. Optuna's workers through Optuna's proxy on SQLite (the reference).
"$PY" "$OPTUNA/bench_service_parallel.py" --modes grpc --processes "$PROCS" --repeats "$REPS" --n-trials-total "$N" \
  --workdir "$WORK" --tag-prefix optuna_ --out "$OUT/optuna_proxy.json" | grep -v '^wrote' | sed 's/^/[optuna-proxy] /'

# 2. The same workers through symstudy serve.
for P in ${PROCS//,/ }; do
  for R in $(seq 1 "$REPS"); do
    start_serve "optuna_p${P}_r$R"
    "$PY" "$OPTUNA/bench_service_parallel.py" --modes external --external "127.0.0.1:$PORT" --external-pid "$PID" \
      --processes "$P" --repeats 1 --n-trials-total "$N" --tag-prefix "serve_p${P}_r${R}_" --out "$OUT/optuna_serve_p${P}_r$R.json" \
      | grep -v '^wrote' | sed 's/^/[optuna->serve] /'
    stop "$PID"
  done
done

# 3. symstudy workers through grpc://.
: > "$OUT/symstudy_grpc.txt"
for P in ${PROCS//,/ }; do
for R in $(seq 1 "$REPS"); do
  start_serve "symstudy_p${P}_r$R"
  rm -f "$WORK"/symstudy_p"${P}"_w*.json
  barrier="$WORK/barrier_p${P}_r$R"; pids=()
  for i in $(seq 0 $((P - 1))); do
    "$BIN/symstudy-bench" storage-worker --storage "grpc://127.0.0.1:$PORT" --study bench --sampler random --seed "$i" \
      --trials $((N / P)) --barrier "$barrier" --index "$i" --out "$WORK/symstudy_p${P}_w$i.json" &
    pids+=($!)
  done
  for _ in $(seq 1 600); do [ "$(ls "$barrier".ready.* 2>/dev/null | wc -l)" -ge "$P" ] && break; sleep 0.05; done
  server_cpu0=$(awk '{print $14+$15}' /proc/"$PID"/stat)
  touch "$barrier.go"
  status=0; for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  server_cpu1=$(awk '{print $14+$15}' /proc/"$PID"/stat)
  "$PY" - "$WORK" "$P" "$N" "$status" "$(( server_cpu1 - server_cpu0 ))" "$(getconf CLK_TCK)" "$PORT" <<'PYEOF' | tee -a "$OUT/symstudy_grpc.txt"
import json, sys, glob, grpc
work, P, N, status, ticks, hz, port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
reports = [json.load(open(f)) for f in sorted(glob.glob(f"{work}/symstudy_p{P}_w*.json"))]
wall = max(r["t_end"] for r in reports) - min(r["t_start"] for r in reports)
cpu = sum(r["cpu_s"] for r in reports)
errors = sum(len(r["errors"]) for r in reports) + (status != 0)
from optuna.storages._grpc.auto_generated import api_pb2 as pb, api_pb2_grpc as pbg
stub = pbg.StorageServiceStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
sid = stub.GetStudyIdFromName(pb.GetStudyIdFromNameRequest(study_name="bench")).study_id
trials = stub.GetTrials(pb.GetTrialsRequest(study_id=sid, trial_id_greater_than=-1)).trials
complete = sum(t.state == pb.COMPLETE for t in trials)
numbers = sorted(t.number for t in trials)
print(f"[symstudy] P={P} {complete / wall:9.1f} trials/s  workers {complete / max(cpu, 1e-9):8.1f} trials/CPU-s  server {ticks / hz * 1e3 / max(complete, 1):6.2f} ms CPU/trial"
      f"  complete={complete}/{N // P * P} gaps={numbers != list(range(len(numbers)))} errors={errors}")
PYEOF
  stop "$PID"
done
done

# 4. Latency of one call (GetTrial) on each server, and of Ask + Tell on symstudy's face.
"$PY" -m grpc_tools.protoc -I Protos --python_out="$WORK" --grpc_python_out="$WORK" Protos/symstudy_study_service.proto
start_serve latency; SERVE_PID=$PID; SERVE_PORT=$PORT
PROXY_PORT=$(free_port)
"$PY" "$OPTUNA/grpc_proxy_server.py" --url "sqlite:///$WORK/latency_optuna.db" --port "$PROXY_PORT" > "$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/proxy.log" 2>/dev/null && break; sleep 0.1; done
PYTHONPATH=$WORK "$PY" - "$SERVE_PORT" "$PROXY_PORT" <<'PYEOF' | tee "$OUT/latency.txt"
import sys, time, statistics, grpc, json
from optuna.storages._grpc.auto_generated import api_pb2 as pb, api_pb2_grpc as pbg
import symstudy_study_service_pb2 as spb, symstudy_study_service_pb2_grpc as spbg
def measure(call, n=2000):
    for _ in range(100): call()
    times = []
    for _ in range(n):
        t = time.perf_counter(); call(); times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return statistics.median(times), times[int(0.99 * len(times)) - 1]
for label, port in (("symstudy serve", int(sys.argv[1])), ("Optuna's proxy", int(sys.argv[2]))):
    stub = pbg.StorageServiceStub(grpc.insecure_channel(f"127.0.0.1:{port}"))
    sid = stub.CreateNewStudy(pb.CreateNewStudyRequest(directions=[pb.MINIMIZE], study_name="latency")).study_id
    tid = stub.CreateNewTrial(pb.CreateNewTrialRequest(study_id=sid, template_trial_is_none=True)).trial_id
    med, p99 = measure(lambda: stub.GetTrial(pb.GetTrialRequest(trial_id=tid)))
    print(f"[latency] {label:15s} GetTrial: median {med:.3f} ms, p99 {p99:.3f} ms")
stub = spbg.StudyServiceStub(grpc.insecure_channel(f"127.0.0.1:{sys.argv[1]}"))
stub.CreateStudy(spb.CreateStudyRequest(study_name="latency-coarse", sampler=spb.Component(name="RandomSampler")))
space = {f"x{i}": json.dumps({"type": "float", "low": -5, "high": 5}) for i in range(11)}
def ask_tell():
    asked = stub.Ask(spb.AskRequest(study=spb.StudyRef(study_name="latency-coarse"), search_space=space))
    stub.Tell(spb.TellRequest(trial_id=asked.trial_id, values=[1.0]))
med, p99 = measure(ask_tell, n=1000)
print(f"[latency] symstudy serve   Ask+Tell (11 parameters): median {med:.3f} ms, p99 {p99:.3f} ms")
PYEOF
stop "$SERVE_PID"; kill -9 "$PROXY_PID" 2>/dev/null || true; wait "$PROXY_PID" 2>/dev/null || true

"$PY" - "$OUT" "$PROCS" <<'PYEOF'
import glob, json, re, statistics, sys
out, procs = sys.argv[1], [int(p) for p in sys.argv[2].split(",")]
def per_cpu(run):
    return run["requested"] / (run["worker_cpu_s_total"] + run["server_cpu_s"])
def median_run(runs, key):
    # the run whose figure is the median (lower median for an even count)
    runs = sorted(runs, key=key)
    return runs[(len(runs) - 1) // 2]
proxy_runs = [r for r in json.load(open(f"{out}/optuna_proxy.json"))["runs"] if r["mode"] == "grpc"]
ref = {p: median_run([r for r in proxy_runs if r["processes"] == p], lambda r: r["complete_per_s"]) for p in procs}
ref_cpu = {p: per_cpu(median_run([r for r in proxy_runs if r["processes"] == p], per_cpu)) for p in procs}
serve_runs = {p: [r for f in sorted(glob.glob(f"{out}/optuna_serve_p{p}_r*.json")) for r in json.load(open(f))["runs"] if r["processes"] == p]
              for p in procs}
sym_runs = {}
for line in open(f"{out}/symstudy_grpc.txt"):
    m = re.match(r"\[symstudy\] P=(\d+)\s+([\d.]+) trials/s\s+workers\s+([\d.]+) trials/CPU-s\s+server\s+([\d.]+) ms CPU/trial", line)
    if m:
        # trials per wall-second, and per CPU-second of workers and server together
        sym_runs.setdefault(int(m.group(1)), []).append((float(m.group(2)), 1 / (1 / float(m.group(3)) + float(m.group(4)) / 1000)))
sym = {p: statistics.median(w for w, _ in runs) for p, runs in sym_runs.items()}
sym_cpu = {p: statistics.median(c for _, c in runs) for p, runs in sym_runs.items()}
print(f"# ratios (per wall-second; medians of {min(len(serve_runs[p]) for p in procs)} runs each)")
for p in procs:
    serve = median_run(serve_runs[p], lambda r: r["complete_per_s"])
    base, served = ref[p]["complete_per_s"], serve["complete_per_s"]
    print(f"P={p}: Optuna's proxy {base:.1f}/s; Optuna's workers via symstudy serve {served:.1f}/s ({served / base:.1f}x, target 4x);"
          f" symstudy workers via grpc:// {sym.get(p, 0):.1f}/s ({sym.get(p, 0) / base:.1f}x, target 20x)")
print("# ratios (per CPU-second of workers and server together)")
for p in procs:
    base, served = ref_cpu[p], per_cpu(median_run(serve_runs[p], per_cpu))
    print(f"P={p}: Optuna's proxy {base:.1f}/CPU-s; Optuna's workers via symstudy serve {served:.1f}/CPU-s ({served / base:.1f}x);"
          f" symstudy workers via grpc:// {sym_cpu.get(p, 0):.1f}/CPU-s ({sym_cpu.get(p, 0) / base:.1f}x)")
PYEOF
echo "# load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$WORK"

"""Times the dashboard's endpoints on one study: symstudy's and optuna-dashboard's, in the same run, on the same
file. Prints median and p95 wall milliseconds per endpoint, and the server's CPU milliseconds per request
(from /proc), so ratios can be read per wall-second and per CPU-second.

Usage: bench_dashboard.py --symstudy URL --symstudy-pid PID [--symstudy-cold URL --symstudy-cold-pid PID]
                          [--optuna URL --optuna-pid PID] [--repeat N]"""
import argparse
import http.client
import json
import os
import statistics
import time
import urllib.parse

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


class Client:
    def __init__(self, base):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def get(self, path):
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
        return body


def percentile(samples, q):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(client, pid, paths, repeat, pause=0.0):
    """Each round requests every path once, in order (as a page does); returns per-path samples and page totals."""
    samples = {path: [] for path in paths}
    totals, cpu = [], []
    for path in paths:  # warm up: first requests compile caches, open files
        client.get(path)
    for _ in range(repeat):
        if pause:
            time.sleep(pause)
        cpu_before = cpu_seconds(pid)
        round_start = time.perf_counter()
        for path in paths:
            start = time.perf_counter()
            client.get(path)
            samples[path].append((time.perf_counter() - start) * 1000)
        totals.append((time.perf_counter() - round_start) * 1000)
        cpu.append((cpu_seconds(pid) - cpu_before) * 1000)
    return samples, totals, cpu


def report(title, samples, totals, cpu, sizes):
    print(f"\n{title}")
    print(f"  {'endpoint':58s} {'median ms':>10s} {'p95 ms':>8s} {'KiB':>7s}")
    for path, values in samples.items():
        print(f"  {path[:58]:58s} {statistics.median(values):10.1f} {percentile(values, 0.95):8.1f} {sizes[path] / 1024:7.0f}")
    print(f"  {'whole page, requests in sequence':58s} {statistics.median(totals):10.1f} {percentile(totals, 0.95):8.1f}")
    print(f"  {'server CPU ms per whole page':58s} {statistics.median(cpu):10.1f} {percentile(cpu, 0.95):8.1f}")
    return statistics.median(totals), statistics.median(cpu)


def symstudy_paths(client):
    studies = json.loads(client.get("/api/studies"))
    study = studies[0]["id"]
    detail = json.loads(client.get(f"/api/studies/{study}"))
    best = detail["best"][0]["number"]
    # The contour the page asks for: the first two numeric parameters.
    params = [p["name"] for p in detail["parameters"] if p["kind"] != "categorical"] + \
        [p["name"] for p in detail["parameters"] if p["kind"] == "categorical"]
    paths = [f"/studies/{study}", "/static/common.js", "/static/study.js", "/static/dashboard.css", f"/api/studies/{study}"]
    for kind in detail["charts"]:
        query = f"?x={params[0]}&y={params[1]}" if kind == "contour" else ""
        paths.append(f"/api/studies/{study}/charts/{kind}.svg{query}")
    paths.append(f"/api/studies/{study}/trials?sort=number&order=asc&offset=0&limit=50")
    for top in detail["topExpressions"]:
        paths.append(f"/api/studies/{study}/trials/{top['number']}/charts/expression.svg")
    trial_paths = [f"/studies/{study}/trials/{best}", f"/api/studies/{study}/trials/{best}",
                   f"/api/studies/{study}/trials/{best}/charts/intermediate.svg",
                   f"/api/studies/{study}/trials/{best}/charts/expression.svg"]
    return ["/", "/api/studies"], paths, trial_paths, detail["trialCount"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--symstudy", required=True)
    parser.add_argument("--symstudy-pid", type=int, required=True)
    parser.add_argument("--symstudy-cold")
    parser.add_argument("--symstudy-cold-pid", type=int)
    parser.add_argument("--optuna")
    parser.add_argument("--optuna-pid", type=int)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    client = Client(args.symstudy)
    list_paths, study_paths, trial_paths, trials = symstudy_paths(client)
    sizes = {path: len(client.get(path)) for path in list_paths + study_paths + trial_paths}
    print(f"study of {trials} trials; {args.repeat} rounds per page")
    # Rounds 1.1 s apart, so each page load reads the storage afresh (the snapshot is kept 1 s).
    page = report("symstudy dashboard, study page (a fresh storage read each round)",
                  *measure(client, args.symstudy_pid, study_paths, args.repeat, pause=1.1), sizes)
    report("symstudy dashboard, studies page", *measure(client, args.symstudy_pid, list_paths, args.repeat, pause=1.1), sizes)
    report("symstudy dashboard, trial page", *measure(client, args.symstudy_pid, trial_paths, args.repeat, pause=1.1), sizes)
    if args.symstudy_cold:
        cold = Client(args.symstudy_cold)
        report("symstudy dashboard --cache-seconds 0 (every request reads the storage), study page",
               *measure(cold, args.symstudy_cold_pid, study_paths, max(5, args.repeat // 2)), sizes)
    if args.optuna:
        optuna_client = Client(args.optuna)
        studies = json.loads(optuna_client.get("/api/studies"))["study_summaries"]
        study = studies[0]["study_id"]
        paths = [f"/dashboard/studies/{study}", "/static/bundle.js", "/api/meta", f"/api/studies/{study}?after=0",
                 f"/api/studies/{study}/param_importances"]
        optuna_sizes = {path: len(optuna_client.get(path)) for path in paths}
        optuna_page = report("optuna-dashboard 0.21.0, study page data (its charts are then drawn in the browser)",
                             *measure(optuna_client, args.optuna_pid, paths, args.repeat, pause=1.1), optuna_sizes)
        report("optuna-dashboard 0.21.0, studies page", *measure(optuna_client, args.optuna_pid, ["/dashboard", "/api/studies"],
                                                               args.repeat, pause=1.1),
               {path: len(optuna_client.get(path)) for path in ["/dashboard", "/api/studies"]})
        print(f"\nwhole study page, symstudy / optuna-dashboard: wall {page[0] / optuna_page[0]:.3f}x, "
              f"server CPU {page[1] / max(optuna_page[1], 1e-9):.3f}x")


if __name__ == "__main__":
    main()

"""Prints symstudy's study-engine benchmarks next to Optuna's, from the JSON files of one run.

Usage: python compare.py RESULTS_DIR
Reads optuna_overhead.json / symstudy_overhead.json (bench_overhead.py and `symstudy-bench overhead`),
optuna_quality.json / symstudy_quality.json (bench_quality.py and `symstudy-bench quality`) and
optuna_pruning.json / symstudy_pruning.json (bench_pruning.py and `symstudy-bench pruning`), whichever exist.

Targets checked (issue 9):
  overhead: symstudy TPE's CPU time per trial at 1000 finished trials <= 1/100 of Optuna TPE's.
  quality:  on every function and budget, symstudy TPE's final regret is not worse than Optuna TPE's
            (one-sided Mann-Whitney U, worse only at p < 0.01), and better than random search (p < 0.05).
"""

from __future__ import annotations

import json
import os
import statistics
import sys

from scipy.stats import mannwhitneyu


def load(directory: str, name: str):
    path = os.path.join(directory, name)
    return json.load(open(path)) if os.path.exists(path) else None


def overhead(directory: str) -> list[str]:
    optuna, ours = load(directory, "optuna_overhead.json"), load(directory, "symstudy_overhead.json")
    if not optuna or not ours:
        return []
    failures = []
    print("\n### Sampler overhead per trial, in-memory study, 11 params (median of the 20 trials ending at N)\n")
    print("| sampler | N | Optuna wall ms | Optuna CPU ms | symstudy wall ms | symstudy CPU ms | ratio wall | ratio CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for run in ours["runs"]:
        ref = next((r for r in optuna["runs"] if r["sampler"] == run["sampler"] and r["storage"] == "memory"), None)
        if ref is None:
            continue
        for mark in ("100", "500", "1000", "2000"):
            a, b = ref["marks"].get(mark), run["marks"].get(mark)
            if not a or not b:
                continue
            ratio_wall = a["median_ms"] / max(b["median_ms"], 1e-9)
            ratio_cpu = a["cpu_median_ms"] / max(b["cpu_median_ms"], 1e-9)
            print(f"| {run['sampler']} | {mark} | {a['median_ms']:.2f} | {a['cpu_median_ms']:.2f} | "
                  f"{b['median_ms']:.4f} | {b['cpu_median_ms']:.4f} | {ratio_wall:.0f}x | {ratio_cpu:.0f}x |")
            if run["sampler"] == "tpe" and mark == "1000" and ratio_cpu < 100:
                failures.append(f"TPE overhead at 1000 trials is only {ratio_cpu:.0f}x below Optuna's CPU time (target 100x)")
    la = ours["runs"][0].get("loadavg_1_5_15_before", [float("nan")])[0]
    print(f"\nload average (1 min) before symstudy's run: {la:.2f}")
    return failures


def regrets(doc: dict, function: str, sampler: str, budget: int) -> list[float]:
    optimum = doc["functions"][function]["optimum"]
    rows = sorted((r for r in doc["raw"] if r["function"] == function and r["sampler"] == sampler), key=lambda r: r["seed"])
    return [r["best_at"][str(budget)] - optimum for r in rows if str(budget) in r["best_at"]]


def fmt(values: list[float]) -> str:
    if not values:
        return "—"
    q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [values[0]] * 3
    g = lambda x: f"{x:.3g}"  # noqa: E731
    return f"{g(statistics.median(values))} [{g(q[0])}, {g(q[2])}]"


def quality(directory: str) -> list[str]:
    optuna, ours = load(directory, "optuna_quality.json"), load(directory, "symstudy_quality.json")
    if not optuna or not ours:
        return []
    failures = []
    print(f"\n### Final regret, median [q25, q75] over {len(ours['seeds'])} seeds; one-sided Mann-Whitney U p-values\n")
    print("| function | budget | Optuna TPE | symstudy TPE | Optuna random | symstudy random | "
          "p(ours worse than Optuna TPE) | p(ours better than random) | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for function in ours["functions"]:
        for budget in ours["budgets"]:
            ref_tpe = regrets(optuna, function, "tpe", budget)
            our_tpe = regrets(ours, function, "tpe", budget)
            ref_random = regrets(optuna, function, "random", budget)
            our_random = regrets(ours, function, "random", budget)
            p_worse = mannwhitneyu(our_tpe, ref_tpe, alternative="greater").pvalue if ref_tpe and our_tpe else float("nan")
            p_better = (mannwhitneyu(our_tpe, our_random, alternative="less").pvalue
                        if our_random and our_tpe else float("nan"))
            ok = not (p_worse < 0.01) and p_better < 0.05
            verdict = "ok" if ok else "FAIL"
            if not ok:
                failures.append(f"{function} at {budget}: p(worse than Optuna)={p_worse:.3g}, p(better than random)={p_better:.3g}")
            print(f"| {function} | {budget} | {fmt(ref_tpe)} | {fmt(our_tpe)} | {fmt(ref_random)} | {fmt(our_random)} | "
                  f"{p_worse:.3g} | {p_better:.3g} | {verdict} |")
    print(f"\nwall time of the whole quality run: Optuna {optuna.get('total_wall_s', float('nan')):.0f} s, "
          f"symstudy {ours.get('total_wall_s', float('nan')):.1f} s (CPU {ours.get('total_cpu_s', float('nan')):.1f} s)")
    return failures


def pruning(directory: str) -> list[str]:
    optuna, ours = load(directory, "optuna_pruning.json"), load(directory, "symstudy_pruning.json")
    if not optuna or not ours:
        return []
    print("\n### Pruning on the synthetic learning curve (100 trials x 50 steps, TPE), median over seeds\n")
    print("| pruner | Optuna steps | symstudy steps | Optuna pruned | symstudy pruned | Optuna true final of best | "
          "symstudy true final of best | Optuna wall s | symstudy wall s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for pruner in sorted({r["pruner"] for r in ours["raw"]}):
        a = [r for r in optuna["raw"] if r["pruner"] == pruner]
        b = [r for r in ours["raw"] if r["pruner"] == pruner]
        if not a or not b:
            continue
        m = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
        print(f"| {pruner} | {m(a, 'total_steps'):.0f} | {m(b, 'total_steps'):.0f} | {m(a, 'n_pruned'):.0f} | "
              f"{m(b, 'n_pruned'):.0f} | {m(a, 'best_true_final'):.4f} | {m(b, 'best_true_final'):.4f} | "
              f"{m(a, 'wall_s'):.2f} | {m(b, 'wall_s'):.4f} |")
    return []


def main() -> None:
    directory = sys.argv[1] if len(sys.argv) > 1 else "results"
    failures = overhead(directory) + quality(directory) + pruning(directory)
    print()
    if failures:
        print("targets missed:")
        for failure in failures:
            print(f"  - {failure}")
        sys.exit(1)
    print("all targets met")


if __name__ == "__main__":
    main()

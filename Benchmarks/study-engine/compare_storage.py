"""Prints Optuna's and symstudy's shared-SQLite throughput side by side (compare_storage.sh)."""
import json
import sys

TARGET = 20.0


def load(path):
    with open(path) as f:
        return {(r["sampler"], r["processes"]): r for r in json.load(f)["runs"]}


def per_cpu(run):
    cpu = sum(w["cpu_s"] for w in run["workers"])
    complete = run["db"]["by_state"].get("COMPLETE", 0)
    return complete / cpu if cpu > 0 else float("nan")


def errors(run):
    return run["n_errors"]


def main():
    optuna, ours = load(sys.argv[1]), load(sys.argv[2])
    print("\n### Shared SQLite file: COMPLETE trials per second (wall) and per CPU-second of all workers\n")
    print("| sampler | processes | Optuna trials/s | symstudy trials/s | ratio wall | Optuna per CPU-s | symstudy per CPU-s "
          "| ratio CPU | Optuna errors | symstudy errors | symstudy audit |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    missed = []
    for key in sorted(optuna):
        if key not in ours:
            continue
        o, s = optuna[key], ours[key]
        wall_ratio = s["complete_per_s"] / o["complete_per_s"]
        cpu_ratio = per_cpu(s) / per_cpu(o)
        audit = s["db"]
        clean = (audit["duplicated_numbers"] == 0 and audit["missing_numbers_in_0_to_n-1"] == 0
                 and s["complete_minus_requested"] == 0 and errors(s) == 0)
        print(f"| {key[0]} | {key[1]} | {o['complete_per_s']:.1f} | {s['complete_per_s']:.1f} | {wall_ratio:.0f}x "
              f"| {per_cpu(o):.1f} | {per_cpu(s):.1f} | {cpu_ratio:.0f}x | {errors(o)} | {errors(s)} "
              f"| {'clean' if clean else audit} |")
        if wall_ratio < TARGET:
            missed.append(f"{key[0]} P={key[1]}: {wall_ratio:.1f}x Optuna's trials/s (target {TARGET:.0f}x)")
        if not clean:
            missed.append(f"{key[0]} P={key[1]}: errors or a bad audit: {audit}")
    if missed:
        print("\ntargets missed:")
        for line in missed:
            print("  - " + line)
    else:
        print(f"\nevery run: at least {TARGET:.0f}x Optuna's throughput, zero errors, numbers dense and unique")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Reads the JSON lines that compare_envs.sh wrote into a folder and prints, per environment, each tool's best
steps per CPU-second and per wall-second, and symstudy's ratios to gymnax's best batch (per CPU-second) and of
two threads to one (per wall-second)."""
import json
import os
import sys

ENVS = ["CartPole-v1", "MountainCar-v0", "Acrobot-v1", "Pendulum-v1"]
TARGET_BATCH = {"CartPole-v1": 2.0, "MountainCar-v0": 2.0, "Acrobot-v1": 1.3, "Pendulum-v1": 1.3}


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main(folder):
    ours = lines(os.path.join(folder, "symstudy.jsonl"))
    anchors = [r for tool in ("gymnax", "envpool", "gymnasium")
               for r in lines(os.path.join(folder, tool + ".jsonl")) if r.get("kind") == "bench"]
    load = [r["load1_start"] for r in anchors if "load1_start" in r]
    if load:
        print(f"load average during the anchors: {min(load):.1f} to {max(load):.1f} (2 cores shared; only ratios count)")
    for env in ENVS:
        print(f"\n{env}")
        print(f"  {'tool / configuration':58s} {'steps/CPU-s':>13s} {'steps/s':>13s}")
        best = {}
        for r in anchors:
            if r["env"] != env:
                continue
            # gymnax's shared-key rows are not valid environments (the script says so): shown, not used.
            valid = r.get("key_mode") != "sharedkey"
            name = f"{r['tool']} {r['config']}" + ("" if valid else "  (not a valid env)")
            print(f"  {name[:58]:58s} {r['steps_per_cpu_s'] or 0:13.3e} {r['steps_per_s']:13.3e}")
            if valid and r["steps_per_cpu_s"]:
                best[r["tool"]] = max(best.get(r["tool"], 0), r["steps_per_cpu_s"])
        rows = {}
        for r in ours:
            if r["env"] != env:
                continue
            rows[(r["copies"], r["threads"])] = r
            print(f"  {'symstudy copies=%d threads=%d' % (r['copies'], r['threads']):58s} "
                  f"{r['steps_per_cpu_second']:13.3e} {r['steps_per_second']:13.3e}")
        gx = best.get("gymnax")
        single, batch = rows.get((1, 1)), rows.get((4096, 1))
        two = rows.get((8192, 2))
        if gx and single and batch:
            s = single["steps_per_cpu_second"] / gx
            b = batch["steps_per_cpu_second"] / gx
            print(f"  ratios per CPU-second to gymnax's best batch ({gx:.3e}): single copy {s:.2f}x (target 1.0), "
                  f"batch 4096 {b:.2f}x (target {TARGET_BATCH[env]})")
        for tool in ("envpool", "gymnasium"):
            if tool in best and batch:
                print(f"  batch 4096 per CPU-second vs {tool}'s best: {batch['steps_per_cpu_second'] / best[tool]:.1f}x")
        if batch and two:
            print(f"  second thread (8192 copies on 2 threads vs 4096 on 1, steps per wall-second): "
                  f"{two['steps_per_second'] / batch['steps_per_second']:.2f}x (target 1.7)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")

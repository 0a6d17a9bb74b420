"""Records Optuna 5.0.0's pruning decisions for the Swift pruner tests.

Run with the reference venv (optuna 5.0.0, numpy, scipy):

    /root/.venvs/ref/bin/python Tests/Fixtures/pruners/make_pruner_fixtures.py

For each scenario (a pruner configuration and a deterministic set of trial scripts) it builds an Optuna
study in memory, replays the trials' reports in a fixed interleaved order the way running trials do
(`trial.report` then `trial.should_prune()`), finishes each trial in the state its script says (COMPLETE,
PRUNED, FAIL, or left RUNNING), and writes every call with Optuna's decision to `pruner_decisions.json`.
The scripts do not depend on the decisions, so a replay of the same events must reach the same decisions.
NaN values are written as null (JSON has no NaN).
"""

from __future__ import annotations

import binascii
import json
import math
import os
import random
import warnings

import optuna
from optuna.pruners import (
    HyperbandPruner,
    MedianPruner,
    NopPruner,
    PatientPruner,
    PercentilePruner,
    SuccessiveHalvingPruner,
    ThresholdPruner,
    WilcoxonPruner,
    _filter_study,
)
from optuna.storages import InMemoryStorage
from optuna.trial import TrialState

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pruner_decisions.json")


def make_pruner(cfg):
    kind = cfg["type"]
    if kind == "nop":
        return NopPruner()
    if kind == "median":
        return MedianPruner(cfg["n_startup_trials"], cfg["n_warmup_steps"], cfg["interval_steps"],
                            n_min_trials=cfg["n_min_trials"])
    if kind == "percentile":
        return PercentilePruner(cfg["percentile"], cfg["n_startup_trials"], cfg["n_warmup_steps"],
                                cfg["interval_steps"], n_min_trials=cfg["n_min_trials"])
    if kind == "successive_halving":
        return SuccessiveHalvingPruner(cfg["min_resource"], cfg["reduction_factor"],
                                       cfg["min_early_stopping_rate"], cfg["bootstrap_count"])
    if kind == "hyperband":
        return HyperbandPruner(cfg["min_resource"], cfg["max_resource"], cfg["reduction_factor"],
                               cfg["bootstrap_count"])
    if kind == "threshold":
        return ThresholdPruner(cfg["lower"], cfg["upper"], cfg["n_warmup_steps"], cfg["interval_steps"])
    if kind == "patient":
        wrapped = None if cfg["wrapped"] is None else make_pruner(cfg["wrapped"])
        return PatientPruner(wrapped, cfg["patience"], cfg["min_delta"])
    if kind == "wilcoxon":
        return WilcoxonPruner(p_threshold=cfg["p_threshold"], n_startup_steps=cfg["n_startup_steps"])
    raise ValueError(kind)


def median(**kw):
    cfg = {"type": "median", "n_startup_trials": 5, "n_warmup_steps": 0, "interval_steps": 1, "n_min_trials": 1}
    cfg.update(kw)
    return cfg


def percentile(p, **kw):
    cfg = median(**kw)
    cfg.update({"type": "percentile", "percentile": p})
    return cfg


def sha(min_resource="auto", reduction_factor=4, min_early_stopping_rate=0, bootstrap_count=0):
    return {"type": "successive_halving", "min_resource": min_resource, "reduction_factor": reduction_factor,
            "min_early_stopping_rate": min_early_stopping_rate, "bootstrap_count": bootstrap_count}


def hyperband(min_resource=1, max_resource="auto", reduction_factor=3, bootstrap_count=0):
    return {"type": "hyperband", "min_resource": min_resource, "max_resource": max_resource,
            "reduction_factor": reduction_factor, "bootstrap_count": bootstrap_count}


# ---------------------------------------------------------------------------------------------------------
# Trial scripts

def curve_scripts(seed, n_trials, max_steps, pattern, direction, nan_rate=0.03, short_rate=0.3,
                  states=(("COMPLETE", 6), ("PRUNED", 2), ("FAIL", 1), ("RUNNING", 1)), rounding=None, noise=0.05):
    """Learning curves: value(step) = level + height * exp(-step / tau) + noise (negated to maximise)."""
    rng = random.Random(seed)
    names = [s for s, w in states for _ in range(w)]
    scripts = []
    for index in range(n_trials):
        level = rng.uniform(0.0, 1.0)
        height = rng.uniform(0.5, 2.0)
        tau = rng.uniform(0.1, 0.5) * max_steps
        if pattern == "dense":
            steps = list(range(max_steps))
        elif pattern == "gappy":
            steps = [s for s in range(max_steps) if rng.random() > 0.25]
        elif pattern.startswith("every"):
            stride = int(pattern[len("every"):])
            steps = list(range(0, max_steps, stride))
        else:
            raise ValueError(pattern)
        state = rng.choice(names)
        if index < 2:
            state = "COMPLETE"  # some reference trials first
        if state != "COMPLETE" or rng.random() < short_rate:
            steps = steps[: rng.randint(0, len(steps))]
        if index == 3:
            steps = []  # a trial that reports nothing
        reports = []
        for step in steps:
            value = level + height * math.exp(-step / tau) + rng.gauss(0.0, noise)
            if direction == "maximize":
                value = -value
            if rounding is not None:
                value = round(value, rounding)
            if rng.random() < nan_rate:
                value = math.nan
            reports.append([step, value])
        final = None
        if state == "COMPLETE":
            finite = [v for _, v in reports if not math.isnan(v)]
            final = finite[-1] if finite else rng.uniform(0.0, 1.0)
        scripts.append({"reports": reports, "state": state, "value": final})
    return scripts


def instance_scripts(seed, n_trials, n_instances, direction, rounding=None, nan_trial=None):
    """Wilcoxon-style trials: one loss per problem instance, reported in a shuffled order; a trial that
    stops early completes with the mean of what it evaluated (as Optuna's WilcoxonPruner example does)."""
    rng = random.Random(seed)
    difficulty = [rng.uniform(0.0, 3.0) for _ in range(n_instances)]
    scripts = []
    for index in range(n_trials):
        quality = rng.uniform(0.0, 1.0)
        order = list(range(n_instances))
        rng.shuffle(order)
        length = n_instances if index < 2 or rng.random() < 0.5 else rng.randint(0, n_instances)
        reports = []
        for instance in order[:length]:
            value = difficulty[instance] + quality + rng.gauss(0.0, 0.3)
            if direction == "maximize":
                value = -value
            if rounding is not None:
                value = round(value, rounding)
            reports.append([instance, value])
        if nan_trial is not None and index == nan_trial and reports:
            reports[len(reports) // 2][1] = math.nan
        state = "COMPLETE" if rng.random() < 0.85 or index < 2 else rng.choice(["PRUNED", "FAIL", "RUNNING"])
        finite = [v for _, v in reports if not math.isnan(v)]
        final = (sum(finite) / len(finite) if finite else 0.0) if state == "COMPLETE" else None
        scripts.append({"reports": reports, "state": state, "value": final})
    return scripts


# ---------------------------------------------------------------------------------------------------------
# Replay

def jnum(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def run_scenario(name, pruner_cfg, direction, scripts, seed, concurrency):
    study_name = f"pruner-fixture-{name}"
    pruner = make_pruner(pruner_cfg)
    study = optuna.create_study(study_name=study_name, storage=InMemoryStorage(), direction=direction,
                                sampler=optuna.samplers.RandomSampler(seed=0), pruner=pruner)
    rng = random.Random(seed)
    events = []
    active = []  # [trial, script, next report index]
    next_script = 0
    n_decisions = n_prunes = 0
    while active or next_script < len(scripts):
        while len(active) < concurrency and next_script < len(scripts):
            trial = study.ask()
            events.append(["ask", trial.number])
            if rng.random() < 0.2:
                decision = bool(trial.should_prune())  # before any report: never prunes
                events.append(["prune", trial.number, decision])
                n_decisions += 1
                n_prunes += decision
            active.append([trial, scripts[next_script], 0])
            next_script += 1
        slot = rng.randrange(len(active))
        trial, script, position = active[slot]
        if position < len(script["reports"]):
            step, value = script["reports"][position]
            trial.report(value, step)
            decision = bool(trial.should_prune())
            events.append(["report", trial.number, step, jnum(value), decision])
            n_decisions += 1
            n_prunes += decision
            active[slot][2] += 1
            continue
        del active[slot]
        state = script["state"]
        if state == "COMPLETE":
            study.tell(trial, script["value"])
            events.append(["tell", trial.number, state, script["value"]])
        elif state in ("PRUNED", "FAIL"):
            study.tell(trial, state=TrialState[state])
            events.append(["tell", trial.number, state, None])
        else:
            events.append(["leave", trial.number])  # stays RUNNING

    trials = study.get_trials(deepcopy=False)
    final = []
    for t in trials:
        rungs = {k: v for k, v in sorted(t.system_attrs.items()) if k.startswith("completed_rung_")}
        final.append({"number": t.number, "state": t.state.name,
                      "value": jnum(t.value) if t.values is not None else None, "completed_rungs": rungs})
    scenario = {"name": name, "study_name": study_name, "direction": direction, "pruner": pruner_cfg,
                "events": events, "final_trials": final, "decisions": n_decisions, "prunes": n_prunes}
    if isinstance(pruner, HyperbandPruner):
        scenario["n_brackets"] = len(pruner._pruners)
        scenario["brackets"] = [pruner._get_bracket_id(study, t) for t in trials]
        scenario["sampler_view"] = {
            str(t.number): [u.number for u in _filter_study(study, t).get_trials(deepcopy=False)]
            for t in trials[:4]
        }
    return scenario


def scenarios():
    out = []

    def add(name, cfg, direction, scripts, seed, concurrency=2):
        out.append(run_scenario(name, cfg, direction, scripts, seed, concurrency))

    # Median and percentile pruners.
    add("median_default_min", median(), "minimize", curve_scripts(1, 24, 12, "dense", "minimize"), 11)
    add("median_default_max", median(), "maximize", curve_scripts(2, 24, 12, "dense", "maximize"), 12)
    add("median_warmup_interval_min", median(n_startup_trials=3, n_warmup_steps=3, interval_steps=3),
        "minimize", curve_scripts(3, 22, 16, "gappy", "minimize"), 13)
    add("median_min_trials_max", median(n_startup_trials=2, n_warmup_steps=1, interval_steps=2, n_min_trials=4),
        "maximize", curve_scripts(4, 22, 12, "gappy", "maximize", nan_rate=0.08), 14, concurrency=3)
    add("median_nan_heavy_min", median(n_startup_trials=1), "minimize",
        curve_scripts(5, 16, 8, "dense", "minimize", nan_rate=0.3), 15)
    add("percentile_25_min", percentile(25.0, n_startup_trials=4), "minimize",
        curve_scripts(6, 22, 10, "gappy", "minimize"), 16)
    add("percentile_75_max", percentile(75.0, n_startup_trials=3, n_warmup_steps=2), "maximize",
        curve_scripts(7, 22, 10, "dense", "maximize"), 17)
    add("percentile_50_max_interval", percentile(50.0, n_startup_trials=3, interval_steps=4, n_min_trials=2),
        "maximize", curve_scripts(8, 20, 14, "gappy", "maximize"), 18)
    add("percentile_0_and_rounded_min", percentile(0.0, n_startup_trials=2), "minimize",
        curve_scripts(9, 16, 8, "dense", "minimize", rounding=1), 19)

    # Successive halving.
    add("sha_auto_min", sha(), "minimize", curve_scripts(21, 24, 30, "dense", "minimize"), 21)
    add("sha_auto_sparse_min_resource_2", sha(reduction_factor=2), "maximize",
        curve_scripts(22, 20, 260, "every10", "maximize"), 22)
    add("sha_fixed_rf3_max", sha(min_resource=2, reduction_factor=3), "maximize",
        curve_scripts(23, 24, 30, "gappy", "maximize"), 23, concurrency=3)
    add("sha_fixed_rate1_min", sha(min_resource=1, reduction_factor=2, min_early_stopping_rate=1), "minimize",
        curve_scripts(24, 22, 24, "dense", "minimize", rounding=1), 24)
    add("sha_bootstrap_min", sha(min_resource=1, reduction_factor=2, bootstrap_count=2), "minimize",
        curve_scripts(25, 22, 20, "dense", "minimize"), 25, concurrency=3)

    # Hyperband.
    add("hyperband_auto_min", hyperband(), "minimize", curve_scripts(31, 30, 30, "dense", "minimize"), 31)
    add("hyperband_auto_max", hyperband(reduction_factor=2), "maximize",
        curve_scripts(32, 30, 20, "gappy", "maximize"), 32, concurrency=3)
    add("hyperband_fixed_243_min", hyperband(max_resource=243), "minimize",
        curve_scripts(33, 30, 90, "every3", "minimize"), 33)
    add("hyperband_fixed_bootstrap_max", hyperband(min_resource=2, max_resource=40, reduction_factor=2,
                                                   bootstrap_count=1),
        "maximize", curve_scripts(34, 30, 40, "dense", "maximize", short_rate=0.5), 34, concurrency=3)

    # Threshold.
    add("threshold_upper", {"type": "threshold", "lower": None, "upper": 1.0, "n_warmup_steps": 0,
                            "interval_steps": 1},
        "minimize", curve_scripts(41, 10, 10, "gappy", "minimize", nan_rate=0.1), 41)
    add("threshold_both_warmup_interval", {"type": "threshold", "lower": -1.2, "upper": -0.3, "n_warmup_steps": 2,
                                           "interval_steps": 3},
        "maximize", curve_scripts(42, 10, 14, "gappy", "maximize", nan_rate=0.1), 42)

    # Patient.
    add("patient_median_min", {"type": "patient", "wrapped": median(n_startup_trials=2), "patience": 2,
                               "min_delta": 0.0},
        "minimize", curve_scripts(51, 20, 14, "gappy", "minimize", nan_rate=0.05, noise=0.3), 51)
    add("patient_alone_max", {"type": "patient", "wrapped": None, "patience": 1, "min_delta": 0.05},
        "maximize", curve_scripts(52, 14, 14, "dense", "maximize", nan_rate=0.1, noise=0.3), 52)
    add("patient_alone_zero_patience_min", {"type": "patient", "wrapped": None, "patience": 0, "min_delta": 0.0},
        "minimize", curve_scripts(53, 10, 10, "dense", "minimize", nan_rate=0.1, noise=0.2), 53)

    # Wilcoxon (sequential trials, so the best trial does not depend on completion order).
    wil = {"type": "wilcoxon", "p_threshold": 0.1, "n_startup_steps": 2}
    add("wilcoxon_exact_and_asymptotic_min", wil, "minimize", instance_scripts(61, 12, 60, "minimize"), 61, 1)
    add("wilcoxon_ties_max", dict(wil, p_threshold=0.2, n_startup_steps=4), "maximize",
        instance_scripts(62, 14, 20, "maximize", rounding=0, nan_trial=5), 62, 1)
    add("wilcoxon_ties_min", wil, "minimize", instance_scripts(63, 14, 16, "minimize", rounding=1), 63, 1)
    return out


def validation_messages():
    """Optuna's messages for arguments its pruners reject when they are built."""
    cases = [
        percentile(101.0), percentile(-0.5), median(n_startup_trials=-1), median(n_warmup_steps=-2),
        median(interval_steps=0), median(n_min_trials=0), percentile(50.0, n_min_trials=0),
        sha(min_resource=0), sha(reduction_factor=1), sha(min_early_stopping_rate=-1),
        sha(min_resource=2, bootstrap_count=-1), sha(bootstrap_count=2), hyperband(bootstrap_count=1),
        {"type": "threshold", "lower": None, "upper": None, "n_warmup_steps": 0, "interval_steps": 1},
        {"type": "threshold", "lower": 2.0, "upper": 1.0, "n_warmup_steps": 0, "interval_steps": 1},
        {"type": "threshold", "lower": 0.0, "upper": None, "n_warmup_steps": -1, "interval_steps": 1},
        {"type": "threshold", "lower": 0.0, "upper": None, "n_warmup_steps": 0, "interval_steps": 0},
        {"type": "patient", "wrapped": None, "patience": -1, "min_delta": 0.0},
        {"type": "patient", "wrapped": None, "patience": 1, "min_delta": -0.5},
        {"type": "wilcoxon", "p_threshold": 1.5, "n_startup_steps": 2},
        {"type": "wilcoxon", "p_threshold": 0.1, "n_startup_steps": -1},
    ]
    out = []
    for cfg in cases:
        try:
            make_pruner(cfg)
        except (ValueError, TypeError) as error:
            out.append({"pruner": cfg, "message": str(error)})
        else:
            raise AssertionError(f"Optuna accepted {cfg}")
    return out


def wilcoxon_pvalues():
    """scipy's p-values in the mode WilcoxonPruner uses, over the three ways scipy computes them."""
    import numpy as np
    import scipy.stats as ss

    rng = random.Random(7)
    out = []
    for n in [2, 3, 5, 8, 13, 14, 20, 35, 50, 51, 80]:
        for kind in ["continuous", "ties", "zeros"]:
            if kind == "continuous":
                d = [rng.gauss(0.3, 1.0) for _ in range(n)]
            elif kind == "ties":
                d = [float(round(rng.gauss(0.3, 1.0), 0)) or 1.0 for _ in range(n)]
            else:
                d = [float(round(rng.gauss(0.2, 1.0), 1)) for _ in range(n)]
                d[0] = 0.0
            for alternative in ["greater", "less"]:
                p = float(ss.wilcoxon(np.array(d), alternative=alternative, zero_method="zsplit").pvalue)
                out.append({"d": d, "alternative": alternative, "p": p})
    return out


def main():
    data = {
        "validation": validation_messages(),
        "wilcoxon_pvalues": wilcoxon_pvalues(),
        "optuna_version": optuna.__version__,
        "crc32": {s: binascii.crc32(s.encode()) for s in ["", "a", "123456789", "pruner-fixture-x_0",
                                                          "study_12345", "日本語_7"]},
        "scenarios": scenarios(),
    }
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"), allow_nan=False)
    total = sum(s["decisions"] for s in data["scenarios"])
    prunes = sum(s["prunes"] for s in data["scenarios"])
    for s in data["scenarios"]:
        print(f'{s["name"]:40s} decisions={s["decisions"]:5d} prunes={s["prunes"]:4d}')
    print(f"total decisions={total} prunes={prunes} bytes={os.path.getsize(OUT)}")


if __name__ == "__main__":
    main()

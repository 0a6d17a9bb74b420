"""Builds the parameter-importance fixtures from Optuna 5.0.0.

Run with the reference venv (needs scikit-learn for fANOVA and MDI):
    /root/.venvs/ref/bin/python Tests/Fixtures/importance/make_importance_fixtures.py

Each study is built from fixed trials (`study.add_trial(optuna.trial.create_trial(...))`), so no
sampler randomness is involved; the parameter values come from a seeded NumPy generator and are
written to the JSON exactly (Python's float repr round-trips). For every study the script records
`optuna.importance.get_param_importances` for a few evaluator settings, normalised and not, as
ordered `[name, importance]` pairs (the order of tied values is Optuna's arbitrary one: the tests do not
check it). The Swift tests rebuild the same studies in `InMemoryStorage`.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
import sys
import warnings

# PED-ANOVA lists parameters in Python `set` order, so tied importances (zeros) come out in an order that
# depends on string hashing: fix the hash seed so that the JSON is reproducible byte for byte.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution
from optuna.distributions import distribution_to_json
from optuna.distributions import FloatDistribution
from optuna.distributions import IntDistribution
from optuna.importance import FanovaImportanceEvaluator
from optuna.importance import get_param_importances
from optuna.importance import MeanDecreaseImpurityImportanceEvaluator
from optuna.importance import PedAnovaImportanceEvaluator

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")

OUT = Path(__file__).with_name("importance_fixtures.json")


def draw(rng: np.random.RandomState, dist) -> object:
    """A value of `dist` drawn from `rng` (uniform in the internal or log space)."""
    if isinstance(dist, CategoricalDistribution):
        return dist.choices[int(rng.randint(len(dist.choices)))]
    if isinstance(dist, IntDistribution):
        if dist.log:
            return int(min(dist.high, max(dist.low, round(math.exp(rng.uniform(math.log(dist.low), math.log(dist.high)))))))
        n = (dist.high - dist.low) // dist.step
        return int(dist.low + dist.step * rng.randint(n + 1))
    if dist.log:
        return float(math.exp(rng.uniform(math.log(dist.low), math.log(dist.high))))
    if dist.step is not None:
        n = round((dist.high - dist.low) / dist.step)
        return float(round(dist.low + dist.step * rng.randint(n + 1), 10))
    return float(rng.uniform(dist.low, dist.high))


def dominant(rng):
    """Minimise; `x` alone decides the value, `y` and `z` do nothing."""
    space = {
        "x": FloatDistribution(-5.0, 5.0),
        "y": FloatDistribution(-5.0, 5.0),
        "z": IntDistribution(0, 10),
    }
    trials = []
    for _ in range(100):
        p = {k: draw(rng, d) for k, d in space.items()}
        trials.append((p, space, [(p["x"] - 1.0) ** 2]))
    return ["minimize"], trials


def interacting(rng):
    """Maximise; `lr` (log) and `layers` (log int) interact, `act` adds, the stepped ones are noise."""
    space = {
        "lr": FloatDistribution(1e-4, 1.0, log=True),
        "layers": IntDistribution(1, 64, log=True),
        "act": CategoricalDistribution(["relu", "tanh", "sigmoid"]),
        "dropout": FloatDistribution(0.0, 0.5, step=0.05),
        "batch": IntDistribution(16, 128, step=16),
    }
    bonus = {"relu": 0.3, "tanh": 0.1, "sigmoid": -0.2}
    trials = []
    for _ in range(200):
        p = {k: draw(rng, d) for k, d in space.items()}
        v = -((math.log10(p["lr"]) + 2.0) ** 2) * math.log2(p["layers"] + 1) / 3.0
        v += bonus[p["act"]] + 0.05 * p["dropout"] + 0.001 * p["batch"]
        trials.append((p, space, [v]))
    return ["maximize"], trials


def conditional(rng):
    """Minimise with conditional and dynamic parameters, a single-valued one, and tied values."""
    trials = []
    for i in range(60):
        opt_dist = CategoricalDistribution(["sgd", "adam"])
        space = {
            "optimizer": opt_dist,
            "width": IntDistribution(1, 10) if i < 30 else IntDistribution(1, 20),
            "flag": CategoricalDistribution([True, False]),
            "fixed": FloatDistribution(0.5, 0.5),
            "wd": FloatDistribution(1e-5, 1e-1, log=True),
        }
        p = {k: draw(rng, d) for k, d in space.items()}
        if p["optimizer"] == "sgd":
            space = dict(space, momentum=FloatDistribution(0.0, 0.99))
            p["momentum"] = draw(rng, space["momentum"])
        v = (0.0 if p["optimizer"] == "adam" else 1.0 - p["momentum"]) + abs(p["width"] - 7) / 5.0
        v += 0.1 * (1.0 if p["flag"] else 0.0)
        v = round(v, 1)  # Ties on purpose: the quantile filter keeps every tied trial.
        trials.append((p, space, [v]))
    return ["minimize"], trials


def small(rng):
    """Thirty trials, maximise, an int with a step and a categorical with numbers."""
    space = {
        "a": IntDistribution(-10, 10, step=5),
        "b": FloatDistribution(0.0, 1.0),
        "c": CategoricalDistribution([1, 2.5, "auto"]),
    }
    trials = []
    for _ in range(30):
        p = {k: draw(rng, d) for k, d in space.items()}
        v = -abs(p["a"]) + 3.0 * p["b"] + (0.5 if p["c"] == "auto" else 0.0)
        trials.append((p, space, [v]))
    return ["maximize"], trials


def multi(rng):
    """Two objectives; importances need a target (here: objective 0, and objective 1 negated)."""
    space = {
        "u": FloatDistribution(0.0, 1.0),
        "v": FloatDistribution(0.0, 1.0),
        "w": IntDistribution(0, 4),
    }
    trials = []
    for _ in range(80):
        p = {k: draw(rng, d) for k, d in space.items()}
        trials.append((p, space, [p["u"] + 0.1 * p["w"], (1.0 - p["u"]) ** 2 + p["v"]]))
    return ["minimize", "maximize"], trials


TARGETS = {
    None: None,
    "values0": lambda t: t.values[0],
    "negvalues1": lambda t: -t.values[1],
}


def evaluator_for(case):
    kind = case["evaluator"]
    if kind == "ped_anova":
        o = case.get("options", {})
        return PedAnovaImportanceEvaluator(
            target_quantile=o.get("target_quantile", 0.1),
            region_quantile=o.get("region_quantile", 1.0),
            evaluate_on_local=o.get("evaluate_on_local", True),
        )
    if kind == "fanova":
        return FanovaImportanceEvaluator(seed=0)
    if kind == "mdi":
        return MeanDecreaseImpurityImportanceEvaluator(seed=0)
    raise ValueError(kind)


STUDIES = {
    "dominant": (dominant, [None]),
    "interacting": (interacting, [None]),
    "conditional": (conditional, [None]),
    "small": (small, [None]),
    "multi": (multi, ["values0", "negvalues1"]),
}


def main() -> None:
    rng = np.random.RandomState(20240601)
    out = {"optuna_version": optuna.__version__, "studies": []}
    for name, (make, targets) in STUDIES.items():
        directions, trials = make(rng)
        study = optuna.create_study(directions=directions)
        records = []
        distribution_table: list[str] = []  # Each distinct distribution once; trials refer to it by index.
        for params, space, values in trials:
            dists = {k: space[k] for k in params}
            study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, values=values))
            refs = {}
            for k, d in dists.items():
                text = distribution_to_json(d)
                if text not in distribution_table:
                    distribution_table.append(text)
                refs[k] = distribution_table.index(text)
            records.append({"values": values, "params": params, "distributions": refs})
        cases = []
        specs = [
            {"evaluator": "ped_anova"},
            {"evaluator": "ped_anova", "options": {"evaluate_on_local": False}},
            {"evaluator": "ped_anova", "options": {"target_quantile": 0.2, "region_quantile": 0.5}},
            {"evaluator": "fanova"},
            {"evaluator": "mdi"},
        ]
        if name == "interacting":
            specs.append({"evaluator": "ped_anova", "params": ["act", "lr"]})
            specs.append({"evaluator": "fanova", "params": ["act", "lr"]})
        for target in targets:
            for spec in specs:
                for normalize in (True, False):
                    case = dict(spec, target=target, normalize=normalize)
                    result = get_param_importances(
                        study,
                        evaluator=evaluator_for(case),
                        params=case.get("params"),
                        target=TARGETS[target],
                        normalize=normalize,
                    )
                    case["result"] = [[k, float(v)] for k, v in result.items()]
                    cases.append(case)
        out["studies"].append(
            {
                "name": name,
                "directions": directions,
                "distributions": distribution_table,
                "trials": records,
                "cases": cases,
            }
        )
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()

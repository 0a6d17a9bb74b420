"""Records the parameters Optuna 5.0.0's samplers suggest, trial by trial, so that the Swift tests can
check that symstudy's samplers with the same seed suggest the same values.

Run with the reference virtualenv (Optuna 5.0.0 from PyPI):
    ~/.venvs/ref/bin/python Tests/Fixtures/samplers/make_optuna_traces.py
Writes optuna_traces.json next to this file.

TPE is compared on spaces without stepped or integer parameters: for those, Optuna's kernel bandwidths
depend on how NumPy's argsort orders tied values, which is not stable (it uses SIMD sorting networks
whose order of ties differs between CPUs), so no other implementation can reproduce them bit for bit.
RandomSampler sorts nothing and is compared on the full mixed space. A TPE trial whose choice Optuna
made between candidates whose acquisition values differ by rounding only (two categorical choices seen
equally often tie up to an ulp, and NumPy's summation order breaks the tie) is marked "ambiguous": the
Swift test compares trials up to the first such one.

Spaces (suggested in this order):
  mixed:  x float [-5, 5], y float [0, 10] step 0.5, lr float [1e-5, 1e-1] log, n int [1, 20],
          k int [-10, 10] step 2, m int [1, 1024] log, act categorical [relu, tanh, sigmoid, linear]
  smooth: x float [-5, 5], y float [0, 10], lr float [1e-5, 1e-1] log, act categorical [relu, tanh, sigmoid, linear]
  ackley: x0..x9 float [-32.768, 32.768]  (Ackley, from ../shared/bench/optuna/functions.py)
Objective of mixed: (x-1)^2 + 0.5 (y-3)^2 + (log10(lr)+3)^2 + 0.1 (n-7)^2 + 0.1 |k-4| + 0.01 |log2(m)-5|
                    + {relu: 0, tanh: 0.5, sigmoid: 1, linear: 2}[act]
Objective of smooth: (x-1)^2 + 0.5 (y-3)^2 + (log10(lr)+3)^2 + {relu: 0, tanh: 0.5, sigmoid: 1, linear: 2}[act]
"""

import json
import math
import os

import numpy as np
import optuna
from optuna.samplers._tpe.sampler import TPESampler

optuna.logging.set_verbosity(optuna.logging.ERROR)
AMBIGUOUS = {"now": False}
_compare = TPESampler._compare.__func__


def _compare_noting_ties(cls, samples, acquisition_func_vals):
    """Optuna's own choice, noting when a different candidate scored within 1e-12 of the winner."""
    best = int(np.argmax(acquisition_func_vals))
    top = float(acquisition_func_vals[best])
    for c, value in enumerate(acquisition_func_vals):
        differs = any(v[c] != v[best] for v in samples.values())
        if differs and abs(float(value) - top) <= 1e-12 * max(1.0, abs(top)):
            AMBIGUOUS["now"] = True
    return _compare(cls, samples, acquisition_func_vals)


TPESampler._compare = classmethod(_compare_noting_ties)
HERE = os.path.dirname(os.path.abspath(__file__))
OFFSET = {"relu": 0.0, "tanh": 0.5, "sigmoid": 1.0, "linear": 2.0}


def mixed(trial):
    p = {
        "x": trial.suggest_float("x", -5, 5),
        "y": trial.suggest_float("y", 0, 10, step=0.5),
        "lr": trial.suggest_float("lr", 1e-5, 1e-1, log=True),
        "n": trial.suggest_int("n", 1, 20),
        "k": trial.suggest_int("k", -10, 10, step=2),
        "m": trial.suggest_int("m", 1, 1024, log=True),
        "act": trial.suggest_categorical("act", ["relu", "tanh", "sigmoid", "linear"]),
    }
    value = ((p["x"] - 1) ** 2 + 0.5 * (p["y"] - 3) ** 2 + (math.log10(p["lr"]) + 3) ** 2 + 0.1 * (p["n"] - 7) ** 2
             + 0.1 * abs(p["k"] - 4) + 0.01 * abs(math.log2(p["m"]) - 5) + OFFSET[p["act"]])
    return p, value


def smooth(trial):
    p = {
        "x": trial.suggest_float("x", -5, 5),
        "y": trial.suggest_float("y", 0, 10),
        "lr": trial.suggest_float("lr", 1e-5, 1e-1, log=True),
        "act": trial.suggest_categorical("act", ["relu", "tanh", "sigmoid", "linear"]),
    }
    return p, (p["x"] - 1) ** 2 + 0.5 * (p["y"] - 3) ** 2 + (math.log10(p["lr"]) + 3) ** 2 + OFFSET[p["act"]]


def ackley(trial):
    x = [trial.suggest_float(f"x{j}", -32.768, 32.768) for j in range(10)]
    s1 = sum(v * v for v in x) / 10
    s2 = sum(math.cos(2 * math.pi * v) for v in x) / 10
    return {f"x{j}": v for j, v in enumerate(x)}, -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def trace(make_sampler, objective, n_trials):
    study = optuna.create_study(sampler=make_sampler())
    rows = []
    for _ in range(n_trials):
        AMBIGUOUS["now"] = False
        trial = study.ask()
        params, value = objective(trial)
        study.tell(trial, value)
        rows.append({"params": params, "value": value, "ambiguous": AMBIGUOUS["now"]})
    return rows


def main():
    cases = []
    for seed in (0, 1, 42):
        cases.append({"sampler": "random", "seed": seed, "space": "mixed",
                      "trials": trace(lambda: optuna.samplers.RandomSampler(seed=seed), mixed, 40)})
    for seed in (0, 7):
        for multivariate in (True, False):
            cases.append({"sampler": "tpe", "multivariate": multivariate, "seed": seed, "space": "smooth",
                          "trials": trace(lambda: optuna.samplers.TPESampler(seed=seed, multivariate=multivariate),
                                          smooth, 80)})
    cases.append({"sampler": "tpe", "multivariate": True, "seed": 3, "space": "ackley",
                  "trials": trace(lambda: optuna.samplers.TPESampler(seed=3), ackley, 60)})
    with open(os.path.join(HERE, "optuna_traces.json"), "w") as f:
        json.dump({"optuna": optuna.__version__, "cases": cases}, f, indent=None, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()

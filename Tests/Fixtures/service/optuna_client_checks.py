"""Checks of Optuna 5's own client (GrpcStorageProxy) against `symstudy serve`, beyond interop_check.py:
TPE with intermediate values and pruning, enqueued trials raced by two worker processes, multi-objective
studies, attributes with nested JSON, NaN and non-ASCII text. Prints one JSON object; exits non-zero on the
first failed check (with the reason on stderr).

Usage: python optuna_client_checks.py --port P [--host 127.0.0.1]
"""
import argparse
import json
import math
import subprocess
import sys
import uuid
import warnings


def proxy(host, port):
    from optuna.storages import GrpcStorageProxy
    p = GrpcStorageProxy(host=host, port=port)
    p.wait_server_ready(timeout=20)
    return p


# Run as its own process (python -c), so that this script may itself be run with -c.
RACE_WORKER = """
import sys, warnings
import optuna
from optuna.storages import GrpcStorageProxy
optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.filterwarnings("ignore")
host, port, name, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
storage = GrpcStorageProxy(host=host, port=port)
storage.wait_server_ready(timeout=20)
study = optuna.load_study(study_name=name, storage=storage, sampler=optuna.samplers.RandomSampler())
study.optimize(lambda t: t.suggest_float("x", -10, 10) ** 2 + t.suggest_int("k", 0, 100), n_trials=n)
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    a = ap.parse_args()
    import optuna
    from optuna.trial import TrialState
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.filterwarnings("ignore")
    storage = proxy(a.host, a.port)
    tag = uuid.uuid4().hex[:8]
    out = {}

    # TPE with intermediate values and pruning.
    def pruned_objective(trial):
        x = trial.suggest_float("x", -5, 5)
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        layers = trial.suggest_int("layers", 1, 4)
        act = trial.suggest_categorical("act", ["relu", "tanh", None])
        value = 0.0
        for step in range(8):
            value = (x - 1) ** 2 + layers * 0.1 + (0.5 if act == "tanh" else 0) + lr + 1.0 / (step + 1)
            trial.report(value, step)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    study = optuna.create_study(study_name=f"tpe-{tag}", storage=storage,
                                sampler=optuna.samplers.TPESampler(seed=1, n_startup_trials=5),
                                pruner=optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=1))
    study.optimize(pruned_objective, n_trials=30)
    trials = study.get_trials(deepcopy=False)
    states = [t.state for t in trials]
    assert [t.number for t in trials] == list(range(30)), [t.number for t in trials]
    assert states.count(TrialState.PRUNED) >= 1, "no trial was pruned"
    assert all(s in (TrialState.COMPLETE, TrialState.PRUNED) for s in states), states
    for t in trials:
        assert len(t.intermediate_values) >= 2, (t.number, t.intermediate_values)
        assert set(t.params) == {"x", "lr", "layers", "act"}, t.params
    assert study.best_value < 2.0, study.best_value
    out["tpe"] = {"complete": states.count(TrialState.COMPLETE), "pruned": states.count(TrialState.PRUNED),
                  "best": study.best_value}

    # Enqueued trials raced by two worker processes: each enqueued trial runs exactly once.
    name = f"race-{tag}"
    race = optuna.create_study(study_name=name, storage=storage)
    for i in range(10):
        race.enqueue_trial({"x": float(i), "k": i})
    workers = [subprocess.Popen([sys.executable, "-c", RACE_WORKER, a.host, str(a.port), name, "10"]) for _ in range(2)]
    for w in workers:
        assert w.wait(120) == 0, f"race worker exit {w.returncode}"
    raced = race.get_trials(deepcopy=False)
    assert len(raced) == 20 and [t.number for t in raced] == list(range(20)), len(raced)
    assert all(t.state == TrialState.COMPLETE for t in raced), [t.state for t in raced]
    fixed = sorted(t.params["k"] for t in raced if "fixed_params" in t.system_attrs)
    assert fixed == list(range(10)), fixed
    out["race"] = {"trials": len(raced), "enqueued_run_once": True}

    # Multi-objective.
    mo = optuna.create_study(study_name=f"mo-{tag}", storage=storage, directions=["minimize", "maximize"],
                             sampler=optuna.samplers.NSGAIISampler(seed=2, population_size=6))
    mo.optimize(lambda t: (t.suggest_float("a", 0, 1) ** 2, t.suggest_float("b", 0, 1)), n_trials=18)
    front = mo.best_trials
    assert len(mo.trials) == 18 and len(front) >= 1, (len(mo.trials), len(front))
    assert all(len(t.values) == 2 for t in front)
    out["multi_objective"] = {"trials": len(mo.trials), "pareto": len(front)}

    # Attributes: nested JSON, NaN, infinity, non-ASCII.
    attrs = optuna.create_study(study_name=f"attrs-{tag}", storage=storage)
    value = {"nested": {"list": [1, 2.5, None, False], "text": "Zoë ✓ \"q\""}, "nan": float("nan"), "inf": float("inf")}
    attrs.set_user_attr("blob", value)
    def attr_objective(trial):
        trial.set_user_attr("expr", {"infix": "x0 * 2.5 + sin(x1)", "complexity": 5})
        storage.set_trial_system_attr(trial._trial_id, "sys", [float("-inf"), "é"])
        return trial.suggest_float("x", 0, 1)
    attrs.optimize(attr_objective, n_trials=2)
    reread = optuna.load_study(study_name=f"attrs-{tag}", storage=proxy(a.host, a.port))
    blob = reread.user_attrs["blob"]
    assert blob["nested"] == value["nested"] and math.isnan(blob["nan"]) and blob["inf"] == math.inf, blob
    t0 = reread.trials[0]
    assert t0.user_attrs["expr"] == {"infix": "x0 * 2.5 + sin(x1)", "complexity": 5}, t0.user_attrs
    assert t0.system_attrs["sys"][0] == -math.inf and t0.system_attrs["sys"][1] == "é", t0.system_attrs
    out["attributes"] = "ok"
    print(json.dumps(out))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print(f"check failed: {e!r}", file=sys.stderr)
        raise

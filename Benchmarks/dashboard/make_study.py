"""Writes the dashboard benchmark's study with Python Optuna: 2,000 trials of a GP-like search (4 parameters,
20 intermediate values per trial, every fifth trial pruned, an expression user attribute as issue 13 stores it).
Both dashboards then read the same file. Usage: make_study.py STORAGE_URL_OR_JOURNAL_PATH [TRIALS]"""
import math
import random
import sys
import datetime

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial


def expression(size, constant):
    node = {"label": "x0", "children": []}
    text, latex, nodes, variable = "x0", "x_{0}", 1, 1
    while nodes + 2 <= size:
        leaf_text = f"{constant:.3f}" if variable % 2 == 0 else f"x{variable % 3}"
        op = "mul" if variable % 3 == 0 else "add"
        node = {"label": op, "children": [node, {"label": leaf_text, "children": []}]}
        text = f"({text} {'*' if op == 'mul' else '+'} {leaf_text})"
        latex = f"\\left({latex}\\right) \\cdot {leaf_text}" if op == "mul" else f"{latex} + {leaf_text}"
        nodes += 2
        variable += 1
    return {"text": text, "latex": latex, "size": nodes, "tree": node}


def main():
    target = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    if "://" in target:
        storage = target
    else:
        storage = optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(target))
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name="bench-distill", storage=storage, direction="maximize")
    rng = random.Random(7)
    dists = {
        "population": IntDistribution(100, 2000, log=True),
        "mutation": FloatDistribution(0.01, 0.5),
        "parsimony": FloatDistribution(1e-5, 1e-1, log=True),
        "operators": CategoricalDistribution(["basic", "trig", "full"]),
    }
    start = datetime.datetime(2026, 1, 1)
    for number in range(count):
        p = int(math.exp(rng.uniform(math.log(100), math.log(2000))))
        m = rng.uniform(0.01, 0.5)
        c = math.exp(rng.uniform(math.log(1e-5), math.log(1e-1)))
        o = rng.randrange(3)
        quality = (0.55 + 0.35 * (math.log(p) - math.log(100)) / (math.log(2000) - math.log(100)) - 0.8 * c
                   - 0.1 * abs(m - 0.2) + (0.03 if o == 1 else 0) + rng.uniform(-0.04, 0.04))
        pruned = number % 5 == 3
        last = 4 + number % 8 if pruned else 19
        intermediate = {step: quality * (1 - math.exp(-(step + 1) / 5)) for step in range(last + 1)}
        attrs = {"generations": last + 1, "seed": number}
        state = TrialState.PRUNED if pruned else TrialState.COMPLETE
        if not pruned:
            attrs["expression"] = expression(3 + 2 * ((number * 7 + o) % 12), quality)
        begin = start + datetime.timedelta(seconds=3 * number)
        trial = create_trial(
            state=state, value=quality if not pruned else None,
            params={"population": p, "mutation": m, "parsimony": c, "operators": ["basic", "trig", "full"][o]},
            distributions=dists, user_attrs=attrs, intermediate_values=intermediate)
        trial.datetime_start = begin
        trial.datetime_complete = begin + datetime.timedelta(seconds=2.5)
        study.add_trial(trial)
    print(f"wrote {count} trials to {target}")


if __name__ == "__main__":
    main()

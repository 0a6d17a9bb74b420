"""One Python Optuna worker of the load test: GrpcStorageProxy against `symstudy serve`, RandomSampler, the
trivial 11-parameter objective, N trials of an existing study. Prints "done N" at the end.

Usage: python optuna_load_worker.py --port P --study NAME --trials N [--seed S]
"""
import argparse
import warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--study", required=True)
    ap.add_argument("--trials", type=int, required=True)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import optuna
    from optuna.storages import GrpcStorageProxy
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = GrpcStorageProxy(host="127.0.0.1", port=a.port)
    storage.wait_server_ready(timeout=30)
    study = optuna.load_study(study_name=a.study, storage=storage, sampler=optuna.samplers.RandomSampler(seed=a.seed))

    def objective(trial):
        xs = [trial.suggest_float(f"x{i}", -5, 5) for i in range(8)]
        k = trial.suggest_int("k", 1, 10)
        lr = trial.suggest_float("lr", 1e-4, 1, log=True)
        op = trial.suggest_categorical("op", ["a", "b", "c"])
        return sum(x * x for x in xs) + k + lr + (0.5 if op == "b" else 0)

    study.optimize(objective, n_trials=a.trials)
    print(f"done {a.trials}", flush=True)


if __name__ == "__main__":
    main()

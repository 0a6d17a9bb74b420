"""An Optuna worker whose objective never returns: prints "started <trial number>" once its trial runs,
then sleeps, so a test can SIGKILL it mid-trial (or, with --seconds, finishes after that long).

Usage: python optuna_hanging_worker.py --port P --study NAME [--seconds S]
"""
import argparse
import sys
import time
import warnings


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--study", required=True)
    ap.add_argument("--seconds", type=float, default=3600)
    a = ap.parse_args()
    warnings.filterwarnings("ignore")
    import optuna
    from optuna.storages import GrpcStorageProxy
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    storage = GrpcStorageProxy(host="127.0.0.1", port=a.port)
    storage.wait_server_ready(timeout=20)
    study = optuna.load_study(study_name=a.study, storage=storage)

    def objective(trial):
        x = trial.suggest_float("x", 0, 1)
        print(f"started {trial.number}", flush=True)
        time.sleep(a.seconds)
        return x

    study.optimize(objective, n_trials=1)
    print("done", flush=True)


if __name__ == "__main__":
    sys.exit(main())

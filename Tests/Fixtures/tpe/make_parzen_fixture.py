"""Writes parzen.json (in this folder): Optuna 5.0.0's Parzen estimator (mus, sigmas, weights, categorical tables and
log densities) for small sets of observations, plus default_gamma/default_weights values.

Run with the reference venv: /root/.venvs/ref/bin/python make_parzen_fixture.py
"""
import json

import numpy as np
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.samplers._tpe import sampler as tpe_sampler
from optuna.samplers._tpe.parzen_estimator import _ParzenEstimator, _ParzenEstimatorParameters
from optuna.samplers._tpe.probability_distributions import _BatchedCategoricalDistributions

SPACES = {
    "x": ("float", FloatDistribution(-5.0, 5.0), {"low": -5.0, "high": 5.0}),
    "lx": ("float", FloatDistribution(1e-4, 1.0, log=True), {"low": 1e-4, "high": 1.0, "log": True}),
    "sx": ("float", FloatDistribution(0.0, 1.0, step=0.1), {"low": 0.0, "high": 1.0, "step": 0.1}),
    "i": ("int", IntDistribution(0, 100), {"low": 0, "high": 100}),
    "li": ("int", IntDistribution(1, 1024, log=True), {"low": 1, "high": 1024, "log": True}),
    "c": ("categorical", CategoricalDistribution(["a", "b", "c", "d"]), {"choices": ["a", "b", "c", "d"]}),
}
OBSERVATIONS = {
    "x": [0.5, -2.0, 3.3, 0.5, 4.9, -4.0, 1.0],
    "lx": [0.01, 0.5, 1e-3, 0.2, 0.9, 2e-4, 0.05],
    "sx": [0.1, 0.5, 0.5, 0.9, 0.0, 1.0, 0.3],
    "i": [3, 50, 51, 99, 0, 20, 50],
    "li": [1, 16, 512, 3, 1024, 100, 7],
    "c": [0, 2, 2, 3, 1, 2, 0],
}
POINTS = {
    "x": [-5.0, -1.0, 0.5, 2.0, 5.0],
    "lx": [1e-4, 3e-3, 0.1, 0.7, 1.0],
    "sx": [0.0, 0.2, 0.5, 0.8, 1.0],
    "i": [0, 10, 50, 77, 100],
    "li": [1, 5, 64, 700, 1024],
    "c": [0, 1, 2, 3, 3],
}

cases = []
for name, (kind, dist, spec) in SPACES.items():
    for n in (0, 1, 2, 7):
        for settings in (
            {"prior_weight": 1.0, "consider_magic_clip": True, "consider_endpoints": False},
            {"prior_weight": 0.5, "consider_magic_clip": False, "consider_endpoints": True},
        ):
            params = _ParzenEstimatorParameters(
                prior_weight=settings["prior_weight"],
                consider_magic_clip=settings["consider_magic_clip"],
                consider_endpoints=settings["consider_endpoints"],
                weights=tpe_sampler.default_weights,
                multivariate=True,
            )
            obs = np.asarray(OBSERVATIONS[name][:n], dtype=float)
            pe = _ParzenEstimator({name: obs}, {name: dist}, params)
            mix = pe._mixture_distribution
            d = mix.distributions[0]
            case = {
                "name": name, "kind": kind, "distribution": spec, "observations": obs.tolist(),
                "settings": settings, "weights": mix.weights.tolist(),
                # The order np.argsort gave the observations (Parzen space) here: ties are not ordered
                # stably on every machine, and a tie's order decides which kernel gets which sigma.
                "order": np.argsort(np.log(obs) if getattr(dist, "log", False) else obs).tolist(),
            }
            if isinstance(d, _BatchedCategoricalDistributions):
                case["table"] = d.weights.tolist()
            else:
                case["mus"] = d.mu.tolist()
                case["sigmas"] = d.sigma.tolist()
            points = np.asarray(POINTS[name], dtype=float)
            case["points"] = points.tolist()
            case["log_pdf"] = pe.log_pdf({name: points}).tolist()
            cases.append(case)

# A multivariate case: the product-kernel mixture over three dimensions.
mv_space = {"x": SPACES["x"][1], "i": SPACES["i"][1], "c": SPACES["c"][1]}
mv_obs = {k: np.asarray(OBSERVATIONS[k], dtype=float) for k in mv_space}
params = _ParzenEstimatorParameters(1.0, True, False, tpe_sampler.default_weights, True)
pe = _ParzenEstimator(mv_obs, mv_space, params)
mv_points = {k: np.asarray(POINTS[k], dtype=float) for k in mv_space}
multivariate = {
    "observations": {k: v.tolist() for k, v in mv_obs.items()},
    "points": {k: v.tolist() for k, v in mv_points.items()},
    "log_pdf": pe.log_pdf(mv_points).tolist(),
    "order": {k: np.argsort(v).tolist() for k, v in mv_obs.items()},
}

ns = [0, 1, 10, 24, 25, 26, 100, 1000]
out = {
    "cases": cases,
    "multivariate": multivariate,
    "gamma": {str(n): tpe_sampler.default_gamma(n) for n in ns},
    "gamma_multiobjective": {str(n): tpe_sampler.default_gamma_multiobjective(n) for n in ns},
    "gamma_hyperopt": {str(n): tpe_sampler.hyperopt_default_gamma(n) for n in ns},
    "weights": {str(n): tpe_sampler.default_weights(n).tolist() for n in ns},
}
with open("parzen.json", "w") as f:
    json.dump(out, f)
print(len(cases), "cases")

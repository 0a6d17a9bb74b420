"""Makes the distribution fixtures from Optuna 5.0.0 itself.

Run: /root/.venvs/ref/bin/python Tests/Fixtures/distributions/make_fixtures.py
Writes, beside this script:
  distributions.json  [{"spec": {...}, "json": distribution_to_json(d), "single": d.single(),
                        "high": d.high (after Optuna's adjustment), "adjusted": bool}]
  float_repr.json     [{"bits": "<uint64 as decimal text>", "repr": repr(x)}], a few hundred doubles
  json_strings.json   [{"text": s, "json": json.dumps(s)}]
"""

import json
import math
import random
import struct
import warnings
from pathlib import Path

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.distributions import distribution_to_json

assert optuna.__version__ == "5.0.0", optuna.__version__
HERE = Path(__file__).resolve().parent
warnings.simplefilter("ignore")

FLOATS = [
    (0.0, 1.0, False, None), (-1.0, 1.0, False, None), (1e-5, 1.0, True, None), (1e-10, 1e10, True, None),
    (0.0, 1.0, False, 0.1), (0.0, 1.0, False, 0.25), (-5.0, 5.0, False, 0.5), (0.1, 0.7, False, 0.2),
    (1.5, 1.5, False, None), (2.0, 2.0, False, 0.5), (0.0, 100.0, False, 1.0), (1e-3, 1e3, False, None),
    (0.0, 1e16, False, None), (-1e-5, 3.14159, False, None), (0.0, 0.3, False, 0.1), (3.0, 4.0, True, None),
    # steps that do not fit: Optuna lowers high
    (0.0, 1.0, False, 0.3), (0.0, 10.0, False, 3.0), (0.1, 1.0, False, 0.2), (-1.0, 1.0, False, 0.7),
    (0.0, 1.0, False, 1 / 3), (0.0, 0.95, False, 0.1), (1e-3, 1.0, False, 7e-3), (0.0, 1.0, False, 2.0),
]
INTS = [
    (0, 10, False, 1), (1, 100, True, 1), (-5, 5, False, 1), (0, 10, False, 2), (3, 3, False, 1),
    (0, 100, False, 25), (-7, 8, False, 3), (1, 1, True, 1), (-1000000, 1000000, False, 1),
    # steps that do not fit
    (0, 10, False, 3), (1, 100, False, 7), (-5, 5, False, 4), (0, 1, False, 2),
]
CATEGORICALS = [
    ["adam", "sgd", "rmsprop"], [1, 2, 3], [0.5, 1.0, 1e-5, 1e20], [True, False], ["a", 1, 2.5, False],
    ["only"], ["é", "日本語", "😀", "tab\there", "quote\"back\\slash", "nl\nline", "bell\x07", "del\x7f"],
    [float("nan"), 1.0], [float("inf"), float("-inf")], [-0.0, 0.1],
]


def entry(spec, distribution):
    item = {"spec": spec, "json": distribution_to_json(distribution), "single": distribution.single()}
    if not isinstance(distribution, CategoricalDistribution):
        item["high"] = distribution.high
        item["adjusted"] = distribution.high != spec["high"]
    return item


entries = []
for low, high, log, step in FLOATS:
    spec = {"type": "float", "low": low, "high": high, "log": log, "step": step}
    entries.append(entry(spec, FloatDistribution(low, high, log=log, step=step)))
for low, high, log, step in INTS:
    spec = {"type": "int", "low": low, "high": high, "log": log, "step": step}
    entries.append(entry(spec, IntDistribution(low, high, log=log, step=step)))
for choices in CATEGORICALS:
    entries.append(entry({"type": "categorical", "choices": choices}, CategoricalDistribution(choices)))
(HERE / "distributions.json").write_text(json.dumps(entries, indent=1) + "\n")

rng = random.Random(20240501)
values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, 100.0, 1e-4, 1e-5, 0.0001, 0.00012345,
          1e15, 1e16, 9999999999999998.0, 1e16 + 2, 123456789012345678.0, 1e22, 1e23, 1.7976931348623157e308,
          5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, 0.5, 1.5, 2.5, 1e100, 1.2345e-100,
          math.pi, math.e, 2.0 ** 53, 2.0 ** 53 + 2, 2.0 ** 63, 0.1 + 0.2, 1e-7, 123.456, 9.999999999999999e15]
for _ in range(120):  # any bit pattern of a finite double
    bits = rng.getrandbits(64)
    x = struct.unpack("<d", struct.pack("<Q", bits))[0]
    if math.isfinite(x):
        values.append(x)
for _ in range(120):  # decimal-looking values across the repr switch points
    values.append(round(rng.uniform(-1, 1) * 10 ** rng.randint(-8, 20), rng.randint(0, 12)))
for _ in range(60):  # short decimals
    values.append(float(f"{rng.randint(1, 999)}e{rng.randint(-330, 300)}"))
floats = [{"bits": str(struct.unpack("<Q", struct.pack("<d", x))[0]), "repr": repr(x)} for x in values]
(HERE / "float_repr.json").write_text(json.dumps(floats, indent=1) + "\n")

texts = ["", "plain", "é", "日本語", "😀 emoji", "\x00\x01\x1f", "\b\f\n\r\t", "quote\" back\\ slash /",
         "del\x7f", "\u2028\u2029", "mixed é😀\n\"x\""]
strings = [{"text": t, "json": json.dumps(t)} for t in texts]
(HERE / "json_strings.json").write_text(json.dumps(strings, indent=1, ensure_ascii=True) + "\n")
print(len(entries), "distributions,", len(floats), "floats,", len(strings), "strings")

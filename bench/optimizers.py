"""Optuna (TPE) and scikit-optimize (gp_minimize) on the functions trainlayer's optimizer benchmark uses.

Same definitions, seeds and budget as bench/src/main/java/.../OptimizerBenchmark.java. Writes the regret
of the best value found after every evaluation to bench/results/optimizer-python.json.
Run through bench/run-optimizer-bench.sh, which installs the packages into bench/.venv.
"""
import json
import math
import sys
import time

import numpy as np
import optuna
from skopt import gp_minimize
from skopt.space import Categorical, Integer, Real

optuna.logging.set_verbosity(optuna.logging.WARNING)


def branin(p):
    x1, x2 = p["x1"], p["x2"]
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
       [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(p):
    total = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (p["x%d" % (j + 1)] - H_P[i][j]) ** 2 for j in range(6))
        total += H_ALPHA[i] * math.exp(-inner)
    return -total


def mixed(p):
    penalty = {"b": 0.0, "a": 0.5, "c": 1.0}[p["kind"]]
    return (math.log10(p["lr"]) + 2) ** 2 + (p["depth"] - 6) ** 2 / 10 + penalty


# name, function, minimum, dimensions: (name, kind, low, high, log | choices)
PROBLEMS = [
    ("branin", branin, 0.397887357729738, [("x1", "float", -5, 10, False), ("x2", "float", 0, 15, False)]),
    ("hartmann6", hartmann6, -3.32237, [("x%d" % i, "float", 0, 1, False) for i in range(1, 7)]),
    ("mixed", mixed, 0.0, [("lr", "float", 1e-5, 1, True), ("depth", "int", 1, 12, False),
                           ("kind", "cat", ["a", "b", "c"])]),
]


def trace(values, minimum):
    best, out = float("inf"), []
    for v in values:
        best = min(best, v)
        out.append(best - minimum)
    return out


def run_tpe(fn, minimum, dims, seed, budget):
    def objective(trial):
        p = {}
        for d in dims:
            if d[1] == "float":
                p[d[0]] = trial.suggest_float(d[0], d[2], d[3], log=d[4])
            elif d[1] == "int":
                p[d[0]] = trial.suggest_int(d[0], d[2], d[3], log=d[4])
            else:
                p[d[0]] = trial.suggest_categorical(d[0], d[2])
        return fn(p)

    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(objective, n_trials=budget)
    return trace([t.value for t in study.trials], minimum)


def run_skopt(fn, minimum, dims, seed, budget):
    space = []
    for d in dims:
        if d[1] == "float":
            space.append(Real(d[2], d[3], prior="log-uniform" if d[4] else "uniform", name=d[0]))
        elif d[1] == "int":
            space.append(Integer(d[2], d[3], name=d[0]))
        else:
            space.append(Categorical(d[2], name=d[0]))
    names = [d[0] for d in dims]
    result = gp_minimize(lambda x: fn(dict(zip(names, x))), space, n_calls=budget, random_state=seed,
                         n_initial_points=min(10, budget))
    return trace(list(result.func_vals), minimum)


def latency_skopt():
    """Median time to a new suggestion with 25/50/100/200 observations on Hartmann-6.

    scikit-optimize fits its GP and optimizes the acquisition inside tell(); ask() only returns the cached
    point. So the time measured is tell(one more observation) + ask(), the same work as one Java suggest().
    """
    from skopt import Optimizer
    out = {}
    rng = np.random.default_rng(0)
    f = lambda x: hartmann6({"x%d" % (j + 1): x[j] for j in range(6)})
    for n in (25, 50, 100, 200):
        times = []
        for _ in range(3):
            opt = Optimizer([Real(0, 1)] * 6, base_estimator="GP", acq_func="EI", random_state=0, n_initial_points=1)
            xs = rng.random((n, 6)).tolist()
            opt.tell(xs[:-1], [f(x) for x in xs[:-1]])
            t0 = time.perf_counter()
            opt.tell(xs[-1], f(xs[-1]))
            opt.ask()
            times.append((time.perf_counter() - t0) * 1000)
        out[str(n)] = sorted(times)[1]
    return out


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "latency":
        path = sys.argv[2] if len(sys.argv) > 2 else "bench/results/optimizer-python.json"
        result = json.load(open(path))
        result["latencyMs"] = {"skopt-batch1": latency_skopt()}
        json.dump(result, open(path, "w"))
        return
    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    budget = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    skopt_seeds = int(sys.argv[3]) if len(sys.argv) > 3 else seeds
    out_path = sys.argv[4] if len(sys.argv) > 4 else "bench/results/optimizer-python.json"
    regret = {}
    for name, fn, minimum, dims in PROBLEMS:
        regret[name] = {"optuna-tpe": [], "skopt-gp_minimize": []}
        for seed in range(1, seeds + 1):
            t0 = time.time()
            regret[name]["optuna-tpe"].append(run_tpe(fn, minimum, dims, seed, budget))
            print("%s optuna-tpe seed %d: %.3g (%.1fs)" % (name, seed, regret[name]["optuna-tpe"][-1][-1], time.time() - t0),
                  flush=True)
        for seed in range(1, skopt_seeds + 1):
            t0 = time.time()
            regret[name]["skopt-gp_minimize"].append(run_skopt(fn, minimum, dims, seed, budget))
            print("%s skopt seed %d: %.3g (%.1fs)" % (name, seed, regret[name]["skopt-gp_minimize"][-1][-1],
                                                         time.time() - t0), flush=True)
    result = {"regret": regret, "latencyMs": {"skopt-batch1": latency_skopt()},
              "versions": {"optuna": optuna.__version__, "scikit-optimize": __import__("skopt").__version__}}
    with open(out_path, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()

"""The Python xgboost package on the data and parameters XgboostAnchorBenchmark trained XGBoost4J with.

Reads the float32 matrices the Java side wrote, trains the same boosting rounds with the same evaluation sets, and
prints one JSON line: the median training seconds and the final validation log loss.
    python bench/xgboost_anchor.py DIR ROWS VALID_ROWS COLS ROUNDS REPEATS
"""
import json
import statistics
import sys
import time

import numpy as np
import xgboost as xgb


def load(directory, name, rows, cols):
    x = np.fromfile(f"{directory}/{name}.x.bin", dtype="<f4").reshape(rows, cols)
    y = np.fromfile(f"{directory}/{name}.y.bin", dtype="<f4")
    return x, y


def main():
    directory, rows, valid_rows, cols, rounds, repeats = sys.argv[1], *map(int, sys.argv[2:7])
    x, y = load(directory, "train", rows, cols)
    vx, vy = load(directory, "validation", valid_rows, cols)
    params = {"tree_method": "hist", "max_depth": 6, "eta": 0.1, "subsample": 0.8, "colsample_bytree": 0.8,
              "min_child_weight": 1.0, "lambda": 1.0, "nthread": 1, "seed": 7, "objective": "binary:logistic",
              "eval_metric": "logloss", "verbosity": 0}
    # Warm-up, untimed, as the Java side does: the first training in a process pays for loading the library's code.
    warm = xgb.DMatrix(vx, label=vy, nthread=1)
    xgb.train(params, warm, rounds, evals=[(warm, "train")], verbose_eval=False)
    seconds = []
    loss = None
    for _ in range(repeats):
        start = time.perf_counter()
        dtrain = xgb.DMatrix(x, label=y, nthread=1)
        dvalid = xgb.DMatrix(vx, label=vy, nthread=1)
        record = {}
        xgb.train(params, dtrain, rounds, evals=[(dtrain, "train"), (dvalid, "validation")], evals_result=record,
                  verbose_eval=False)
        seconds.append(time.perf_counter() - start)
        loss = record["validation"]["logloss"][-1]
    print(json.dumps({"seconds": statistics.median(seconds), "validationLogLoss": loss, "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main()

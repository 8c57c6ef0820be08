"""The pandas anchor for bench/run-data-bench.sh: read the CSV, split train/validation/test (65/15/20, seeded),
fit mean and standard deviation on the training rows, standardize all three into float32 matrices.
Prints one JSON line: seconds per step and the process's peak RSS."""
import json
import sys
import time

import numpy as np
import pandas as pd


def peak_rss_mb():
    # VmHWM, not getrusage's ru_maxrss: the latter keeps the high-water mark of the process that started this one.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main(path, target):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    t1 = time.perf_counter()
    rng = np.random.default_rng(1)
    order = rng.permutation(len(df))
    n_test = int(round(len(df) * 0.2))
    n_val = int(round(len(df) * 0.15))
    test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
    x = df.drop(columns=[target])
    parts = {name: x.iloc[idx] for name, idx in (("train", train), ("validation", val), ("test", test))}
    y = {name: df[target].iloc[idx].to_numpy(np.float32) for name, idx in (("train", train), ("validation", val), ("test", test))}
    t2 = time.perf_counter()
    mean = parts["train"].mean()
    std = parts["train"].std(ddof=0).replace(0, 1)
    med = parts["train"].median()
    out = {name: ((p.fillna(med) - mean) / std).to_numpy(np.float32) for name, p in parts.items()}
    t3 = time.perf_counter()
    assert out["train"].shape[0] + out["validation"].shape[0] + out["test"].shape[0] == len(df)
    assert sum(len(v) for v in y.values()) == len(df)
    print(json.dumps({"read": t1 - t0, "split": t2 - t1, "standardize": t3 - t2, "total": t3 - t0,
                      "peakRssMb": peak_rss_mb(),
                      "pandas": pd.__version__, "rows": len(df)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

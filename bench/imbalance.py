"""Prepares the imbalanced table ImbalanceBenchmark trains on: the diamonds table (plotnine's wheel ships it), with the
question "is this diamond's cut Fair?" (3% of the rows) answered from the other columns.
    python bench/imbalance.py OUT_DIR PLOTNINE_WHEEL
"""
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HOLDOUT = 0.2
SPLIT_SEED = 11


def main(out_dir, wheel_path):
    with zipfile.ZipFile(wheel_path) as wheel, wheel.open("plotnine/data/diamonds.csv") as f:
        diamonds = pd.read_csv(f)
    frame = diamonds.drop(columns=["cut"]).assign(fair=np.where(diamonds["cut"] == "Fair", "yes", "no"))
    rng = np.random.default_rng(SPLIT_SEED)
    order = rng.permutation(len(frame))
    cut_at = int(len(frame) * HOLDOUT)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frame.iloc[order[cut_at:]].to_csv(out / "dev.csv", index=False)
    frame.iloc[order[:cut_at]].to_csv(out / "holdout.csv", index=False)
    share = float((frame["fair"] == "yes").mean())
    (out / "meta.json").write_text(json.dumps({
        "name": "diamonds-fair", "target": "fair", "minority": "yes", "minorityShare": share, "rows": len(frame),
        "description": "diamonds (plotnine 0.15.9), is the cut Fair?"}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

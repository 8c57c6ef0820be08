"""The Python anchors of bench/run-automl-bench.sh, and the datasets they and trainlayer share.

    python bench/automl.py prepare OUT_DIR PLOTNINE_WHEEL
        Writes OUT_DIR/<dataset>/{dev.csv,holdout.csv,meta.json} for every dataset below. The holdout (20%, fixed seed)
        is what every contender is scored on; dev is all each one sees.
    python bench/automl.py optuna DATASET_DIR SEED TRIALS
        Optuna TPE over XGBoost (hist, early stopping on a 15% validation split of dev), TRIALS trials, two at a time,
        one thread each; the best trial's booster scores the holdout.
    python bench/automl.py flaml DATASET_DIR SEED SECONDS
        FLAML AutoML(time_budget=SECONDS) on dev with its default estimators; its best model scores the holdout.

Each anchor prints one JSON line: {"wall": seconds from reading dev.csv to scoring the holdout, "metric": holdout
value, "trials": ..., "detail": ...}. Native math is pinned to one thread per trial by the caller's environment
(OMP_NUM_THREADS=1) and by the parameters here.
"""
import json
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HOLDOUT = 0.2
SPLIT_SEED = 20261206


def prepare(out_dir, plotnine_wheel):
    from sklearn.datasets import make_classification, make_friedman1

    out = Path(out_dir)
    with zipfile.ZipFile(plotnine_wheel) as wheel, wheel.open("plotnine/data/diamonds.csv") as f:
        diamonds = pd.read_csv(f)
    tables = {}
    # A public table (54k rows, 3 categorical columns): the price of a diamond.
    tables["diamonds-price"] = (diamonds, "price", "regression")
    # The same table, a classification with categorical inputs: is the cut "Ideal"?
    cut = diamonds.drop(columns=["cut"]).assign(ideal=np.where(diamonds["cut"] == "Ideal", "yes", "no"))
    tables["diamonds-ideal"] = (cut, "ideal", "classification")
    # Generated: Friedman #1 (10 numeric columns, 5 of them noise), 30k rows.
    x, y = make_friedman1(n_samples=30000, n_features=10, noise=1.0, random_state=1)
    friedman = pd.DataFrame(x, columns=[f"x{i}" for i in range(10)]).assign(y=y)
    tables["friedman1"] = (friedman, "y", "regression")
    # Generated: a hard binary problem (20 columns, 8 informative, 5% label noise), two of the columns turned into
    # categories, 40k rows.
    x, y = make_classification(n_samples=40000, n_features=20, n_informative=8, n_redundant=4, flip_y=0.05,
                               class_sep=0.8, random_state=2)
    gen = pd.DataFrame(x, columns=[f"f{i}" for i in range(20)])
    for c in ("f0", "f1"):
        gen[c] = pd.cut(gen[c], bins=6, labels=list("abcdef")).astype(str)
    gen["label"] = np.where(y == 1, "pos", "neg")
    tables["generated-classes"] = (gen, "label", "classification")
    for name, (frame, target, task) in tables.items():
        rng = np.random.default_rng(SPLIT_SEED)
        order = rng.permutation(len(frame))
        cut_at = int(len(frame) * HOLDOUT)
        directory = out / name
        directory.mkdir(parents=True, exist_ok=True)
        frame.iloc[order[cut_at:]].to_csv(directory / "dev.csv", index=False)
        frame.iloc[order[:cut_at]].to_csv(directory / "holdout.csv", index=False)
        (directory / "meta.json").write_text(json.dumps({"name": name, "target": target, "task": task,
                                                         "rows": len(frame), "columns": frame.shape[1] - 1}))


def load(directory):
    meta = json.loads((Path(directory) / "meta.json").read_text())
    dev = pd.read_csv(Path(directory) / "dev.csv")
    holdout = pd.read_csv(Path(directory) / "holdout.csv")
    target = meta["target"]
    frames = []
    for frame in (dev, holdout):
        x = frame.drop(columns=[target])
        for c in x.columns:
            if not pd.api.types.is_numeric_dtype(x[c]):
                x[c] = x[c].astype("category")
        frames.append(x)
    # The same categories (in the same order) on both sides.
    for c in frames[0].columns:
        if isinstance(frames[0][c].dtype, pd.CategoricalDtype):
            cats = sorted(set(frames[0][c].cat.categories) | set(frames[1][c].cat.categories))
            for f in frames:
                f[c] = f[c].cat.set_categories(cats)
    y_dev, y_hold = dev[target], holdout[target]
    if meta["task"] == "classification":
        positive = sorted(y_dev.unique())[-1]
        y_dev, y_hold = (y_dev == positive).astype(int), (y_hold == positive).astype(int)
    return meta, frames[0], y_dev.to_numpy(), frames[1], y_hold.to_numpy()


def holdout_metric(task, truth, predicted):
    if task == "regression":
        return float(np.sqrt(np.mean((np.asarray(predicted) - truth) ** 2)))
    from sklearn.metrics import roc_auc_score
    return float(roc_auc_score(truth, predicted))


def optuna_xgboost(directory, seed, trials):
    import optuna
    import xgboost as xgb

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    start = time.perf_counter()
    meta, x, y, hx, hy = load(directory)
    task = meta["task"]
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    cut_at = int(len(x) * 0.15)
    dvalid = xgb.DMatrix(x.iloc[order[:cut_at]], y[order[:cut_at]], enable_categorical=True)
    dtrain = xgb.DMatrix(x.iloc[order[cut_at:]], y[order[cut_at:]], enable_categorical=True)
    objective = "reg:squarederror" if task == "regression" else "binary:logistic"
    eval_metric = "rmse" if task == "regression" else "auc"
    boosters = {}

    def run(trial):
        params = {"objective": objective, "eval_metric": eval_metric, "tree_method": "hist", "nthread": 1,
                  "seed": seed, "verbosity": 0,
                  "max_depth": trial.suggest_int("max_depth", 2, 10),
                  "eta": trial.suggest_float("eta", 0.01, 0.3, log=True),
                  "subsample": trial.suggest_float("subsample", 0.5, 1.0),
                  "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1.0),
                  "min_child_weight": trial.suggest_float("min_child_weight", 0.1, 20, log=True),
                  "lambda": trial.suggest_float("lambda", 1e-3, 10, log=True)}
        booster = xgb.train(params, dtrain, num_boost_round=500, evals=[(dvalid, "valid")], early_stopping_rounds=30,
                            verbose_eval=False)
        boosters[trial.number] = booster
        return booster.best_score

    study = optuna.create_study(direction="minimize" if task == "regression" else "maximize",
                                sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(run, n_trials=trials, n_jobs=2)
    best = boosters[study.best_trial.number]
    predicted = best.predict(xgb.DMatrix(hx, enable_categorical=True), iteration_range=(0, best.best_iteration + 1))
    metric = holdout_metric(task, hy, predicted)
    return {"wall": time.perf_counter() - start, "metric": metric, "trials": len(study.trials),
            "detail": f"best {study.best_trial.params}"}


def flaml_automl(directory, seed, seconds):
    from flaml import AutoML

    start = time.perf_counter()
    meta, x, y, hx, hy = load(directory)
    task = meta["task"]
    automl = AutoML()
    automl.fit(X_train=x, y_train=y, task=task, metric="rmse" if task == "regression" else "roc_auc",
               time_budget=seconds, seed=seed, n_jobs=2, verbose=0)
    predicted = automl.predict(hx) if task == "regression" else automl.predict_proba(hx)[:, 1]
    metric = holdout_metric(task, hy, predicted)
    return {"wall": time.perf_counter() - start, "metric": metric, "trials": None,
            "detail": f"best {automl.best_estimator}"}


def main():
    command = sys.argv[1]
    if command == "prepare":
        prepare(sys.argv[2], sys.argv[3])
        return
    directory, seed, amount = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    result = optuna_xgboost(directory, seed, amount) if command == "optuna" else flaml_automl(directory, seed, amount)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

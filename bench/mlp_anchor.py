"""PyTorch in Python on the data, network and training loop MlpAnchorBenchmark trained trainlayer's DJL MLP with.

Reads the float32 matrices the Java side wrote and trains, for each batch size asked, the network a trainlayer MLP trial
builds (Linear, ReLU and dropout per hidden layer, then a Linear to the classes), as a hand-written script would:
cross-entropy, Adam with L2 weight decay and gradients clipped to +-5, a fresh shuffle every epoch, and after every
epoch the validation log loss and a copy of the weights when it improved (early stopping's bookkeeping). One thread.
Prints one JSON line: for each configuration (hidden layers and batch size), samples per second (training rows x epochs
/ seconds, median of the repeats) and the last run's best validation log loss.
    python bench/mlp_anchor.py DIR ROWS VALID_ROWS COLS EPOCHS REPEATS DROPOUT CONFIG...
where a CONFIG is HIDDEN@BATCH, e.g. 64,32@256
"""
import copy
import json
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn


def load(directory, name, rows, cols):
    x = np.fromfile(f"{directory}/{name}.x.bin", dtype="<f4").reshape(rows, cols)
    y = np.fromfile(f"{directory}/{name}.y.bin", dtype="<f4")
    return torch.from_numpy(x), torch.from_numpy(y).long()


def network(inputs, hidden, dropout, outputs):
    layers, width = [], inputs
    for units in hidden:
        layers += [nn.Linear(width, units), nn.ReLU()]
        if dropout > 0:
            layers.append(nn.Dropout(dropout))
        width = units
    layers.append(nn.Linear(width, outputs))
    return nn.Sequential(*layers)


def train(x, y, vx, vy, hidden, dropout, batch, epochs, seed):
    torch.manual_seed(seed)
    model = network(x.shape[1], hidden, dropout, 2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    best_loss, best_state = float("inf"), None
    n = x.shape[0]
    for _ in range(epochs):
        model.train()
        order = torch.randperm(n)
        for start in range(0, n, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            nn.utils.clip_grad_value_(model.parameters(), 5.0)
            optimizer.step()
        model.eval()
        with torch.no_grad():
            validation = loss_fn(model(vx), vy).item()
        if validation < best_loss - 1e-6:
            best_loss, best_state = validation, copy.deepcopy(model.state_dict())
    return best_loss


def main():
    directory, rows, valid_rows, cols, epochs, repeats = sys.argv[1], *map(int, sys.argv[2:7])
    dropout = float(sys.argv[7])
    configs = sys.argv[8:]
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    x, y = load(directory, "train", rows, cols)
    vx, vy = load(directory, "validation", valid_rows, cols)
    train(x, y, vx, vy, [64], dropout, 256, 1, 0)  # warm-up
    result = {"torch": torch.__version__, "samplesPerSecond": {}, "validationLogLoss": {}}
    for config in configs:
        hidden = [int(u) for u in config.split("@")[0].split(",")]
        batch = int(config.split("@")[1])
        rates = []
        for r in range(repeats):
            start = time.perf_counter()
            loss = train(x, y, vx, vy, hidden, dropout, batch, epochs, 7)
            rates.append(rows * epochs / (time.perf_counter() - start))
        result["samplesPerSecond"][config] = statistics.median(rates)
        result["validationLogLoss"][config] = loss
    print(json.dumps(result))


if __name__ == "__main__":
    main()

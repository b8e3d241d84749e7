"""A developer check, not a project dependency: the seed notebook's Keras training
replicated in PyTorch (float32, one thread), to judge whether nnfit trains as Keras
does. Needs /usr/bin/python3 with numpy and torch; pipelines/bench/fidelity_nn.sh
(make fidelity-nn) drives it.

What it replicates, as tf.keras 2.x does it:
  ann  Dense(128)-ReLU-Dropout(0.3)-Dense(64)-ReLU-Dropout(0.3)-Dense(K)-softmax
  cnn  Conv1D(32, 3, valid) on (n, 1)-ReLU-MaxPool1D(2)-Flatten (channels-last, as
       Keras flattens)-Dense(64)-ReLU-Dropout(0.5)-Dense(K)-softmax
  Glorot-uniform kernels (Conv1D: fan_in = width * in_ch, fan_out = width * filters),
  zero biases; categorical cross-entropy on the logits (Keras uses the softmax's
  logits when the output layer is a softmax); Adam as TF's ApplyAdam computes it:
  m += (g - m)(1 - b1), v += (g^2 - v)(1 - b2), w -= lr_t m / (sqrt(v) + 1e-7),
  lr_t = lr sqrt(1 - b2^t) / (1 - b1^t); batch 32 reshuffled every epoch, the last
  batch partial; inverted dropout; EarlyStopping(val_loss, patience 10,
  restore_best_weights: restored when it stops) and ReduceLROnPlateau(val_loss,
  factor 0.5, patience 5, min_delta 1e-4, cooldown 0) with Keras's counting rules,
  the learning rate kept in float32. Inputs are z-scored with the training set's
  mean and (population) standard deviation, as nnfit does.

--rng torch (default): initial weights, shuffles and dropout from torch/numpy
seeded with SEED: a Keras-like run, for comparing distributions over seeds.
--rng nnfit: the initial weights, shuffles and dropout masks nnfit draws for
--seed SEED (GSL's MT19937, gsl_ran_shuffle, SplitMix64 masks), so that both
start from the same weights and see the same batches: their losses must agree to
float32 rounding.

Usage: keras_reference.py [--arch ann|cnn] [--seed N] [--seeds COUNT]
         [--rng torch|nnfit] [--epochs N] [--trace] TRAIN.csv VAL.csv
CSV files as `featdump --csv` writes them (key,label,f1..fN). For each seed
SEED..SEED+COUNT-1 prints, on stdout, one line: seed, epochs run, best epoch,
restored, the first epoch's training loss, and the final model's val_loss and
val_acc; with --trace, first one line per epoch (loss acc val_loss val_acc lr,
%.9g).
"""
import argparse
import csv
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F

MASK64 = (1 << 64) - 1


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    labels = [r[1] for r in rows[1:]]
    x = np.array([[float(v) for v in r[2:]] for r in rows[1:]], dtype=np.float32)
    return x, labels


def standardize(xtr, xva):
    """scaler.c: mean and population std summed in double, row by row, stored as
    float32; applied in float32."""
    s = np.zeros(xtr.shape[1])
    for r in xtr:
        s += r.astype(np.float64)
    mean = s / len(xtr)
    ss = np.zeros(xtr.shape[1])
    for r in xtr:
        d = r.astype(np.float64) - mean
        ss += d * d
    std = np.sqrt(ss / len(xtr)).astype(np.float32)
    std[std == 0] = 1
    mean = mean.astype(np.float32)
    return (xtr - mean) / std, (xva - mean) / std


class GslMT:
    """GSL's mt19937 (gsl_rng_set, gsl_rng_get, gsl_rng_uniform, gsl_rng_uniform_int,
    gsl_ran_shuffle), bit for bit."""

    def __init__(self, seed):
        s = seed & 0xFFFFFFFF or 4357
        mt = [s]
        for i in range(1, 624):
            mt.append((1812433253 * (mt[-1] ^ (mt[-1] >> 30)) + i) & 0xFFFFFFFF)
        self.bg = np.random.MT19937()
        self.bg.state = {"bit_generator": "MT19937",
                         "state": {"key": np.array(mt, dtype=np.uint32), "pos": 624}}

    def get(self, n=None):
        return int(self.bg.random_raw()) if n is None else self.bg.random_raw(n)

    def uniform_int(self, n):
        scale = 0xFFFFFFFF // n
        while True:
            k = self.get() // scale
            if k < n:
                return k

    def shuffle(self, a):
        for i in range(len(a) - 1, 0, -1):
            j = self.uniform_int(i + 1)
            a[i], a[j] = a[j], a[i]


def splitmix64(x):
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def nnfit_mask(seed, rate, rows, width):
    """nn.c's dropout_mask for a whole batch (rows x width values)."""
    rate32 = np.float32(rate)
    i = np.arange(1, rows * width + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        r = splitmix64(np.uint64(seed) + i * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    threshold = math.ceil(float(rate32) * 4294967296.0)
    scale = np.float32(1) / (np.float32(1) - rate32)
    m = np.where(r >= threshold, scale, np.float32(0)).astype(np.float32)
    return torch.from_numpy(m.reshape(rows, width))


class Net:
    """Parameters in Keras's layouts (Dense kernel (in, out); Conv1D kernel
    (width, in_ch, filters)), listed in nnfit's order."""

    def __init__(self, arch, n_in, k):
        self.arch = arch
        if arch == "ann":
            self.shapes = [(n_in, 128), (128,), (128, 64), (64,), (64, k), (k,)]
            self.fans = [(n_in, 128), None, (128, 64), None, (64, k), None]
            self.rates, self.dropout_widths = [0.3, 0.3], [128, 64]
        else:
            flat = (n_in - 2) // 2 * 32
            self.shapes = [(3, 1, 32), (32,), (flat, 64), (64,), (64, k), (k,)]
            self.fans = [(3, 96), None, (flat, 64), None, (64, k), None]
            self.rates, self.dropout_widths = [0.5], [64]
        self.params = [torch.zeros(s, dtype=torch.float32) for s in self.shapes]

    def glorot(self, uniform01):
        """uniform01(n) -> n doubles in [0, 1); kernels in order, biases zero."""
        for p, fan in zip(self.params, self.fans):
            if fan is None:
                p.zero_()
                continue
            limit = math.sqrt(6.0 / (fan[0] + fan[1]))
            u = np.asarray(uniform01(p.numel()), dtype=np.float64)
            p.copy_(torch.from_numpy(((2.0 * u - 1.0) * limit).astype(np.float32)).view(p.shape))

    def forward(self, x, masks):
        """masks: one per dropout layer (or None: inference)."""
        w = self.params
        if self.arch == "ann":
            h = F.relu(x @ w[0] + w[1])
            if masks:
                h = h * masks[0]
            h = F.relu(h @ w[2] + w[3])
            if masks:
                h = h * masks[1]
            return h @ w[4] + w[5]
        # Conv1D channels-last: torch wants (n, in_ch, len) and (filters, in_ch, width).
        h = F.conv1d(x.unsqueeze(1), w[0].permute(2, 1, 0)) + w[1].view(1, -1, 1)
        h = F.max_pool1d(F.relu(h), 2)              # (n, 32, len)
        h = h.transpose(1, 2).reshape(len(x), -1)   # channels-last flatten
        h = F.relu(h @ w[2] + w[3])
        if masks:
            h = h * masks[0]
        return h @ w[4] + w[5]


def evaluate(net, x, y):
    with torch.no_grad():
        z = net.forward(x, None)
        loss = F.cross_entropy(z, y, reduction="sum").item() / len(x)
        acc = (z.argmax(1) == y).double().mean().item()
    return loss, acc


def main():
    ap = argparse.ArgumentParser(description="Keras's training of the seed models, in PyTorch")
    ap.add_argument("--arch", choices=["ann", "cnn"], default="ann")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--seeds", type=int, default=1, help="run seeds SEED..SEED+SEEDS-1")
    ap.add_argument("--rng", choices=["torch", "nnfit"], default="torch")
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--trace", action="store_true")
    ap.add_argument("train")
    ap.add_argument("val")
    a = ap.parse_args()
    torch.set_num_threads(1)

    xtr, ltr = read_csv(a.train)
    xva, lva = read_csv(a.val)
    classes = sorted(set(ltr))
    ytr = torch.tensor([classes.index(c) for c in ltr])
    yva = torch.tensor([classes.index(c) for c in lva])
    xtr, xva = standardize(xtr, xva)
    xtr, xva = torch.from_numpy(xtr), torch.from_numpy(xva)
    for seed in range(a.seed, a.seed + a.seeds):
        fit(a, seed, xtr, ytr, xva, yva, len(classes))


def fit(a, seed, xtr, ytr, xva, yva, k):
    n = len(xtr)
    net = Net(a.arch, xtr.shape[1], k)

    if a.rng == "nnfit":
        rng = GslMT(seed)
        net.glorot(lambda m: rng.get(m) / 4294967296.0)
        order = list(range(n))

        def epoch_order():
            rng.shuffle(order)
            return order

        def masks_for(rows):
            out = []
            for rate, width in zip(net.rates, net.dropout_widths):
                hi = rng.get() & 0xFFFFFFFF
                out.append(nnfit_mask(hi << 32 | (rng.get() & 0xFFFFFFFF), rate, rows, width))
            return out
    else:
        torch.manual_seed(seed)
        nprng = np.random.default_rng(seed)
        net.glorot(lambda m: torch.rand(m, dtype=torch.float64).numpy())

        def epoch_order():
            return nprng.permutation(n).tolist()

        def masks_for(rows):
            return [(torch.rand(rows, width) >= rate).float() / (1 - rate)
                    for rate, width in zip(net.rates, net.dropout_widths)]

    m = [torch.zeros_like(p) for p in net.params]
    v = [torch.zeros_like(p) for p in net.params]
    lr = float(np.float32(0.001))
    b1, b2, eps = 0.9, 0.999, 1e-7
    t = 0
    # EarlyStopping and ReduceLROnPlateau state, as Keras keeps it.
    es_best, es_wait, es_best_epoch, best_w = math.inf, 0, 0, None
    rl_best, rl_wait = math.inf, 0
    stopped = False
    hist = []
    for epoch in range(1, a.epochs + 1):
        order = epoch_order()
        loss_sum, correct = 0.0, 0
        for s in range(0, n, a.batch):
            idx = order[s:s + a.batch]
            xb, yb = xtr[idx], ytr[idx]
            for p in net.params:
                p.requires_grad_(True)
                p.grad = None
            z = net.forward(xb, masks_for(len(idx)))
            loss = F.cross_entropy(z, yb)
            loss.backward()
            loss_sum += loss.item() * len(idx)
            correct += (z.argmax(1) == yb).sum().item()
            t += 1
            lr_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            with torch.no_grad():
                for p, mi, vi in zip(net.params, m, v):
                    g = p.grad
                    mi += (g - mi) * (1 - b1)
                    vi += (g * g - vi) * (1 - b2)
                    p -= (mi * lr_t) / (vi.sqrt() + eps)
                    p.requires_grad_(False)
        val_loss, val_acc = evaluate(net, xva, yva)
        hist.append((loss_sum / n, correct / n, val_loss, val_acc, lr))
        if a.trace:
            print("epoch %d loss %.9g acc %.9g val_loss %.9g val_acc %.9g lr %.9g" %
                  ((epoch,) + hist[-1]))
        # EarlyStopping (tf.keras 2.x).
        if best_w is None:
            best_w = [p.clone() for p in net.params]
        es_wait += 1
        stop = False
        if val_loss < es_best:
            es_best, es_best_epoch, es_wait = val_loss, epoch, 0
            best_w = [p.clone() for p in net.params]
        elif es_wait >= 10 and epoch > 1:
            stop = True
        # ReduceLROnPlateau.
        if val_loss < rl_best - 1e-4:
            rl_best, rl_wait = val_loss, 0
        else:
            rl_wait += 1
            if rl_wait >= 5 and lr > 0:
                lr = float(np.float32(lr * 0.5))
                rl_wait = 0
        if stop:
            for p, b in zip(net.params, best_w):
                p.copy_(b)
            stopped = True
            break
    val_loss, val_acc = evaluate(net, xva, yva)
    print("seed %d arch %s rng %s epochs_run %d best_epoch %d restored %s first_loss %.9g "
          "val_loss %.9g val_acc %.9g" % (seed, a.arch, a.rng, len(hist), es_best_epoch,
                                          "yes" if stopped else "no", hist[0][0], val_loss,
                                          val_acc))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The staircase main run (docs/protocols.md §B) in idiomatic PyTorch: nn.Module, autograd, torch.optim.SGD.

  network   ReLU ResNet: Linear(n, W) -> ReLU, then (L-2) x [h <- ReLU(Linear(W, W)(h)) + h], then Linear(W, 1);
            PyTorch's default init
  target    staircase S_d(x) = (x1 + x1x2 + ... + x1...xd) / sqrt(d), or the parity x1...xd (--target chi)
  training  square loss, plain SGD (no momentum, no weight decay), lr halved every --halve-every steps,
            batches of B taken in order from a fixed training set of --train-size uniform +-1 samples (wrapping around)
  checks    every --eval-every steps (and after the last step) on one held-out set of --eval-samples samples drawn
            once before training, like bitsgd: MSE and the coefficients E[f(x) x1...xj], j = 1..d

One thread. Prints one JSON object per check, then one with the wall time of the training loop (checks included,
data generation excluded) under "seconds".

  python3 staircase_torch.py                      # the main run: n=30, d=10, L=5, W=40, 100k steps
  python3 staircase_torch.py --max-steps 3000     # a short one
"""
import argparse
import json
import math
import os
import time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--n", type=int, default=30)
p.add_argument("--d", type=int, default=10)
p.add_argument("--target", choices=["staircase", "chi"], default="staircase")
p.add_argument("--depth", type=int, default=5, help="layers L (default 5)")
p.add_argument("--width", type=int, default=40)
p.add_argument("--lr", type=float, default=0.01)
p.add_argument("--halve-every", type=int, default=15_000)
p.add_argument("--batch", type=int, default=20)
p.add_argument("--train-size", type=int, default=60_000)
p.add_argument("--max-steps", type=int, default=100_000)
p.add_argument("--eval-every", type=int, default=1000)
p.add_argument("--eval-samples", type=int, default=30_000)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--threads", type=int, default=1)
a = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(a.threads))
import torch  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)


class StaircaseResNet(torch.nn.Module):
    def __init__(self, n, width, depth):
        super().__init__()
        self.first = torch.nn.Linear(n, width)
        self.blocks = torch.nn.ModuleList([torch.nn.Linear(width, width) for _ in range(depth - 2)])
        self.last = torch.nn.Linear(width, 1)

    def forward(self, x):
        h = torch.relu(self.first(x))
        for block in self.blocks:
            h = h + torch.relu(block(h))
        return self.last(h).view(-1)


def pm1(count):
    """count uniform +-1 samples of n coordinates."""
    return torch.randint(0, 2, (count, a.n)).float() * 2 - 1


def prefixes(x):
    """x1, x1x2, ..., x1...xd for every sample: count x d."""
    return torch.cumprod(x[:, :a.d], dim=1)


def label(x):
    chi = prefixes(x)
    return chi.sum(dim=1) / math.sqrt(a.d) if a.target == "staircase" else chi[:, -1].contiguous()


model = StaircaseResNet(a.n, a.width, a.depth)
opt = torch.optim.SGD(model.parameters(), lr=a.lr)
x_train = pm1(a.train_size)
y_train = label(x_train)
x_eval = pm1(a.eval_samples)
y_eval = label(x_eval)
chi_eval = prefixes(x_eval)


@torch.no_grad()
def check(step, loss):
    f = model(x_eval)
    mse = torch.mean((f - y_eval) ** 2).item()
    coef = (chi_eval * f[:, None]).mean(dim=0).tolist()
    print(json.dumps({"step": step, "loss": loss, "eval_mse": mse, "coef": coef}), flush=True)


loss_sum, loss_count = 0.0, 0
start = time.perf_counter()
for step in range(1, a.max_steps + 1):
    rate = a.lr * 0.5 ** ((step - 1) // a.halve_every)
    for group in opt.param_groups:
        group["lr"] = rate
    lo = ((step - 1) * a.batch) % a.train_size
    if lo + a.batch <= a.train_size:
        xb, yb = x_train[lo:lo + a.batch], y_train[lo:lo + a.batch]
    else:   # the batch wraps around the end of the training set
        idx = torch.arange(lo, lo + a.batch) % a.train_size
        xb, yb = x_train[idx], y_train[idx]
    opt.zero_grad(set_to_none=True)
    loss = torch.mean((model(xb) - yb) ** 2)
    loss.backward()
    opt.step()
    loss_sum += loss.item()
    loss_count += 1
    if step % a.eval_every == 0 or step == a.max_steps:
        check(step, loss_sum / loss_count)
        loss_sum, loss_count = 0.0, 0
seconds = time.perf_counter() - start
print(json.dumps({"steps": a.max_steps, "seconds": seconds, "steps_per_second": a.max_steps / seconds}), flush=True)

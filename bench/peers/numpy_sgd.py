#!/usr/bin/python3
"""Reference trainer in NumPy: what a researcher writes instead of bitsgd, for side-by-side timing.

The same algorithm as `bitsgd train` on a sparse parity (docs/protocols.md):
  f(x) = a . relu(W x + b) + c             W: h x n, PyTorch's nn.Linear init U(+-1/sqrt(fan_in))
  loss = mean_b max(0, 1 - y_b f(x_b))     hinge; gradient -y where y f <= 1
  p <- p - lr (grad + wd p)                torch.optim.SGD with weight decay, on every parameter
  a fresh batch x ~ U{-1,+1}^n each step, y = x_1 x_2 ... x_k
  solved: error < 1% on a fixed held-out set, checked every --eval-every steps
float32 throughout; one BLAS thread unless OPENBLAS_NUM_THREADS says otherwise.

  python3 numpy_sgd.py --n 20 --k 3 --width 100 --seed 1            # train until solved, print one line
  python3 numpy_sgd.py --n 50 --k 3 --width 1000 --throughput 2     # steps/s after 200 untimed steps
"""
import argparse
import json
import os
import time

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--n", type=int, required=True)
p.add_argument("--k", type=int, required=True)
p.add_argument("--width", type=int, default=100)
p.add_argument("--batch", type=int, default=32)
p.add_argument("--lr", type=float, default=0.1)
p.add_argument("--wd", type=float, default=0.01)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--eval-samples", type=int, default=10_000)
p.add_argument("--eval-every", type=int, default=100)
p.add_argument("--max-steps", type=int, default=100_000)
p.add_argument("--throughput", type=float, default=0, metavar="SECONDS", help="time steps instead of training to a solve")
p.add_argument("--json", action="store_true", help="print one JSON object")
a = p.parse_args()
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # read when numpy loads OpenBLAS
import numpy as np  # noqa: E402

n, k, h, B = a.n, a.k, a.width, a.batch
rng = np.random.default_rng(a.seed)
f32 = np.float32
lim1, lim2 = 1 / np.sqrt(n), 1 / np.sqrt(h)
W = rng.uniform(-lim1, lim1, (h, n)).astype(f32)
b = rng.uniform(-lim1, lim1, h).astype(f32)
av = rng.uniform(-lim2, lim2, h).astype(f32)
c = f32(rng.uniform(-lim2, lim2))
SIGNS = np.array([1, -1], f32)


def draw(count, gen):
    x = SIGNS[gen.integers(0, 2, (count, n), dtype=np.int8)]
    return x, x[:, :k].prod(axis=1)


Xe, Ye = draw(a.eval_samples, np.random.default_rng(1_000_003 + a.seed))   # its own stream: training data unchanged
decay, step_lr = f32(1 - a.lr * a.wd), f32(a.lr)


# preallocated buffers and out= everywhere: a fresh temporary of 128 KB or more is a fresh mmap, and its page faults
# made steps ~10x and held-out checks ~40x slower on this machine
z, hid, delta = (np.empty((B, h), f32) for _ in range(3))
active = np.empty((B, h), bool)
f, g = np.empty(B, f32), np.empty(B, f32)
gradW = np.empty((h, n), f32)


def step():
    global c
    x, y = draw(B, rng)
    np.matmul(x, W.T, out=z)
    np.add(z, b, out=z)
    np.greater(z, 0, out=active)
    np.multiply(z, active, out=hid)              # relu
    np.matmul(hid, av, out=f)
    np.add(f, c, out=f)
    np.multiply(y, f, out=g)
    np.multiply(np.less_equal(g, 1), -y / B, out=g)   # dL/df
    np.multiply(g[:, None], av, out=delta)       # dL/dz with the old a
    np.multiply(delta, active, out=delta)
    np.matmul(delta.T, x, out=gradW)
    # p <- (1 - lr wd) p - lr grad, in place
    np.multiply(W, decay, out=W)
    np.subtract(W, step_lr * gradW, out=W)
    np.multiply(b, decay, out=b)
    np.subtract(b, step_lr * delta.sum(axis=0), out=b)
    np.multiply(av, decay, out=av)
    np.subtract(av, step_lr * (hid.T @ g), out=av)
    c = decay * c - step_lr * g.sum()


CHUNK = min(500, a.eval_samples)
ze, fe = np.empty((CHUNK, h), f32), np.empty(CHUNK, f32)


def error():
    wrong = 0
    for i in range(0, len(Xe), CHUNK):
        xe, ye = Xe[i:i + CHUNK], Ye[i:i + CHUNK]
        zc, fc = ze[:len(xe)], fe[:len(xe)]
        np.matmul(xe, W.T, out=zc)
        np.add(zc, b, out=zc)
        np.maximum(zc, 0, out=zc)
        np.matmul(zc, av, out=fc)
        np.add(fc, c, out=fc)
        wrong += int(np.count_nonzero(fc * ye <= 0))
    return wrong / len(Xe)


out = dict(impl="numpy", n=n, k=k, width=h, batch=B, lr=a.lr, wd=a.wd, seed=a.seed, numpy=np.__version__)
if a.throughput > 0:
    for _ in range(200):
        step()
    t0, steps = time.perf_counter(), 0
    while time.perf_counter() - t0 < a.throughput:
        for _ in range(100):
            step()
        steps += 100
    out.update(steps=steps, steps_per_second=steps / (time.perf_counter() - t0))
else:
    t0, steps, err = time.perf_counter(), 0, 1.0
    while steps < a.max_steps:
        step()
        steps += 1
        if steps % a.eval_every == 0:
            err = error()
            if err < 0.01:
                break
    out.update(solved=err < 0.01, steps=steps, error=err, seconds=time.perf_counter() - t0)
print(json.dumps(out) if a.json else " ".join(f"{key}={val}" for key, val in out.items()), flush=True)

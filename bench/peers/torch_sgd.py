#!/usr/bin/python3
"""Reference trainer in PyTorch (CPU): the same algorithm and command line as numpy_sgd.py.

  f(x) = a . relu(W x + b) + c             nn.Linear(n, h) -> ReLU -> nn.Linear(h, 1), PyTorch's default init
  loss = mean_b max(0, 1 - y_b f(x_b)),    p <- p - lr (grad + wd p) on every parameter
  a fresh batch x ~ U{-1,+1}^n each step, y = x_1 ... x_k; solved: error < 1% on a fixed held-out set

--impl manual (default) writes the backward by hand with preallocated buffers and folds gradient, weight decay and
the step into one in-place BLAS call per parameter: the fastest PyTorch we know for this model. --impl autograd is
the idiomatic nn.Module + loss.backward() + torch.optim.SGD. One thread unless --threads says otherwise.

  python3 torch_sgd.py --n 50 --k 3 --width 1000 --seed 1           # train until solved, print one line
  python3 torch_sgd.py --n 50 --k 3 --width 1000 --throughput 2     # steps/s after 200 untimed steps
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
p.add_argument("--impl", choices=["manual", "autograd"], default="manual")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--throughput", type=float, default=0, metavar="SECONDS", help="time steps instead of training to a solve")
p.add_argument("--json", action="store_true", help="print one JSON object")
a = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(a.threads))
import torch  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
n, k, h, B = a.n, a.k, a.width, a.batch
model = torch.nn.Sequential(torch.nn.Linear(n, h), torch.nn.ReLU(), torch.nn.Linear(h, 1))
W, b = model[0].weight.data, model[0].bias.data
av, c = model[2].weight.data.view(h), model[2].bias.data

held_out = torch.Generator().manual_seed(1_000_003 + a.seed)   # its own stream: training data unchanged
Xe = torch.randint(0, 2, (a.eval_samples, n), generator=held_out).float().mul_(-2).add_(1)
Ye = Xe[:, :k].prod(1)
X, Y = torch.empty(B, n), torch.empty(B)


def draw():
    torch.randint(0, 2, (B, n), out=X)
    X.mul_(-2).add_(1)
    torch.prod(X[:, :k], 1, out=Y)


@torch.no_grad()
def error():
    wrong = 0
    for i in range(0, len(Xe), 1000):
        f = torch.addmv(c, torch.addmm(b, Xe[i:i + 1000], W.t()).relu_(), av)
        wrong += int((f * Ye[i:i + 1000] <= 0).sum())
    return wrong / len(Xe)


if a.impl == "autograd":
    opt = torch.optim.SGD(model.parameters(), lr=a.lr, weight_decay=a.wd)

    def step():
        draw()
        opt.zero_grad(set_to_none=True)
        loss = (1 - Y * model(X).squeeze(1)).clamp(min=0).mean()
        loss.backward()
        opt.step()
else:
    hid, dhid, delta = torch.empty(B, h), torch.empty(B, h), torch.empty(B, h)
    f, g = torch.empty(B), torch.empty(B)
    hinge = torch.empty(B, dtype=torch.bool)
    ones = torch.ones(B)
    Wt = W.t()                       # a view: follows W's in-place updates
    relu_backward = torch.ops.aten.threshold_backward.grad_input
    keep = 1.0 - a.lr * a.wd         # p <- keep p - lr grad
    scale = a.lr / B                  # grad = -(1/B) (...): folded into alpha = +lr/B

    # W, b, av, c are the parameters' .data (no autograd graph), every op writes into a preallocated buffer: per-op
    # overhead is what a small step costs in PyTorch, so the step issues as few ops as it can
    def step():
        draw()
        torch.addmm(b, X, Wt, out=hid)
        hid.relu_()
        torch.addmv(c, hid, av, out=f)
        torch.mul(Y, f, out=g)
        torch.le(g, 1.0, out=hinge)
        torch.mul(Y, hinge, out=g)                 # -B dL/df
        torch.outer(g, av, out=dhid)               # with the old a
        relu_backward(dhid, hid, 0, grad_input=delta)
        W.addmm_(delta.t(), X, beta=keep, alpha=scale)
        b.addmv_(delta.t(), ones, beta=keep, alpha=scale)
        av.addmv_(hid.t(), g, beta=keep, alpha=scale)
        c.addmv_(g.view(1, B), ones, beta=keep, alpha=scale)

out = dict(impl="torch-" + a.impl, n=n, k=k, width=h, batch=B, lr=a.lr, wd=a.wd, seed=a.seed, torch=torch.__version__)
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

#!/usr/bin/python3
"""Replay a bitsgd trace through PyTorch autograd and compare, step by step.

    bin/bitsgd trace --n 20 --k 3 --width 32 --loss hinge --steps 300 --out /tmp/trace.json
    /usr/bin/python3 scripts/torch_replay.py /tmp/trace.json [--golden OUT.json]

The model is the idiomatic one a researcher writes: nn.Linear(n,h) -> ReLU -> nn.Linear(h,1), loaded
with bitsgd's initial parameters; the loss is the batch mean of hinge max(0, 1-y f), square (y-f)^2 or
logistic softplus(-y f); the optimiser is the trace's --optimizer: torch.optim.SGD(lr, weight_decay), SGD with
momentum (dampening 0, nesterov or not), Adam or AdamW (betas, eps, weight_decay), on every parameter. Every
step uses the exact batch bitsgd used. Prints the largest loss and parameter deviations; with
--golden writes torch's per-step losses and final parameters (the golden file the Java test reads).
Needs Debian's python3-torch (apt-get install python3-torch).
"""
import argparse
import json
import sys

import torch

ap = argparse.ArgumentParser()
ap.add_argument("trace")
ap.add_argument("--golden", help="write torch's losses and final parameters here")
args = ap.parse_args()

with open(args.trace) as f:
    tr = json.load(f)
cfg = tr["config"]
n, h, B = cfg["n"], cfg["width"], cfg["batch"]
torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

model = torch.nn.Sequential(torch.nn.Linear(n, h), torch.nn.ReLU(), torch.nn.Linear(h, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor(tr["init"]["w"]))
    model[0].bias.copy_(torch.tensor(tr["init"]["b"]))
    model[2].weight.copy_(torch.tensor(tr["init"]["a"]).view(1, h))
    model[2].bias.copy_(torch.tensor([tr["init"]["c"]]))
kind = cfg.get("optimizer", "sgd")
if kind == "sgd":
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], weight_decay=cfg["wd"])
elif kind in ("momentum", "nesterov"):
    opt = torch.optim.SGD(model.parameters(), lr=cfg["lr"], momentum=cfg["momentum"], dampening=0,
                          nesterov=kind == "nesterov", weight_decay=cfg["wd"])
elif kind in ("adam", "adamw"):
    make = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
    opt = make(model.parameters(), lr=cfg["lr"], betas=(cfg["beta1"], cfg["beta2"]), eps=cfg["eps"],
               weight_decay=cfg["wd"])
else:
    sys.exit("unknown optimizer " + kind)


def batch(rows):
    """hex words -> (B, n) tensor of +-1; bit i = 1 <=> x_i = -1, LSB-first (bitsgd's BitBatch layout)."""
    x = torch.empty(len(rows), n)
    for s, row in enumerate(rows):
        words = [int(w, 16) for w in row.split()]
        for i in range(n):
            x[s, i] = -1.0 if (words[i >> 6] >> (i & 63)) & 1 else 1.0
    return x


def loss_fn(f, y):
    kind = cfg["loss"]
    if kind == "hinge":
        return torch.clamp(1 - y * f, min=0).mean()
    if kind == "square":
        return ((y - f) ** 2).mean()
    if kind == "logistic":
        return torch.nn.functional.softplus(-y * f).mean()
    sys.exit("unknown loss " + kind)


losses = []
for t in range(tr["steps"]):
    x = batch(tr["x"][t])
    y = torch.tensor(tr["y"][t], dtype=torch.float32)
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x).squeeze(1), y)
    loss.backward()
    opt.step()
    losses.append(float(loss))

final = {
    "w": model[0].weight.detach().tolist(),
    "b": model[0].bias.detach().tolist(),
    "a": model[2].weight.detach().view(h).tolist(),
    "c": float(model[2].bias.detach()[0]),
}
dl = max(abs(a - b) for a, b in zip(losses, tr["loss"]))
flat = lambda p: [v for row in p["w"] for v in row] + p["b"] + p["a"] + [p["c"]]
dp = max(abs(a - b) for a, b in zip(flat(final), flat(tr["final"])))
scale = max(abs(v) for v in flat(final))
print(f"{cfg['loss']} {kind}: {tr['steps']} steps, max |loss diff| = {dl:.3e}, "
      f"max |param diff| after the last step = {dp:.3e} (largest |param| {scale:.3f}); torch {torch.__version__}")
if args.golden:
    golden = {"config": cfg, "steps": tr["steps"], "torch": torch.__version__, "loss": losses, "final": final,
              "bitsgd_kernels_at_export": tr["kernel_name"], "max_loss_diff_at_export": dl, "max_param_diff_at_export": dp}
    with open(args.golden, "w") as f:
        json.dump(golden, f)
        f.write("\n")

#!/usr/bin/python3
# gradscope.watch end to end: real PyTorch training (a Linear/ReLU/LayerNorm MLP with Adam and a
# small CNN with BatchNorm2d, log_every 1 and 3) streamed to a file, read back by
# `gradscope replay --metrics`, and every ‖grad‖ in the CSV compared with p.grad.norm() taken
# in this script after the same backward pass: within 1e-6 relative.
#
#   /usr/bin/python3 tests/python/replay_parity.py build/default/src/gradscope
#
# Exits 1 on a difference, a missing value or a replay failure.
import csv
import os
import subprocess
import sys
import tempfile

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import gradscope  # noqa: E402

torch.set_num_threads(1)
TOLERANCE = 1e-6


def mlp():
    return nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.LayerNorm(32), nn.Linear(32, 32),
                         nn.LeakyReLU(), nn.Linear(32, 3))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(), nn.Flatten(),
                         nn.Linear(8 * 6 * 6, 3))


def train(make, shape, log_every, steps, path):
    torch.manual_seed(0)
    model = make()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    norms = {}
    with gradscope.watch(model, log_every=log_every, to=path):
        for step in range(1, steps + 1):
            x = torch.randn(16, *shape)
            y = torch.randint(0, 3, (16,))
            out = model(x)
            loss = nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            norms[step] = {n: p.grad.norm().item() for n, p in model.named_parameters()}
            opt.step()
            gradscope.log(loss=loss)
    return norms


def main():
    app = sys.argv[1]
    failures, compared = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for label, make, shape, log_every, steps in (("mlp", mlp, (8,), 1, 40),
                                                     ("mlp-every-3", mlp, (8,), 3, 40),
                                                     ("cnn", cnn, (1, 6, 6), 1, 20)):
            stream = os.path.join(tmp, label + ".jsonl")
            metrics = os.path.join(tmp, label + ".csv")
            norms = train(make, shape, log_every, steps, stream)
            done = subprocess.run([app, "replay", stream, "--metrics", metrics],
                                  capture_output=True, text=True)
            if done.returncode != 0:
                print("%s: gradscope replay exited %d: %s" % (label, done.returncode,
                                                               done.stderr.strip()))
                return 1
            with open(metrics, newline="") as f:
                rows = list(csv.DictReader(f))
            expected_steps = list(range(1, steps + 1, log_every))
            if [int(r["step"]) for r in rows] != expected_steps:
                failures.append("%s: steps %s, expected %s" % (label, [r["step"] for r in rows],
                                                               expected_steps))
            for r in rows:
                step = int(r["step"])
                for name, ref in norms[step].items():
                    cell = r.get("gradnorm_" + name, "")
                    if cell == "":
                        failures.append("%s step %d: no gradnorm_%s" % (label, step, name))
                        continue
                    compared += 1
                    rel = abs(float(cell) - ref) / max(abs(ref), 1e-30)
                    if rel > TOLERANCE:
                        failures.append("%s step %d %s: replay %s, torch %.9g (%.2g relative)"
                                        % (label, step, name, cell, ref, rel))
                if r["loss"] == "":
                    failures.append("%s step %d: no loss" % (label, step))
            print("%s: %d steps, %d rows, summary:\n%s" % (label, steps, len(rows),
                                                           done.stdout.rstrip()))
    for line in failures[:20]:
        print("FAIL " + line)
    print("%d norms compared, %d failures (tolerance %g relative)"
          % (compared, len(failures), TOLERANCE))
    return 1 if failures or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

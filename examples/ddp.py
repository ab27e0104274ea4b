#!/usr/bin/python3
# Data-parallel training on 2 processes (torch.distributed, gloo, this machine only) with rank 0
# streaming: each rank trains the same MLP on its own half of each Fashion-MNIST batch,
# DistributedDataParallel averages the gradients in backward, and rank 0's watcher measures
# them after the averaging — the gradients the optimizer applies, the same on every rank.
#
#   /usr/bin/python3 examples/ddp.py [--to run.jsonl] [--steps 200] [--check]
#
# --check (with --to FILE): rank 0 also compares every streamed ‖grad‖ with p.grad.norm() of
# the averaged gradients and exits 1 on a difference over 1e-6 relative.
import json
import os
import socket
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel

from _common import arguments, fashion_mnist

import gradscope

WORLD = 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker(rank, args, port, x, y, results):
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method="tcp://127.0.0.1:%d" % port, rank=rank,
                            world_size=WORLD)
    torch.manual_seed(args.seed)  # the same initial weights on both ranks
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64),
                          nn.ReLU(), nn.Linear(64, 10))
    ddp = DistributedDataParallel(model)
    opt = torch.optim.SGD(ddp.parameters(), lr=0.1, momentum=0.9)
    # Only rank 0 streams; it watches the module inside the wrapper, so the names are the
    # model's own ("1.weight", not "module.1.weight").
    w = gradscope.watch(model, log_every=args.log_every, to=args.to,
                        name="DDP × %d, rank 0" % WORLD) if rank == 0 else None
    g = torch.Generator().manual_seed(args.seed)
    norms = {}
    for step in range(1, args.steps + 1):
        idx = torch.randint(0, len(x), (128,), generator=g)[rank::WORLD]  # this rank's half
        out = ddp(x[idx])
        loss = nn.functional.cross_entropy(out, y[idx])
        opt.zero_grad()
        loss.backward()
        if rank == 0:
            norms[step] = {n: p.grad.norm().item() for n, p in model.named_parameters()}
            gradscope.log(loss=loss, accuracy=(out.argmax(1) == y[idx]).float().mean())
        opt.step()
    if w is not None:
        w.close()
        results.put(norms)
    dist.destroy_process_group()


def check(path, norms):
    with open(path) as f:
        lines = [json.loads(line) for line in f]
    names = [p["name"] for p in lines[0]["params"]]
    worst = 0.0
    for record in lines[1:]:
        for name, value in zip(names, record["grad"]):
            ref = norms[record["step"]][name]
            worst = max(worst, abs(value - ref) / max(ref, 1e-30))
    print("check: %d records, largest relative difference from the averaged p.grad.norm(): %.2g"
          % (len(lines) - 1, worst))
    return worst <= 1e-6 and len(lines) > 1


def main():
    p = arguments(__doc__, steps=200)
    p.add_argument("--check", action="store_true",
                   help="compare the streamed norms with the averaged gradients (needs --to FILE)")
    args = p.parse_args()
    x, y = fashion_mnist("train", limit=10000)
    ctx = mp.get_context("spawn")
    results = ctx.SimpleQueue()
    procs = mp.start_processes(worker, args=(args, free_port(), x, y, results), nprocs=WORLD,
                               join=False, start_method="spawn")
    norms = results.get()  # before joining: rank 0 blocks on a full pipe until it is read
    procs.join()
    print("DDP on %d processes: %d steps, rank 0 streamed to %s"
          % (WORLD, args.steps, args.to or gradscope.default_socket_path()))
    if args.check:
        if not args.to or not os.path.isfile(args.to):
            sys.exit("--check needs --to FILE")
        sys.exit(0 if check(args.to, norms) else 1)


if __name__ == "__main__":
    main()

# What the examples share: finding the gradscope package (installed, or this source tree's
# python/), the command line every example takes, and Fashion-MNIST from Debian's
# dataset-fashion-mnist package (gzipped IDX files).
import argparse
import gzip
import os
import struct
import sys

try:
    import gradscope  # noqa: F401
except ImportError:  # run from a source tree: use its python/
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import torch

FASHION_MNIST = os.environ.get("GRADSCOPE_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
# Exit status for "cannot run here" (a missing data set), as ctest's SKIP_RETURN_CODE.
EXIT_SKIP = 77


def arguments(description, steps, log_every=1):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--to", default=None,
                   help="where to stream: a file (run.jsonl), 127.0.0.1:PORT, or nothing for the "
                        "running app (gradscope --watch)")
    p.add_argument("--steps", type=int, default=steps, help="training steps (default %(default)s)")
    p.add_argument("--log-every", type=int, default=log_every,
                   help="log every N steps (default %(default)s)")
    p.add_argument("--seed", type=int, default=0)
    return p


def destination(to, suffix):
    """A file destination gets a suffix per run (two runs cannot share a file); the app's
    socket and a port take several runs at once."""
    if to is None or not to.endswith(".jsonl"):
        return to
    return to[:-len(".jsonl")] + "-" + suffix + ".jsonl"


def _idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(data[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def fashion_mnist(split="train", limit=None):
    """(images float (N, 1, 28, 28) in [0, 1], labels long (N,)), or exit 77 without the data."""
    prefix = "train" if split == "train" else "t10k"
    images = os.path.join(FASHION_MNIST, prefix + "-images-idx3-ubyte.gz")
    labels = os.path.join(FASHION_MNIST, prefix + "-labels-idx1-ubyte.gz")
    if not os.path.exists(images):
        print("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); looked in "
              + FASHION_MNIST, file=sys.stderr)
        sys.exit(EXIT_SKIP)
    x = _idx(images)[:limit].float().div_(255).unsqueeze(1)
    y = _idx(labels)[:limit].long()
    return x, y

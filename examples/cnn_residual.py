#!/usr/bin/python3
# A small CNN with BatchNorm2d and a residual block on Fashion-MNIST, watched: convolution
# kernels, batch-norm scales and shifts are parameter tensors like any other, and the ReLUs'
# dead share counts channels (a channel is dead when it is <= 0 at every position of every
# image of the batch).
#
#   /usr/bin/python3 examples/cnn_residual.py [--to run.jsonl] [--steps 200]
import torch
import torch.nn as nn

from _common import arguments, fashion_mnist

import gradscope


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)
        self.relu2 = nn.ReLU()

    def forward(self, x):
        return self.relu2(x + self.bn2(self.conv2(self.relu1(self.bn1(self.conv1(x))))))


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU(), nn.MaxPool2d(2))
        self.block = Residual(16)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))

    def forward(self, x):
        return self.head(self.block(self.stem(x)))


def main():
    args = arguments(__doc__, steps=200).parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    x, y = fashion_mnist("train", limit=10000)
    xt, yt = fashion_mnist("test", limit=1000)
    model = SmallCnn()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    g = torch.Generator().manual_seed(args.seed)
    with gradscope.watch(model, log_every=args.log_every, to=args.to, name="CNN + residual"):
        for step in range(args.steps):
            idx = torch.randint(0, len(x), (64,), generator=g)
            out = model(x[idx])
            loss = nn.functional.cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            gradscope.log(loss=loss, accuracy=(out.argmax(1) == y[idx]).float().mean())
    model.eval()
    with torch.no_grad():
        acc = (model(xt).argmax(1) == yt).float().mean().item()
    print("CNN + residual: %d steps, last loss %.3f, test accuracy %.3f" % (args.steps, loss, acc))


if __name__ == "__main__":
    main()

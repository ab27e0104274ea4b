#!/usr/bin/python3
# An LSTM on a long-range task, watched: each sequence is 40 random values and its class is the
# sign of the first one, so the only useful gradient travels back through all 40 time steps.
# Two runs side by side: the forget gate's bias at PyTorch's default 0 (σ(0) = 1/2 kept a
# step, 2^-40 of the first value's gradient left) and at 3 (σ(3) ≈ 0.95). In the app the
# second run's loss leaves ln 2 ≈ 0.69 and its LSTM weight gradients grow; the first stays.
#
#   /usr/bin/python3 examples/lstm_long_range.py [--to run.jsonl] [--steps 400] [--length 40]
import torch
import torch.nn as nn

from _common import arguments, destination

import gradscope


class Classifier(nn.Module):
    def __init__(self, forget_bias, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        with torch.no_grad():  # PyTorch's gate order: input, forget, cell, output
            self.lstm.bias_ih_l0[hidden:2 * hidden] = forget_bias
            self.lstm.bias_hh_l0[hidden:2 * hidden] = 0
        self.head = nn.Linear(hidden, 2)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def batch(n, length, g):
    x = torch.randn(n, length, 1, generator=g)
    return x, (x[:, 0, 0] > 0).long()


def main():
    p = arguments(__doc__, steps=400)
    p.add_argument("--length", type=int, default=40, help="sequence length (default 40)")
    args = p.parse_args()
    torch.set_num_threads(1)
    runs = []
    for forget_bias in (0.0, 3.0):
        torch.manual_seed(args.seed)
        model = Classifier(forget_bias)
        w = gradscope.watch(model, log_every=args.log_every,
                            to=destination(args.to, "forget%g" % forget_bias),
                            name="LSTM, forget bias %g" % forget_bias)
        runs.append((forget_bias, model, torch.optim.Adam(model.parameters(), lr=1e-2), w))
    g = torch.Generator().manual_seed(args.seed)
    for step in range(args.steps):
        x, y = batch(64, args.length, g)
        for _, model, opt, w in runs:
            out = model(x)
            loss = nn.functional.cross_entropy(out, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            w.log(loss=loss, accuracy=(out.argmax(1) == y).float().mean())
    x, y = batch(1000, args.length, g)
    for forget_bias, model, _, w in runs:
        w.close()
        with torch.no_grad():
            acc = (model(x).argmax(1) == y).float().mean().item()
        print("LSTM over %d steps, forget bias %g: accuracy on fresh sequences %.3f"
              % (args.length, forget_bias, acc))


if __name__ == "__main__":
    main()

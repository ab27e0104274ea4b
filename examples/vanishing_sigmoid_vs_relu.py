#!/usr/bin/python3
# Vanishing gradients in a model of your own: a 20-layer MLP on Fashion-MNIST with sigmoid
# units beside the same MLP with ReLU units, both watched. In the app's Gradient flow panel the
# sigmoid network's ‖grad‖ falls by orders of magnitude from the output back to the input
# while the ReLU network's stays within one; only the ReLU network learns in these few
# hundred steps.
#
#   gradscope --watch &  /usr/bin/python3 examples/vanishing_sigmoid_vs_relu.py
#   /usr/bin/python3 examples/vanishing_sigmoid_vs_relu.py --to run.jsonl   # run-sigmoid.jsonl, run-relu.jsonl
import torch
import torch.nn as nn

from _common import arguments, destination, fashion_mnist

import gradscope


def deep_mlp(activation, depth=20, width=64):
    layers, n = [nn.Flatten()], 28 * 28
    for _ in range(depth):
        linear = nn.Linear(n, width)
        # Each activation's best-known initializer (He for ReLU, Glorot for sigmoid), so the
        # difference left is the activation's derivative: σ' ≤ 1/4 against ReLU's 1.
        if activation is nn.ReLU:
            nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
        else:
            nn.init.xavier_normal_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers += [linear, activation()]
        n = width
    layers.append(nn.Linear(n, 10))
    return nn.Sequential(*layers)


def main():
    args = arguments(__doc__, steps=300).parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    x, y = fashion_mnist("train", limit=10000)
    xt, yt = fashion_mnist("test", limit=2000)
    runs = {}
    for name, act in (("sigmoid", nn.Sigmoid), ("relu", nn.ReLU)):
        torch.manual_seed(args.seed)  # the same weights for both
        model = deep_mlp(act)
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        w = gradscope.watch(model, log_every=args.log_every, to=destination(args.to, name),
                            name="20 × 64 " + name)
        runs[name] = (model, opt, w)
    g = torch.Generator().manual_seed(args.seed)
    first_last = {}
    for step in range(args.steps):
        idx = torch.randint(0, len(x), (64,), generator=g)
        for name, (model, opt, w) in runs.items():
            out = model(x[idx])
            loss = nn.functional.cross_entropy(out, y[idx])
            opt.zero_grad()
            loss.backward()
            first_last[name] = (model[1].weight.grad.norm().item(),
                                model[-1].weight.grad.norm().item())
            opt.step()
            w.log(loss=loss, accuracy=(out.argmax(1) == y[idx]).float().mean())
    for name, (model, opt, w) in runs.items():
        w.close()
        with torch.no_grad():
            acc = (model(xt).argmax(1) == yt).float().mean().item()
        first, last = first_last[name]
        print("%-8s test accuracy %.3f; last step ‖grad‖ of layer 1 %.3g, of the output layer "
              "%.3g (ratio %.3g)" % (name, acc, first, last, first / last))


if __name__ == "__main__":
    main()

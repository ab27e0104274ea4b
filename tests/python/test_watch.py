#!/usr/bin/python3
# The Python package gradscope (python/gradscope) on real torch training: what it measures
# against torch's own numbers, the stream it writes (docs/STREAM.md), and that nothing it does
# reaches the training loop — no app, a slow app, an app that closes, an error in a hook.
#
#   PYTHONPATH=python /usr/bin/python3 -m unittest tests/python/test_watch.py
import contextlib
import io
import json
import os
import socket
import sys
import tempfile
import threading
import unittest

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import gradscope  # noqa: E402
from gradscope import _sink, _stream  # noqa: E402

torch.set_num_threads(1)
# A test that waits on a socket fails after this long instead of hanging.
socket.setdefaulttimeout(30)


def mlp(depth=3, width=16, act=nn.ReLU):
    layers, n = [], 4
    for _ in range(depth):
        layers += [nn.Linear(n, width), act()]
        n = width
    layers.append(nn.Linear(n, 1))
    return nn.Sequential(*layers)


def train(model, steps, opt=None, log=True, batch=32, nan_at=None):
    """Runs `steps` SGD steps; returns every step's p.grad.norm() and parameters before/after."""
    opt = opt or torch.optim.SGD(model.parameters(), lr=0.05)
    norms, ratios = [], []
    for i in range(steps):
        x = torch.randn(batch, 4)
        y = x.sum(1, keepdim=True)
        out = model(x)
        loss = ((out - y) ** 2).mean()
        if nan_at is not None and i + 1 == nan_at:
            loss = loss * float("nan")
        opt.zero_grad()
        loss.backward()
        norms.append([p.grad.norm().item() for p in model.parameters()])
        before = [p.detach().clone() for p in model.parameters()]
        opt.step()
        ratios.append([((p.detach() - b).norm() / p.detach().norm()).item()
                       for p, b in zip(model.parameters(), before)])
        if log:
            gradscope.log(loss=loss, accuracy=0.5)
    return norms, ratios


def read_stream(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data.endswith(b"\n")
    lines = [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return lines[0], lines[1:]


def StderrCapture():
    """A with block whose target is the StringIO that stderr went to."""
    return contextlib.redirect_stderr(io.StringIO())


class Base(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "run.jsonl")
        _sink._warned.clear()

    def tearDown(self):
        self.dir.cleanup()


class FileStream(Base):
    def test_header_names_params_in_forward_order(self):
        class Net(nn.Module):  # declared out of forward order on purpose
            def __init__(self):
                super().__init__()
                self.head = nn.Linear(8, 1)
                self.act = nn.ReLU()
                self.body = nn.Linear(4, 8)

            def forward(self, x):
                return self.head(self.act(self.body(x)))

        with gradscope.watch(Net(), to=self.path, name="net") as w:
            train(w._model, 2)
        header, records = read_stream(self.path)
        self.assertEqual(header["gradscope_stream"], 1)
        self.assertEqual(header["name"], "net")
        self.assertEqual([m["name"] for m in header["modules"]], ["body", "act", "head"])
        self.assertEqual(header["modules"][1], {"name": "act", "type": "ReLU", "relu": True})
        self.assertEqual([p["name"] for p in header["params"]],
                         ["body.weight", "body.bias", "head.weight", "head.bias"])
        self.assertEqual(header["params"][0]["shape"], [8, 4])
        self.assertEqual([p["module"] for p in header["params"]], [0, 0, 2, 2])
        self.assertEqual([r["step"] for r in records], [1, 2])

    def test_norms_and_ratios_match_torch(self):
        model = mlp()
        with gradscope.watch(model, to=self.path) as w:
            norms, ratios = train(model, 5)
        self.assertEqual(w.errors, 0)
        header, records = read_stream(self.path)
        names = [n for n, _ in model.named_parameters()]
        order = [names.index(p["name"]) for p in header["params"]]
        self.assertEqual(len(records), 5)
        for r in records:
            for k, i in enumerate(order):
                self.assertAlmostEqual(r["grad"][k], norms[r["step"] - 1][i],
                                       delta=1e-6 * norms[r["step"] - 1][i])
                self.assertAlmostEqual(r["ratio"][k], ratios[r["step"] - 1][i],
                                       delta=1e-4 * ratios[r["step"] - 1][i] + 1e-9)
            self.assertAlmostEqual(r["scalars"]["accuracy"], 0.5)
            self.assertIn("loss", r["scalars"])
            for m, dz in zip(header["modules"], r["dz"]):
                self.assertEqual(dz is None, m.get("relu", False))
                if dz is not None:
                    self.assertGreater(dz, 0)

    def test_log_every_and_no_grad_forwards(self):
        model = mlp()
        with gradscope.watch(model, to=self.path, log_every=3) as w:
            for _ in range(7):
                train(model, 1)
                with torch.no_grad():
                    model(torch.randn(5, 4))  # evaluation: not a step
            self.assertEqual(w.step, 7)
        _, records = read_stream(self.path)
        self.assertEqual([r["step"] for r in records], [1, 4, 7])

    def test_dead_share_linear_and_conv(self):
        lin = nn.Linear(4, 6)
        with torch.no_grad():
            lin.bias[:2] = -100.0  # two of six units never fire
        model = nn.Sequential(lin, nn.ReLU(), nn.Linear(6, 1))
        with gradscope.watch(model, to=self.path):
            train(model, 1)
        header, records = read_stream(self.path)
        self.assertAlmostEqual(records[0]["dead"][1], 2 / 6)
        self.assertIsNone(records[0]["dead"][0])

        conv = nn.Conv2d(1, 4, 3, padding=1)
        with torch.no_grad():
            conv.bias[3] = -100.0  # one of four channels never fires anywhere
        net = nn.Sequential(conv, nn.LeakyReLU(), nn.Flatten(), nn.Linear(4 * 25, 1))
        path2 = os.path.join(self.dir.name, "conv.jsonl")
        with gradscope.watch(net, to=path2):
            x = torch.randn(8, 1, 5, 5)
            net(x).sum().backward()
            net(x)  # the next forward writes step 1's record
        header, records = read_stream(path2)
        self.assertEqual([m["type"] for m in header["modules"]], ["Conv2d", "LeakyReLU", "Linear"])
        self.assertAlmostEqual(records[0]["dead"][1], 0.25)

    def test_non_finite_values_are_strings(self):
        model = mlp()
        with gradscope.watch(model, to=self.path):
            train(model, 2, nan_at=2)
        with open(self.path) as f:
            text = f.read()
        self.assertNotIn("NaN", text)
        _, records = read_stream(self.path)
        self.assertEqual(records[1]["grad"][0], "nan")
        self.assertEqual(records[1]["scalars"]["loss"], "nan")

    def test_close_detaches_every_hook(self):
        model = mlp()
        w = gradscope.watch(model, to=self.path)
        train(model, 2)
        w.close()
        w.close()  # twice is fine
        for m in model.modules():
            self.assertFalse(m._forward_hooks)
            self.assertFalse(m._forward_pre_hooks)
        size = os.path.getsize(self.path)
        train(model, 2)
        self.assertEqual(os.path.getsize(self.path), size)

    def test_wrong_arguments_raise_at_once(self):
        with self.assertRaises(TypeError):
            gradscope.watch("model", to=self.path)
        with self.assertRaises(ValueError):
            gradscope.watch(mlp(), to=self.path, log_every=0)
        with self.assertRaises(OSError):
            gradscope.watch(mlp(), to=os.path.join(self.dir.name, "no", "such", "dir.jsonl"))

    def test_limits(self):
        with self.assertRaises(_stream.StreamLimitError):
            _stream.encode_header("n", 1, [], [("p%d" % i, (1,), 0) for i in range(10001)], "x")
        with self.assertRaises(_stream.StreamLimitError):
            _stream.encode_header("n", 1, [("m", "Linear", False)], [("x" * 257, (1,), 0)], "x")
        line = _stream.encode_record(1, [1e-30, float("inf")], [None, 0.5], [], [], {"loss": 2})
        self.assertEqual(json.loads(line)["grad"], [1e-30, "inf"])


class NeverInTheWay(Base):
    def socket_path(self):
        return os.path.join(self.dir.name, "watch.sock")

    def test_no_app_warns_once_and_trains(self):
        model = mlp()
        with StderrCapture() as err:
            with gradscope.watch(model, to="unix:" + self.socket_path()) as w:
                train(model, 5)
        self.assertEqual(err.getvalue().count("no gradscope app is watching"), 1)
        self.assertEqual(w.errors, 0)

    def test_default_socket_path(self):
        old = dict(os.environ)
        try:
            os.environ.pop("GRADSCOPE_SOCKET", None)
            os.environ["XDG_RUNTIME_DIR"] = "/run/user/1000"
            self.assertEqual(gradscope.default_socket_path(), "/run/user/1000/gradscope-watch.sock")
            os.environ["GRADSCOPE_SOCKET"] = "/x/y.sock"
            self.assertEqual(gradscope.default_socket_path(), "/x/y.sock")
        finally:
            os.environ.clear()
            os.environ.update(old)

    def test_app_that_never_reads_gets_whole_lines_and_bounded_memory(self):
        server = socket.socket(socket.AF_UNIX)
        server.bind(self.socket_path())
        server.listen(1)
        old = _sink.MAX_BUFFER_BYTES
        _sink.MAX_BUFFER_BYTES = 64 * 1024  # fills within a few steps
        try:
            model = mlp(depth=4, width=64)
            with StderrCapture() as err:
                w = gradscope.watch(model, to="unix:" + self.socket_path())
                train(model, 400)
                conn, _ = server.accept()
                self.assertLessEqual(len(w._sink._buffer), _sink.MAX_BUFFER_BYTES)
                self.assertGreater(w._sink.dropped, 0)
                # The app starts reading: everything it gets is whole lines, header first.
                received = bytearray()

                def drain():
                    while True:
                        chunk = conn.recv(1 << 16)
                        if not chunk:
                            return
                        received.extend(chunk)

                reader = threading.Thread(target=drain)
                reader.start()
                w.close()
                reader.join(10)
                conn.close()
            self.assertIn("not keeping up", err.getvalue())
            lines = bytes(received).decode().splitlines()
            self.assertTrue(bytes(received).endswith(b"\n"))
            self.assertIn("gradscope_stream", json.loads(lines[0]))
            steps = [json.loads(line)["step"] for line in lines[1:]]
            self.assertEqual(steps, sorted(steps))
        finally:
            _sink.MAX_BUFFER_BYTES = old
            server.close()

    def test_app_that_closes_and_comes_back(self):
        old = _sink.RECONNECT_SECONDS
        _sink.RECONNECT_SECONDS = 0.0
        server = socket.socket(socket.AF_UNIX)
        server.bind(self.socket_path())
        server.listen(2)
        try:
            model = mlp()
            with StderrCapture() as err:
                w = gradscope.watch(model, to="unix:" + self.socket_path())
                train(model, 2)
                first, _ = server.accept()
                self.assertIn(b"gradscope_stream", first.recv(1 << 16))
                first.close()  # the app goes away mid-run
                train(model, 5)
                second, _ = server.accept()  # and comes back: the header comes first again
                train(model, 2)
                w.close()
                data = b""
                while True:
                    chunk = second.recv(1 << 16)
                    if not chunk:
                        break
                    data += chunk
                second.close()
            self.assertIn("closed the connection", err.getvalue())
            lines = data.decode().splitlines()
            self.assertIn("gradscope_stream", json.loads(lines[0]))
            self.assertGreater(len(lines), 1)
            self.assertEqual(w.errors, 0)
        finally:
            _sink.RECONNECT_SECONDS = old
            server.close()

    def test_an_error_inside_a_hook_never_reaches_the_loop(self):
        model = mlp()
        with StderrCapture() as err:
            with gradscope.watch(model, to=self.path) as w:
                def broken(*args):
                    raise RuntimeError("disk on fire")
                w._sink.write = broken
                train(model, 4)
        self.assertEqual(err.getvalue().count("disk on fire"), 1)
        self.assertGreater(w.errors, 0)

    def test_log_without_a_watcher_is_a_no_op(self):
        gradscope.log(loss=1.0, accuracy=torch.tensor(0.5))


if __name__ == "__main__":
    unittest.main()

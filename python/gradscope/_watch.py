# The hooks that watch a PyTorch module train. On steps that are not logged only the root
# module's forward pre-hook runs (one Python call); a logged step attaches forward hooks to the
# modules for that one forward, and the first gradient that reaches a hooked output queues one
# callback for the end of backward, which takes every parameter's gradient norm with one
# torch._foreach_norm and a copy of the parameters. The next training forward (after
# optimizer.step()) measures the update ratio and writes the record. Any exception inside a
# hook is caught, reported once and the step's record dropped: the training loop never sees it.
import atexit
import traceback

import torch

from . import _sink
from ._stream import (RELU_FAMILY, MAX_SCALARS, StreamLimitError, check_scalar_key,
                      encode_header, encode_record)

_open = []  # open watchers, oldest first (gradscope.log adds to each)


def _first_tensor(value):
    if isinstance(value, torch.Tensor):
        return value
    if isinstance(value, (tuple, list)):
        for v in value:
            t = _first_tensor(v)
            if t is not None:
                return t
    if isinstance(value, dict):
        for v in value.values():
            t = _first_tensor(v)
            if t is not None:
                return t
    return None


def _unit_peaks(y):
    """Each unit's largest output over the batch (docs/STREAM.md, "Dead units"), flattened: a
    unit is dead when its peak is <= 0. One reduction; the counting waits for the record."""
    y = y.detach()
    if y.dim() <= 1:
        return y.reshape(-1)
    if y.dim() == 2:
        return y.amax(dim=0)
    return y.amax(dim=[0] + list(range(2, y.dim())))


def _is_relu(module):
    return type(module).__name__ in RELU_FAMILY and isinstance(module, torch.nn.Module)


def _queue_callback(fn):
    torch.autograd.Variable._execution_engine.queue_callback(fn)


class Watcher:
    """Streams one module's gradient flow. Made by gradscope.watch(); close() or a with block
    detaches every hook and sends what is pending."""

    def __init__(self, model, log_every=1, to=None, name=None):
        if not isinstance(model, torch.nn.Module):
            raise TypeError("gradscope.watch: expected a torch.nn.Module, got %s"
                            % type(model).__name__)
        if isinstance(log_every, bool) or not isinstance(log_every, int) or log_every < 1:
            raise ValueError("gradscope.watch: log_every must be an integer >= 1, got %r"
                             % (log_every,))
        self.name = name if name is not None else type(model).__name__
        self.log_every = log_every
        self._model = model
        self._params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
        if not self._params:
            raise StreamLimitError("gradscope.watch: %s has no parameters that require a "
                                   "gradient" % self.name)
        # Candidates for the header's modules: owners of parameters and the ReLU family.
        self._candidates = [(n, m) for n, m in model.named_modules()
                            if _is_relu(m) or any(True for _ in m.parameters(recurse=False))]
        self._sink = _sink.make_sink(to)
        self.where = self._sink.where
        self._step = 0
        self._logged = False       # the current step is logged
        self._header_sent = False
        self._order = []           # module indices (into _candidates) in first-call order
        self._modules = None       # header modules: (name, module) after the first step
        self._module_hooks = []    # handles for the logged step's forward
        # Logging (nearly) every step, hooks that stay cost less than attaching them each step;
        # otherwise the steps in between run with no module hook at all.
        self._keep_hooks = log_every <= 2
        self._dz = {}              # header module index -> 0-d tensor
        self._dead = {}
        self._queued = False
        self._pending = None       # the logged step waiting for its update ratio
        self._remap = {}           # first step: candidate index -> header module index
        self._scalars = {}
        self.dropped = 0
        self.errors = 0
        self._closed = False
        self._root_pre = model.register_forward_pre_hook(self._guard(self._pre_forward))
        self._root_post = model.register_forward_hook(self._guard(self._post_forward))
        _open.append(self)

    # -- public --

    @property
    def step(self):
        """Training forwards seen so far (the current step's number)."""
        return self._step

    def log(self, **scalars):
        """Adds the user's numbers (tensors or floats) to the current step's record."""
        if not self._logged or self._closed:
            return
        try:
            for key, value in scalars.items():
                why = check_scalar_key(key)
                if why is None and key not in self._scalars and len(self._scalars) >= MAX_SCALARS:
                    why = "at most %d scalars a step" % MAX_SCALARS
                if why is not None:
                    _sink.warn_once(("scalar", key), "log(): %s; ignored" % why)
                    continue
                self._scalars[key] = None if value is None else float(value)
        except Exception as e:
            _sink.warn_once("log", "log(): %s; values ignored" % e)

    def close(self):
        """Detaches every hook, writes the last logged step and closes the stream."""
        if self._closed:
            return
        self._closed = True
        for h in (self._root_pre, self._root_post):
            h.remove()
        self._remove_module_hooks()
        try:
            if self._pending is not None:
                self._finish_pending()
        except Exception as e:
            self._report(e)
        self._sink.close()
        dropped = self.dropped + self._sink.dropped
        if dropped:
            _sink.warn_once(("dropped", id(self)), "%s: %d records were not delivered to %s"
                            % (self.name, dropped, self.where))
        if self in _open:
            _open.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- hooks --

    def _guard(self, fn):
        def hook(*args):
            try:
                return fn(*args)
            except Exception as e:
                self._report(e)
            return None
        return hook

    def _report(self, e):
        self.errors += 1
        self._pending = None
        self._logged = False
        _sink.warn_once(("hook", type(e).__name__), "an error inside the hooks was caught (the "
                        "step's record is dropped, training goes on): %s"
                        % "".join(traceback.format_exception_only(type(e), e)).strip())

    def _pre_forward(self, module, inputs):
        if not torch.is_grad_enabled() or self._closed:
            return None
        if self._pending is not None:
            self._finish_pending()
        self._step += 1
        self._logged = (self._step - 1) % self.log_every == 0
        self._scalars = {}
        self._dz, self._dead = {}, {}
        if self._logged and not (self._keep_hooks and self._module_hooks):
            self._attach_module_hooks()
        return None

    def _post_forward(self, module, inputs, output):
        if not self._logged:
            return None
        if not self._keep_hooks or self._modules is None:
            self._remove_module_hooks()
        if not self._header_sent:
            self._send_header()
            if self._keep_hooks:
                self._attach_module_hooks()
        # The output's gradient starts the end-of-backward callback even when no hooked module
        # output takes part (e.g. a model that is a single parameter-free op around others).
        t = _first_tensor(output)
        if t is not None and t.requires_grad:
            t.register_hook(self._guard(self._grad_arrived))
        return None

    def _attach_module_hooks(self):
        if self._modules is None:  # first step: learn the forward order
            for i, (_, m) in enumerate(self._candidates):
                self._module_hooks.append(m.register_forward_hook(self._guard(self._first_call(i))))
        else:
            for j, (_, m) in enumerate(self._modules):
                self._module_hooks.append(m.register_forward_hook(self._guard(self._module_hook(j))))

    def _remove_module_hooks(self):
        for h in self._module_hooks:
            h.remove()
        self._module_hooks = []

    def _first_call(self, i):
        def hook(module, inputs, output):
            if i not in self._order:
                self._order.append(i)
            self._measure_module(i, module, output, first=True)
        return hook

    def _module_hook(self, j):
        def hook(module, inputs, output):
            if self._logged:
                self._measure_module(j, module, output, first=False)
        return hook

    def _measure_module(self, key, module, output, first):
        # On the first step `key` indexes _candidates: _send_header() (at the end of that
        # forward) maps the forward's measurements to header indices, the backward's map here.
        y = _first_tensor(output)
        if y is None:
            return
        if _is_relu(module):
            self._dead[key] = _unit_peaks(y)
        elif y.requires_grad:
            def dz(grad):
                k = self._remap.get(key) if first else key
                if k is not None:
                    # Σ|g| in one kernel; divided by the count when the record is written.
                    self._dz[k] = (torch.linalg.vector_norm(grad.detach(), 1), grad.numel())
                self._grad_arrived(grad)
            y.register_hook(self._guard(dz))

    def _grad_arrived(self, grad):
        if self._logged and not self._queued:
            self._queued = True
            _queue_callback(self._guard(self._end_backward_first))

    def _end_backward_first(self):
        # Runs again after the callbacks queued behind it, so DistributedDataParallel's (queued
        # when its last bucket is ready) has averaged the gradients before they are measured.
        _queue_callback(self._guard(self._end_backward))

    def _end_backward(self):
        self._queued = False
        if not self._logged:
            return
        with torch.no_grad():  # no autograd bookkeeping, and no detach() per tensor
            params = [p for _, p in self._params]
            have = [i for i, p in enumerate(params) if p.grad is not None]
            norms = self._norms([params[i].grad for i in have])
            before = self._copy([params[i] for i in have])
        self._pending = {"step": self._step, "have": have, "norms": norms, "before": before,
                         "dz": self._dz, "dead": self._dead, "scalars": self._scalars}

    @staticmethod
    def _norms(tensors):
        if not tensors:
            return []
        try:
            return list(torch._foreach_norm(tensors))
        except (RuntimeError, TypeError):  # sparse, mixed devices
            return [t.norm() for t in tensors]

    @staticmethod
    def _copy(tensors):
        if not tensors:
            return []
        try:
            return list(torch._foreach_mul(tensors, 1.0))
        except (RuntimeError, TypeError):
            return [t.clone() for t in tensors]

    @staticmethod
    def _values(tensors):
        """Many 0-d tensors to floats with one device sync where they share a device and dtype."""
        if not tensors:
            return []
        try:
            return torch.stack(tensors).tolist()
        except RuntimeError:
            try:
                return torch.stack([t.float().cpu() for t in tensors]).tolist()
            except RuntimeError:
                return [float(t) for t in tensors]

    @staticmethod
    def _dead_shares(peaks):
        """Per module, the share of its units whose peak is <= 0, from one comparison over all
        modules' units read back at once."""
        if not peaks:
            return []
        try:
            dead = (torch.cat([p.reshape(-1) for p in peaks]) <= 0).tolist()
        except RuntimeError:  # mixed devices
            dead = [d for p in peaks for d in (p <= 0).reshape(-1).tolist()]
        shares, start = [], 0
        for p in peaks:
            size = p.numel()
            shares.append(sum(dead[start:start + size]) / size if size else 0.0)
            start += size
        return shares

    def _finish_pending(self):
        with torch.no_grad():
            self._write_pending()

    def _write_pending(self):
        pending, self._pending = self._pending, None
        have = pending["have"]
        now = [self._params[i][1] for i in have]
        # ‖p_after − p_before‖ and ‖p_after‖ in one batched norm call.
        both = self._norms(list(torch._foreach_sub(now, pending["before"])) + now) if now else []
        step_norms, param_norms = both[:len(now)], both[len(now):]
        n = len(have)
        dz_keys = sorted(pending["dz"])
        dead_keys = sorted(pending["dead"])
        values = self._values(pending["norms"] + step_norms + param_norms +
                              [pending["dz"][k][0] for k in dz_keys])
        dead_shares = self._dead_shares([pending["dead"][k] for k in dead_keys])
        P, M = len(self._params), len(self._modules)
        grad, ratio = [None] * P, [None] * P
        for k, i in enumerate(have):
            grad[i] = values[k]
            step, size = values[n + k], values[2 * n + k]
            ratio[i] = step / size if size > 0 else (0.0 if step == 0 else float("inf"))
        dz, dead = [None] * M, [None] * M
        for k, key in enumerate(dz_keys):
            count = pending["dz"][key][1]
            dz[key] = values[3 * n + k] / count if count else None
        for k, key in enumerate(dead_keys):
            dead[key] = dead_shares[k]
        line = encode_record(pending["step"], grad, ratio, dz, dead, pending["scalars"])
        self._sink.write(line)

    def _send_header(self):
        # Header modules: called ones in call order, then uncalled owners of parameters.
        called = list(self._order)
        rest = [i for i, (_, m) in enumerate(self._candidates)
                if i not in called and any(True for _ in m.parameters(recurse=False))]
        chosen = called + rest
        self._modules = [self._candidates[i] for i in chosen]
        index_of = {i: j for j, i in enumerate(chosen)}
        owner = {}
        for j, (m_name, m) in enumerate(self._modules):
            for p_name, p in m.named_parameters(recurse=False):
                owner.setdefault(id(p), j)
        params = sorted(self._params, key=lambda np: owner.get(id(np[1]), len(self._modules)))
        # A parameter shared by two modules belongs to the first; any left (none expected)
        # would sit past the end and be refused by the reader, so they are dropped here.
        self._params = [(n, p) for n, p in params if id(p) in owner]
        header = encode_header(
            self.name, self.log_every,
            [(n, type(m).__name__, _is_relu(m)) for n, m in self._modules],
            [(n, tuple(p.shape), owner[id(p)]) for n, p in self._params],
            torch.__version__)
        # The first step's measurements were keyed by candidate index.
        self._dz = {index_of[k]: v for k, v in self._dz.items() if k in index_of}
        self._dead = {index_of[k]: v for k, v in self._dead.items() if k in index_of}
        self._remap = index_of
        self._sink.begin(header)
        self._header_sent = True


def watch(model, log_every=1, to=None, name=None):
    """Streams `model`'s gradient flow to the gradscope app (to=None), a file (to="run.jsonl")
    or a loopback port (to="127.0.0.1:PORT"). Returns a Watcher; close() it or use a with block.

    Raises only here, for a wrong argument or an unwritable file; once training runs, nothing
    the package does raises into the training loop."""
    return Watcher(model, log_every=log_every, to=to, name=name)


def log(**scalars):
    """Adds numbers to the current step of every open watcher: gradscope.log(loss=loss,
    accuracy=acc). Tensors are read only on logged steps."""
    for w in list(_open):
        w.log(**scalars)


@atexit.register
def _close_all():
    for w in list(_open):
        try:
            w.close()
        except Exception:
            pass

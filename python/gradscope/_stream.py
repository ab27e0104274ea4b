# The watch stream's lines (docs/STREAM.md is the definition): the header and the per-step
# records as bytes, and the limits a reader enforces, so the writer never produces a stream the
# app would refuse.
import json
import math

FORMAT_VERSION = 1
MAX_LINE_BYTES = 4 * 1024 * 1024
MAX_TENSORS = 10_000
MAX_MODULES = 10_000
MAX_NAME_BYTES = 256
MAX_TYPE_BYTES = 64
MAX_DIMS = 8
MAX_SCALARS = 64
MAX_SCALAR_KEY_BYTES = 64

# The ReLU family: modules whose units can die (output <= 0 for a whole batch).
RELU_FAMILY = ("ReLU", "ReLU6", "LeakyReLU", "PReLU", "RReLU", "ELU", "SELU", "CELU", "GELU",
               "SiLU", "Mish", "Hardswish")


class StreamLimitError(ValueError):
    """The model does not fit the stream's limits (raised by watch(), never during training)."""


def _number(v):
    # Non-finite values as strings, since JSON has no NaN.
    if v is None:
        return "null"
    if math.isfinite(v):
        return repr(float(v))
    return '"nan"' if v != v else ('"inf"' if v > 0 else '"-inf"')


def _array(values):
    # json.dumps is C; only a non-finite value (written NaN, Infinity) needs rewriting.
    text = json.dumps(values, separators=(",", ":"))
    if "N" in text or "I" in text:
        text = text.replace("-Infinity", '"-inf"').replace("Infinity", '"inf"').replace(
            "NaN", '"nan"')
    return text


def _check_name(what, name, limit=MAX_NAME_BYTES, allow_empty=False):
    size = len(name.encode("utf-8"))
    if size > limit or (size == 0 and not allow_empty):
        raise StreamLimitError("%s %r: names are 1 to %d bytes in the stream" % (what, name, limit))


def encode_header(name, log_every, modules, params, torch_version):
    """modules: [(name, type, is_relu)], params: [(name, shape, module_index)]."""
    if len(params) > MAX_TENSORS:
        raise StreamLimitError("%d parameter tensors; the stream holds at most %d"
                               % (len(params), MAX_TENSORS))
    if len(modules) > MAX_MODULES:
        raise StreamLimitError("%d modules; the stream holds at most %d"
                               % (len(modules), MAX_MODULES))
    if not params:
        raise StreamLimitError("the model has no parameters that require a gradient")
    _check_name("run name", name)
    mods = []
    for m_name, m_type, relu in modules:
        _check_name("module", m_name, allow_empty=True)
        _check_name("module type", m_type, MAX_TYPE_BYTES)
        entry = {"name": m_name, "type": m_type}
        if relu:
            entry["relu"] = True
        mods.append(entry)
    ps = []
    for p_name, shape, module in params:
        _check_name("parameter", p_name)
        if len(shape) > MAX_DIMS:
            raise StreamLimitError("parameter %r has %d dimensions; the stream holds at most %d"
                                   % (p_name, len(shape), MAX_DIMS))
        ps.append({"name": p_name, "shape": [int(d) for d in shape], "module": module})
    header = {"gradscope_stream": FORMAT_VERSION, "name": name, "log_every": int(log_every),
              "torch": torch_version, "modules": mods, "params": ps}
    line = (json.dumps(header, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    if len(line) - 1 > MAX_LINE_BYTES:
        raise StreamLimitError("the model's description is %d bytes; a stream line holds at most "
                               "%d" % (len(line) - 1, MAX_LINE_BYTES))
    return line


def encode_record(step, grad, ratio, dz, dead, scalars):
    parts = ['{"step":%d,"grad":' % step, _array(grad), ',"ratio":', _array(ratio), ',"dz":',
             _array(dz), ',"dead":', _array(dead)]
    if scalars:
        items = ",".join(json.dumps(k) + ":" + _number(v) for k, v in scalars.items())
        parts += [',"scalars":{', items, "}"]
    parts.append("}\n")
    return "".join(parts).encode("utf-8")


def check_scalar_key(key):
    """The reason a scalar name is refused, or None."""
    size = len(key.encode("utf-8"))
    if size == 0 or size > MAX_SCALAR_KEY_BYTES:
        return "scalar names are 1 to %d bytes (got %r)" % (MAX_SCALAR_KEY_BYTES, key)
    return None

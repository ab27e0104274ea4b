# gradscope's Python side: watch a PyTorch model train and stream its gradient flow (per
# parameter ‖grad‖ and update ratio, mean |dL/dz| of module outputs, dead ReLU units, the
# user's scalars) to the gradscope app, a file or `gradscope replay`. Pure Python over torch;
# the stream format is docs/STREAM.md.
#
#     import gradscope
#     with gradscope.watch(model, log_every=10):      # or to="run.jsonl"
#         for x, y in data:
#             loss = loss_fn(model(x), y)
#             opt.zero_grad(); loss.backward(); opt.step()
#             gradscope.log(loss=loss)
"""Watch a PyTorch model's gradients flow in the gradscope app."""

from ._sink import default_socket_path
from ._stream import FORMAT_VERSION, StreamLimitError
from ._watch import Watcher, log, watch

__version__ = "0.2.0"
__all__ = ["watch", "log", "Watcher", "default_socket_path", "FORMAT_VERSION",
           "StreamLimitError"]

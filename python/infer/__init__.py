"""Python binding for the infer engine, shaped like onnxruntime's API:

    import infer
    sess = infer.InferenceSession("model.onnx", backends=["cpu"])
    (y,) = sess.run(None, {sess.get_inputs()[0].name: x})

libinfer.so is found through load_library(path), else $INFER_LIBRARY, else
the repository's build/lib.
"""

from ._capi import InferError, load_library
from .session import Environment, InferenceSession, NodeArg, get_environment, version

__all__ = ["Environment", "InferError", "InferenceSession", "NodeArg", "get_environment",
           "load_library", "version"]

"""Python binding for the infer engine, shaped like onnxruntime's API:

    import infer
    sess = infer.InferenceSession("model.onnx", backends=["cpu"])
    (y,) = sess.run(None, {sess.get_inputs()[0].name: x})

ctypes over libinfer.so's C API; importing loads nothing. libinfer.so and its
plugin folder are found on first use (see _locate.py and README.md), or
given with load_library(path) and plugins=... .
"""

from ._capi import api_version, library_path, load_library
from ._errors import (AbiMismatch, FailedPrecondition, InferError, Internal, InvalidArgument,
                      InvalidModel, NoSuchFile, NotFound, OutOfRange, ResourceExhausted,
                      Unavailable, Unimplemented)
from .session import (CustomOpInfo, Environment, GraphOptimizationLevel, InferenceSession,
                      ModelMetadata, NodeArg,
                      PassInfo, PluginInfo, ProfileEvent, SessionOptions,
                      get_available_providers, get_environment, get_log_level,
                      log_to_python, set_default_logger_severity, set_log_level, version)

__version__ = "0.1.0"

__all__ = [
    "AbiMismatch", "CustomOpInfo", "Environment", "FailedPrecondition", "GraphOptimizationLevel",
    "InferError", "InferenceSession", "Internal", "InvalidArgument", "InvalidModel",
    "ModelMetadata", "NoSuchFile", "NodeArg", "NotFound", "OutOfRange", "PassInfo", "PluginInfo", "ProfileEvent",
    "ResourceExhausted", "SessionOptions", "Unavailable", "Unimplemented", "api_version",
    "get_available_providers", "get_environment", "get_log_level", "library_path",
    "load_library", "log_to_python", "set_default_logger_severity", "set_log_level", "version",
]

"""ctypes declarations for libinfer.so's C API (core/include/infer/infer.h).

Only this module knows the C layouts; keep it in step with infer.h. Every
function that returns infer_status* raises InferError through errcheck, so
callers never see a status handle.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, c_char_p, c_int, c_int32, c_int64, c_size_t, c_uint32, c_void_p
from pathlib import Path

import numpy as np

# infer_status_code (plugin_api.h).
INVALID_ARGUMENT = 1
UNIMPLEMENTED = 4

RANK_UNKNOWN = ctypes.c_size_t(-1).value  # INFER_RANK_UNKNOWN


class InferError(RuntimeError):
    """An error from the engine (or from the binding, with the same codes).

    .code is the infer_status_code, .code_name its name (e.g. "NOT_FOUND"),
    .message the engine's message.
    """

    def __init__(self, code: int, message: str, code_name: str | None = None):
        self.code = code
        self.code_name = code_name or str(code)
        self.message = message
        super().__init__(f"{self.code_name}: {message}")


# ---- dtypes -----------------------------------------------------------------
# infer_dtype values follow onnx.TensorProto.DataType. Each entry: the ONNX
# type name (as ORT prints it in 'tensor(...)') and the numpy dtype, or None
# where numpy has none.
def _ml_dtype(name: str):
    try:  # ml_dtypes comes with onnx; without it bfloat16 and float8 have no numpy dtype.
        import ml_dtypes

        return np.dtype(getattr(ml_dtypes, name))
    except ImportError:
        return None


DTYPES: dict[int, tuple[str, np.dtype | None]] = {
    1: ("float", np.dtype(np.float32)),
    2: ("uint8", np.dtype(np.uint8)),
    3: ("int8", np.dtype(np.int8)),
    4: ("uint16", np.dtype(np.uint16)),
    5: ("int16", np.dtype(np.int16)),
    6: ("int32", np.dtype(np.int32)),
    7: ("int64", np.dtype(np.int64)),
    8: ("string", None),  # the engine holds no strings
    9: ("bool", np.dtype(np.bool_)),
    10: ("float16", np.dtype(np.float16)),
    11: ("double", np.dtype(np.float64)),
    12: ("uint32", np.dtype(np.uint32)),
    13: ("uint64", np.dtype(np.uint64)),
    16: ("bfloat16", _ml_dtype("bfloat16")),
    17: ("float8e4m3fn", _ml_dtype("float8_e4m3fn")),
    18: ("float8e4m3fnuz", _ml_dtype("float8_e4m3fnuz")),
    19: ("float8e5m2", _ml_dtype("float8_e5m2")),
    20: ("float8e5m2fnuz", _ml_dtype("float8_e5m2fnuz")),
}
_FROM_NUMPY = {dt: code for code, (_, dt) in DTYPES.items() if dt is not None}


def dtype_from_numpy(dt: np.dtype) -> int:
    code = _FROM_NUMPY.get(np.dtype(dt))
    if code is None:
        raise InferError(INVALID_ARGUMENT, f"numpy dtype {dt} has no engine dtype",
                         "INVALID_ARGUMENT")
    return code


def dtype_to_numpy(code: int) -> np.dtype:
    name, dt = DTYPES.get(code, (f"dtype {code}", None))
    if dt is None:
        hint = " (install ml_dtypes)" if code in (16, 17, 18, 19, 20) else ""
        raise InferError(UNIMPLEMENTED, f"{name} tensors have no numpy dtype{hint}",
                         "UNIMPLEMENTED")
    return dt


# ---- structs (field for field as infer.h; struct_size first) ------------------
class ValueDesc(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("name", c_char_p),
        ("dtype", c_int),  # enum infer_dtype
        ("rank", c_size_t),
        ("dims", POINTER(c_int64)),
        ("dim_symbols", POINTER(c_char_p)),
    ]


class PluginRecord(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("path", c_char_p),
        ("name", c_char_p),
        ("vendor", c_char_p),
        ("version", c_char_p),
        ("kinds", c_uint32),
        ("abi_major", c_uint32),
        ("abi_minor", c_uint32),
        ("score", c_int32),
        ("score_reason", c_char_p),
        ("loaded", c_int),
        ("error", c_char_p),
    ]


def new_struct(cls):
    s = cls()
    s.struct_size = ctypes.sizeof(cls)
    return s


# ---- the library ----------------------------------------------------------------
_REPO_LIB = Path(__file__).resolve().parents[2] / "build" / "lib" / "libinfer.so"
_lib: ctypes.CDLL | None = None
_lib_path: Path | None = None


def _check_status(status, func, args):
    if status:
        code = _lib.infer_status_get_code(status)
        message = _lib.infer_status_get_message(status).decode(errors="replace")
        name = _lib.infer_status_code_name(code).decode()
        _lib.infer_status_release(status)
        raise InferError(code, message, name)
    return args


# name: (argtypes, restype); restype "status" means infer_status* checked by errcheck.
_P = c_void_p
_SIGNATURES = {
    "infer_status_get_code": ([_P], c_int),
    "infer_status_get_message": ([_P], c_char_p),
    "infer_status_release": ([_P], None),
    "infer_status_code_name": ([c_int], c_char_p),
    "infer_version_string": ([], c_char_p),
    "infer_dtype_name": ([c_int], c_char_p),
    "infer_dtype_size": ([c_int], c_size_t),
    "infer_env_create": ([c_char_p, POINTER(_P)], "status"),
    "infer_env_release": ([_P], None),
    "infer_env_plugin_count": ([_P], c_size_t),
    "infer_env_plugin_get": ([_P, c_size_t, POINTER(PluginRecord)], "status"),
    "infer_session_options_create": ([POINTER(_P)], "status"),
    "infer_session_options_release": ([_P], None),
    "infer_session_options_set_backends": ([_P, c_char_p], "status"),
    "infer_session_options_set_config": ([_P, c_char_p, c_char_p], "status"),
    "infer_session_options_set_dim": ([_P, c_char_p, c_int64], "status"),
    "infer_session_options_set_optimization_level": ([_P, c_int], "status"),
    "infer_session_options_set_optimized_model_path": ([_P, c_char_p], "status"),
    "infer_session_create": ([_P, c_char_p, _P, POINTER(_P)], "status"),
    "infer_session_create_from_bytes": ([_P, c_char_p, c_size_t, c_char_p, _P, POINTER(_P)],
                                        "status"),
    "infer_session_release": ([_P], None),
    "infer_session_input_count": ([_P], c_size_t),
    "infer_session_output_count": ([_P], c_size_t),
    "infer_session_input_name": ([_P, c_size_t], c_char_p),
    "infer_session_output_name": ([_P, c_size_t], c_char_p),
    "infer_session_input_desc": ([_P, c_size_t, POINTER(ValueDesc)], "status"),
    "infer_session_output_desc": ([_P, c_size_t, POINTER(ValueDesc)], "status"),
    "infer_session_placement_report": ([_P], c_char_p),
    "infer_session_optimization_report": ([_P], c_char_p),
    "infer_session_node_count": ([_P], c_size_t),
    "infer_session_run": ([_P, POINTER(c_char_p), POINTER(_P), c_size_t, POINTER(c_char_p),
                           c_size_t, POINTER(_P)], "status"),
    "infer_tensor_create": ([c_int, POINTER(c_int64), c_size_t, POINTER(_P)], "status"),
    "infer_tensor_wrap": ([c_int, POINTER(c_int64), c_size_t, _P, c_size_t, POINTER(_P)],
                          "status"),
    "infer_tensor_release": ([_P], None),
    "infer_tensor_dtype": ([_P], c_int),
    "infer_tensor_rank": ([_P], c_size_t),
    "infer_tensor_shape": ([_P], POINTER(c_int64)),
    "infer_tensor_element_count": ([_P], c_size_t),
    "infer_tensor_byte_size": ([_P], c_size_t),
    "infer_tensor_data": ([_P], c_void_p),
    "infer_tensor_const_data": ([_P], c_void_p),
}


def load_library(path: str | os.PathLike | None = None) -> ctypes.CDLL:
    """Loads libinfer.so once: from `path`, else $INFER_LIBRARY, else the
    repository's build/lib. Later calls return the loaded library."""
    global _lib, _lib_path
    if _lib is not None:
        return _lib
    path = path or os.environ.get("INFER_LIBRARY") or _REPO_LIB
    if not Path(path).exists():
        raise InferError(3, f"libinfer.so not found at '{path}' (build the project, or set "
                            "INFER_LIBRARY)", "NOT_FOUND")
    lib = ctypes.CDLL(str(path))
    for name, (argtypes, restype) in _SIGNATURES.items():
        fn = getattr(lib, name)
        fn.argtypes = argtypes
        if restype == "status":
            fn.restype = c_void_p
            fn.errcheck = _check_status
        else:
            fn.restype = restype
    _lib, _lib_path = lib, Path(path).resolve()
    return lib


def library_path() -> Path:
    """Where the loaded libinfer.so lives (loading it if needed)."""
    load_library()
    return _lib_path

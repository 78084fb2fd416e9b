"""ctypes declarations for libinfer.so's C API (core/include/infer/infer.h).

Only this module knows the C layouts; keep it in step with infer.h. Every
function that returns infer_status* raises InferError through errcheck, so
callers never see a status handle.
"""

from __future__ import annotations

import ctypes
import os
import threading
from ctypes import (POINTER, c_char_p, c_int, c_int32, c_int64, c_size_t, c_uint32, c_uint64,
                    c_void_p)
from pathlib import Path

import numpy as np

from . import _locate
# InferError: `from infer._capi import InferError` predates _errors.
from ._errors import InferError, NoSuchFile, Unimplemented, error_for  # noqa: F401

RANK_UNKNOWN = ctypes.c_size_t(-1).value  # INFER_RANK_UNKNOWN
PLUGIN_BACKEND = 1 << 1  # INFER_PLUGIN_BACKEND


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
DTYPE_BY_NAME = {f"tensor({name})": dt for name, dt in DTYPES.values() if dt is not None}


def dtype_from_numpy(dt: np.dtype) -> int | None:
    """The engine dtype for a numpy dtype, or None where the engine has none."""
    return _FROM_NUMPY.get(np.dtype(dt))


def dtype_to_numpy(code: int) -> np.dtype:
    name, dt = DTYPES.get(code, (f"dtype {code}", None))
    if dt is None:
        hint = " (install ml_dtypes)" if code in (16, 17, 18, 19, 20) else ""
        raise Unimplemented(f"{name} tensors have no numpy dtype{hint}")
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
        # C API 0.2; an older library leaves them zero.
        ("description", c_char_p),
        ("device", c_char_p),
        ("format", c_char_p),
        ("file_extensions", c_char_p),
        ("unavailable", c_int),
    ]


class PassRecord(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("name", c_char_p),
        ("level", c_int32),
        ("order", c_int32),
        ("backend", c_char_p),
        ("plugin", c_char_p),
    ]


class CustomOpRecord(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("plugin", c_char_p),
        ("domain", c_char_p),
        ("op_type", c_char_p),
        ("since_version", ctypes.c_int64),
        ("backends", c_char_p),
        ("doc", c_char_p),
    ]


class ProfileEvent(ctypes.Structure):
    _fields_ = [
        ("struct_size", c_size_t),
        ("name", c_char_p),
        ("category", c_char_p),
        ("backend", c_char_p),
        ("run", c_uint64),
        ("thread", c_uint32),
        ("start_ns", c_int64),
        ("duration_ns", c_int64),
    ]


PROFILE_EVENT_FN = ctypes.CFUNCTYPE(None, POINTER(ProfileEvent), c_void_p)
LOG_FN = ctypes.CFUNCTYPE(None, c_int, c_char_p, c_void_p)  # infer_log_fn


def new_struct(cls):
    s = cls()
    s.struct_size = ctypes.sizeof(cls)
    return s


# ---- the library ----------------------------------------------------------------
_lib: ctypes.CDLL | None = None
_found: _locate.Candidate | None = None  # where it came from
_lib_path: Path | None = None
_load_lock = threading.Lock()


def _check_status(status, func, args):
    if status:
        code = _lib.infer_status_get_code(status)
        message = _lib.infer_status_get_message(status).decode(errors="replace")
        name = _lib.infer_status_code_name(code).decode()
        _lib.infer_status_release(status)
        raise error_for(code, message, name)
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
    "infer_api_version": ([POINTER(c_uint32)] * 4, None),  # 0.2
    "infer_log_set_level": ([c_int], "status"),  # 0.2
    "infer_log_get_level": ([], c_int),  # 0.2
    "infer_log_set_callback": ([LOG_FN, c_void_p], "status"),  # 0.2
    "infer_env_create": ([c_char_p, POINTER(_P)], "status"),
    "infer_env_release": ([_P], None),
    "infer_env_default_plugin_dir": ([], c_char_p),  # 0.2
    "infer_env_plugin_count": ([_P], c_size_t),
    "infer_env_plugin_get": ([_P, c_size_t, POINTER(PluginRecord)], "status"),
    "infer_env_pass_count": ([_P], c_size_t),  # 0.2
    "infer_env_pass_get": ([_P, c_size_t, POINTER(PassRecord)], "status"),  # 0.2
    "infer_env_custom_op_count": ([_P], c_size_t),  # 0.2
    "infer_env_custom_op_get": ([_P, c_size_t, POINTER(CustomOpRecord)], "status"),  # 0.2
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
    "infer_session_metadata_count": ([_P], c_size_t),  # 0.2
    "infer_session_metadata_get": ([_P, c_size_t, POINTER(c_char_p), POINTER(c_char_p)],
                                   "status"),  # 0.2
    "infer_session_profile_start": ([_P, c_size_t], "status"),
    "infer_session_profile_stop": ([_P], "status"),
    "infer_session_profile_drain": ([_P, PROFILE_EVENT_FN, c_void_p, POINTER(c_size_t)],
                                    "status"),
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
    """Loads libinfer.so once: from `path`, else from the first place of
    _locate.candidates() that has it. Later calls return the loaded library."""
    global _lib, _found, _lib_path
    with _load_lock:
        if _lib is not None:
            return _lib
        tried: list[str] = []
        if path is not None:
            places = [_locate.Candidate("load_library()", os.fspath(path))]
        else:
            places = _locate.candidates(tried)
        for place in places:
            file = place.file()
            if file is None:
                if place.how in ("load_library()", "$INFER_LIBRARY"):  # asked for: no fallback
                    raise NoSuchFile(f"libinfer.so not found at '{place.where}' ({place.how})")
                tried.append(f"{place.how}: {place.where}: no {' or '.join(_locate.LIBRARY_NAMES)}")
                continue
            try:
                lib = ctypes.CDLL(file)
            except OSError as e:
                raise NoSuchFile(f"cannot load {file} ({place.how}): {e}") from None
            _declare(lib)
            _lib, _found = lib, place
            _lib_path = _locate.loaded_path(lib.infer_version_string) or Path(file)
            return lib
        raise _locate.not_found(tried)


def _declare(lib: ctypes.CDLL) -> None:
    for name, (argtypes, restype) in _SIGNATURES.items():
        fn = getattr(lib, name, None)
        if fn is None:  # added in a later C API minor than this library's: see require()
            continue
        fn.argtypes = argtypes
        if restype == "status":
            fn.restype = c_void_p
            fn.errcheck = _check_status
        else:
            fn.restype = restype


def api_version() -> tuple[int, int]:
    """The loaded library's C API version (INFER_API_VERSION_MAJOR, _MINOR)."""
    lib = load_library()
    if not hasattr(lib, "infer_api_version"):
        return (0, 1)  # infer_api_version came with 0.2
    major, minor = c_uint32(), c_uint32()
    lib.infer_api_version(ctypes.byref(major), ctypes.byref(minor), None, None)
    return (major.value, minor.value)


def require(function: str, minor: int):
    """A C function added in API 0.<minor>; Unimplemented for an older library."""
    lib = load_library()
    if not hasattr(lib, function):
        raise Unimplemented(f"{function} needs libinfer C API 0.{minor}; {_lib_path} has "
                            "an older one")
    return getattr(lib, function)


def library_path() -> Path:
    """Where the loaded libinfer.so lives (loading it if needed)."""
    load_library()
    return _lib_path


def default_plugin_dir() -> Path | None:
    """The plugin folder that goes with the loaded library; None when there is
    none and $INFER_PLUGIN_PATH is set (the engine scans that itself)."""
    lib = load_library()
    # The library's own answer (C API 0.2: <libdir>/infer/plugins or the build
    # tree's plugins/); an older one gets the same two places looked at here.
    own = lib.infer_env_default_plugin_dir() if hasattr(lib, "infer_env_default_plugin_dir") \
        else None
    beside = [Path(os.fsdecode(own))] if own else _locate.plugin_dirs_beside(_lib_path)
    searched = ([_found.plugins] if _found.plugins else []) + beside
    for folder in searched:
        if folder.is_dir():
            return folder
    if os.environ.get("INFER_PLUGIN_PATH"):
        return None
    raise _locate.no_plugin_folder(_lib_path, searched)

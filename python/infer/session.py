"""Sessions in the shape of ONNX Runtime's Python API, over the C API."""

from __future__ import annotations

import ctypes
import os
import threading
from ctypes import c_char_p, c_int64, c_void_p
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from . import _capi
from ._capi import DTYPES, InferError


def version() -> str:
    return _capi.load_library().infer_version_string().decode()


def _text(b: bytes | None) -> str | None:
    return None if b is None else b.decode(errors="replace")


class Environment:
    """Loaded plugins (an infer_env). Shared by the sessions that use it."""

    def __init__(self, plugins: str | os.PathLike | Sequence | None = None):
        lib = _capi.load_library()
        self._lib = lib
        self._handle = c_void_p()
        lib.infer_env_create(_plugin_dirs(plugins), ctypes.byref(self._handle))

    def plugins(self) -> list[dict]:
        """Every plugin file tried, failed ones included (with 'error')."""
        records = []
        for i in range(self._lib.infer_env_plugin_count(self._handle)):
            rec = _capi.new_struct(_capi.PluginRecord)
            self._lib.infer_env_plugin_get(self._handle, i, ctypes.byref(rec))
            records.append({f: (_text(v) if isinstance(v, bytes) else v)
                            for f, v in ((f, getattr(rec, f)) for f, _ in rec._fields_)
                            if f != "struct_size"})
        return records

    def __del__(self):
        if getattr(self, "_handle", None):
            self._lib.infer_env_release(self._handle)


def _plugin_dirs(plugins) -> bytes | None:
    """':'-joined folders; by default build/plugins beside the library's lib/
    (as infer-run looks beside its bin/). INFER_PLUGIN_PATH is added by the core."""
    if plugins is None:
        default = _capi.library_path().parent.parent / "plugins"
        return str(default).encode() if default.is_dir() else None
    if isinstance(plugins, (str, os.PathLike)):
        plugins = [plugins]
    return ":".join(os.fspath(p) for p in plugins).encode()


_envs: dict[bytes | None, Environment] = {}
_envs_lock = threading.Lock()


def get_environment(plugins=None) -> Environment:
    """One Environment per plugin folder list: loading plugins is not free."""
    key = _plugin_dirs(plugins)
    with _envs_lock:
        if key not in _envs:
            _envs[key] = Environment(plugins)
        return _envs[key]


@dataclass(frozen=True)
class NodeArg:
    """Like onnxruntime.NodeArg: shape holds ints, symbol strings, or None for
    a dynamic dim without a symbol; shape is None when the rank is unknown."""

    name: str
    type: str
    shape: list | None


class InferenceSession:
    """A model loaded for inference, like onnxruntime.InferenceSession.

    path_or_bytes: a model file path, or the model's bytes (ONNX).
    backends: priority list, e.g. ["cpu"] or "npu_sim,cpu" (default: the core's).
    plugins: plugin folder(s) (default: build/plugins beside libinfer.so).
    dims: values for symbolic dims, e.g. {"batch": 8}.
    config: key/value options for plugins, e.g. {"cpu.threads": "2"}.
    optimization_level: 0 none, 1 basic, 2 extended, 3 layout (default: 3).
    optimized_model_path: also write the optimised graph there (infer's format).
    """

    def __init__(self, path_or_bytes, backends=None, plugins=None, dims=None, config=None,
                 optimization_level=None, optimized_model_path=None):
        self._lib = _capi.load_library()
        self._env = get_environment(plugins)  # kept: the session needs its plugins loaded
        self._handle = c_void_p()
        opts = self._make_options(backends, dims, config)
        try:
            if optimization_level is not None:
                self._lib.infer_session_options_set_optimization_level(opts,
                                                                       int(optimization_level))
            if optimized_model_path is not None:
                self._lib.infer_session_options_set_optimized_model_path(
                    opts, os.fsencode(os.fspath(optimized_model_path)))
        except BaseException:
            self._lib.infer_session_options_release(opts)
            raise
        try:
            out = ctypes.byref(self._handle)
            if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
                data = bytes(path_or_bytes)
                self._lib.infer_session_create_from_bytes(self._env._handle, data, len(data),
                                                          b"onnx", opts, out)
            else:
                path = os.fsencode(os.fspath(path_or_bytes))
                self._lib.infer_session_create(self._env._handle, path, opts, out)
        finally:
            self._lib.infer_session_options_release(opts)
        self._inputs = self._describe(self._lib.infer_session_input_count,
                                      self._lib.infer_session_input_desc)
        self._outputs = self._describe(self._lib.infer_session_output_count,
                                       self._lib.infer_session_output_desc)

    def _make_options(self, backends, dims, config) -> c_void_p:
        opts = c_void_p()
        self._lib.infer_session_options_create(ctypes.byref(opts))
        try:
            if backends is not None:
                if not isinstance(backends, str):
                    backends = ",".join(backends)
                self._lib.infer_session_options_set_backends(opts, backends.encode())
            for symbol, value in (dims or {}).items():
                self._lib.infer_session_options_set_dim(opts, symbol.encode(), int(value))
            for key, value in (config or {}).items():
                self._lib.infer_session_options_set_config(opts, key.encode(),
                                                           str(value).encode())
        except BaseException:
            self._lib.infer_session_options_release(opts)
            raise
        return opts

    def _describe(self, count_fn, desc_fn) -> list[NodeArg]:
        args = []
        for i in range(count_fn(self._handle)):
            d = _capi.new_struct(_capi.ValueDesc)
            desc_fn(self._handle, i, ctypes.byref(d))
            shape = None
            if d.rank != _capi.RANK_UNKNOWN:
                shape = [d.dims[k] if d.dims[k] >= 0 else _text(d.dim_symbols[k])
                         for k in range(d.rank)]
            type_name = DTYPES.get(d.dtype, (f"dtype {d.dtype}", None))[0]
            args.append(NodeArg(_text(d.name), f"tensor({type_name})", shape))
        return args

    def get_inputs(self) -> list[NodeArg]:
        return list(self._inputs)

    def get_outputs(self) -> list[NodeArg]:
        return list(self._outputs)

    def placement_report(self) -> str:
        return _text(self._lib.infer_session_placement_report(self._handle))

    def optimization_report(self) -> str:
        """Each optimisation pass run, nodes changed, node counts before/after."""
        return _text(self._lib.infer_session_optimization_report(self._handle))

    def node_count(self) -> int:
        """Operators in the optimised graph this session runs."""
        return int(self._lib.infer_session_node_count(self._handle))

    def run(self, output_names: Sequence[str] | None,
            input_feed: Mapping[str, np.ndarray]) -> list[np.ndarray]:
        """Runs the model; returns the named outputs (all when output_names is
        None or empty) as numpy arrays that own their data."""
        lib = self._lib
        names = list(output_names or [o.name for o in self._outputs])
        arrays, in_tensors = [], []
        try:
            for value in input_feed.values():
                # Not np.ascontiguousarray: it turns 0-d scalars into shape [1].
                arr = np.asarray(value, order="C")
                arrays.append(arr)  # the engine reads it in place: keep it alive
                in_tensors.append(_wrap(lib, arr))
            in_names = (c_char_p * len(input_feed))(*(n.encode() for n in input_feed))
            in_ptrs = (c_void_p * len(in_tensors))(*in_tensors)
            out_names = (c_char_p * len(names))(*(n.encode() for n in names))
            out_ptrs = (c_void_p * len(names))()
            try:
                lib.infer_session_run(self._handle, in_names, in_ptrs, len(in_tensors),
                                      out_names, len(names), out_ptrs)
                return [_to_numpy(lib, t) for t in out_ptrs]
            finally:
                for t in out_ptrs:
                    if t:
                        lib.infer_tensor_release(t)
        finally:
            for t in in_tensors:
                lib.infer_tensor_release(t)

    def __del__(self):
        if getattr(self, "_handle", None):
            self._lib.infer_session_release(self._handle)


def _wrap(lib, arr: np.ndarray) -> int:
    code = _capi.dtype_from_numpy(arr.dtype)
    shape = (c_int64 * arr.ndim)(*arr.shape)
    out = c_void_p()
    lib.infer_tensor_wrap(code, shape, arr.ndim, arr.ctypes.data, arr.nbytes, ctypes.byref(out))
    return out.value


def _to_numpy(lib, tensor: int) -> np.ndarray:
    dtype = _capi.dtype_to_numpy(lib.infer_tensor_dtype(tensor))
    shp = lib.infer_tensor_shape(tensor)
    arr = np.empty([shp[k] for k in range(lib.infer_tensor_rank(tensor))], dtype=dtype)
    nbytes = lib.infer_tensor_byte_size(tensor)
    if nbytes != arr.nbytes:
        raise InferError(10, f"output holds {nbytes} bytes, expected {arr.nbytes} for "
                             f"{arr.dtype}{list(arr.shape)}", "INTERNAL")
    if nbytes:
        ctypes.memmove(arr.ctypes.data, lib.infer_tensor_const_data(tensor), nbytes)
    return arr

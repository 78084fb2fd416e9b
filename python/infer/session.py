"""Sessions in the shape of ONNX Runtime's Python API, over the C API."""

from __future__ import annotations

import atexit
import contextlib
import copy
import ctypes
import datetime
import enum
import json
import logging
import os
import threading
import warnings
from ctypes import c_char_p, c_int64, c_size_t, c_void_p
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from . import _capi
from ._capi import DTYPES
from ._errors import InvalidArgument, NoSuchFile, NotFound


def version() -> str:
    """The engine's version string."""
    return _capi.load_library().infer_version_string().decode()


LOG_LEVELS = ("debug", "info", "warn", "error")  # infer_log_level 0..3


def set_log_level(level: str | int) -> None:
    """Drops the engine's log messages below `level` ("debug", "info", "warn",
    "error"), for the whole process. C API 0.2."""
    code = LOG_LEVELS.index(level) if isinstance(level, str) and level in LOG_LEVELS else level
    if not isinstance(code, int):
        raise InvalidArgument(f"log level {level!r} is not one of {', '.join(LOG_LEVELS)}")
    _capi.require("infer_log_set_level", 2)(code)


def get_log_level() -> str:
    return LOG_LEVELS[_capi.require("infer_log_get_level", 2)()]


def set_default_logger_severity(severity: int) -> None:
    """onnxruntime's spelling: 0 verbose, 1 info, 2 warning, 3 error, 4 fatal."""
    set_log_level(LOG_LEVELS[min(max(int(severity), 0), 3)])


_PYTHON_LEVELS = (logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR)
_log_callback = None  # the installed C callback, kept alive while the engine holds it


def _emit_to_logging(level: int, message: bytes, _user) -> None:
    logging.getLogger("infer").log(_PYTHON_LEVELS[min(max(level, 0), 3)],
                                   message.decode(errors="replace"))


def log_to_python(enable: bool = True) -> None:
    """Sends the engine's log (warnings such as a placement fallback, a pass
    rolled back) to logging.getLogger("infer") instead of stderr; False goes
    back to stderr. Process-wide. C API 0.2."""
    global _log_callback
    set_callback = _capi.require("infer_log_set_callback", 2)
    callback = _capi.LOG_FN(_emit_to_logging) if enable else _capi.LOG_FN()  # NULL: stderr
    set_callback(callback, None)
    if enable and _log_callback is None:
        # Engine threads must not call into a finalised interpreter.
        atexit.register(log_to_python, False)
    _log_callback = callback if enable else None


def _text(b: bytes | None) -> str | None:
    return None if b is None else b.decode(errors="replace")


@contextlib.contextmanager
def _missing_path_errors(paths):
    """A NOT_FOUND from the engine about a path that really does not exist
    becomes NoSuchFile (a FileNotFoundError), with the engine's message."""
    try:
        yield
    except NotFound as err:
        if not isinstance(err, NoSuchFile) and any(not os.path.exists(p) for p in paths):
            raise NoSuchFile(err.message) from None
        raise


# ---- plugins ----------------------------------------------------------------------
@dataclass(frozen=True)
class PluginInfo:
    """One plugin file the engine tried; `error` says why when `loaded` is False
    (a plugin whose device is absent here has a name, loaded False and a
    score_reason)."""

    path: str
    name: str | None
    vendor: str | None
    version: str | None
    kinds: int  # infer_plugin_kind bits
    abi_major: int
    abi_minor: int
    score: int
    score_reason: str | None
    loaded: bool
    error: str | None
    # C API 0.2 (None/False from an older library):
    description: str | None
    device: str | None  # a backend's device, e.g. "CPU"
    format: str | None  # a frontend's model format, e.g. "onnx"
    file_extensions: str | None  # a frontend's, ";"-separated
    unavailable: bool  # probed fine, but its device is absent here

    @property
    def is_backend(self) -> bool:
        return bool(self.kinds & _capi.PLUGIN_BACKEND)


@dataclass(frozen=True)
class PassInfo:
    """One optimisation pass: level 1 basic, 2 extended, 3 layout."""

    name: str
    level: int
    order: int  # within the level
    backend: str | None  # the backend a level 2-3 pass serves
    plugin: str


@dataclass(frozen=True)
class CustomOpInfo:
    """A custom operator a custom-op plugin registers, and the backends with a kernel for it."""

    plugin: str
    domain: str
    op_type: str
    since_version: int
    backends: list[str]
    doc: str


@dataclass(frozen=True)
class ModelMetadata:
    """What the model file says of itself, with onnxruntime.ModelMetadata's fields."""

    producer_name: str
    graph_name: str
    domain: str
    description: str  # the model's doc_string
    graph_description: str
    version: int  # model_version
    custom_metadata_map: dict


# Metadata keys the engine fills from the model's own fields (not metadata_props).
_MODEL_FIELDS = {"ir_version", "producer_name", "producer_version", "domain", "model_version",
                 "graph_name", "doc_string"}


def _plugin_dirs(plugins) -> bytes | None:
    """':'-joined folders; by default the one that goes with libinfer.so."""
    if plugins is None:
        default = _capi.default_plugin_dir()
        return None if default is None else os.fsencode(default)
    if isinstance(plugins, (str, os.PathLike)):
        plugins = [plugins]
    return b":".join(os.fsencode(os.fspath(p)) for p in plugins)


class Environment:
    """Loaded plugins (an infer_env), shared by the sessions that use it.
    Folders in $INFER_PLUGIN_PATH are loaded as well."""

    def __init__(self, plugins: str | os.PathLike | Sequence | None = None):
        self._lib = _capi.load_library()
        self._handle = c_void_p()
        dirs = _plugin_dirs(plugins)
        with _missing_path_errors(os.fsdecode(dirs).split(":") if dirs else []):
            self._lib.infer_env_create(dirs, ctypes.byref(self._handle))

    def plugins(self) -> list[PluginInfo]:
        """Every plugin file tried, in load order, failed ones included."""
        infos = []
        for i in range(self._lib.infer_env_plugin_count(self._handle)):
            rec = _capi.new_struct(_capi.PluginRecord)
            self._lib.infer_env_plugin_get(self._handle, i, ctypes.byref(rec))
            infos.append(PluginInfo(
                _text(rec.path), _text(rec.name), _text(rec.vendor), _text(rec.version),
                rec.kinds, rec.abi_major, rec.abi_minor, rec.score, _text(rec.score_reason),
                bool(rec.loaded), _text(rec.error), _text(rec.description), _text(rec.device),
                _text(rec.format), _text(rec.file_extensions), bool(rec.unavailable)))
        return infos

    def passes(self) -> list[PassInfo]:
        """Every optimisation pass the loaded plugins register, in the order they
        run; the names are what the config entry "optimizer.disable" takes."""
        count = _capi.require("infer_env_pass_count", 2)(self._handle)
        passes = []
        for i in range(count):
            rec = _capi.new_struct(_capi.PassRecord)
            self._lib.infer_env_pass_get(self._handle, i, ctypes.byref(rec))
            passes.append(PassInfo(_text(rec.name), rec.level, rec.order, _text(rec.backend),
                                   _text(rec.plugin)))
        return passes

    def custom_ops(self) -> list[CustomOpInfo]:
        """Every custom operator the loaded custom-op plugins register (model nodes of that
        domain and op run on it), ordered by domain, op type and since_version."""
        count = _capi.require("infer_env_custom_op_count", 2)(self._handle)
        ops = []
        for i in range(count):
            rec = _capi.new_struct(_capi.CustomOpRecord)
            self._lib.infer_env_custom_op_get(self._handle, i, ctypes.byref(rec))
            ops.append(CustomOpInfo(_text(rec.plugin), _text(rec.domain), _text(rec.op_type),
                                    rec.since_version, _text(rec.backends).split(","),
                                    _text(rec.doc)))
        return ops

    def load_errors(self) -> dict[str, str]:
        """{path: reason} for each plugin file that failed to load."""
        return {p.path: p.error for p in self.plugins() if not p.loaded and p.error}

    def __del__(self):
        if getattr(self, "_handle", None):
            self._lib.infer_env_release(self._handle)


_envs: dict[bytes | None, Environment] = {}
_envs_lock = threading.Lock()


def get_environment(plugins=None) -> Environment:
    """One Environment per plugin folder list: loading plugins is not free."""
    key = _plugin_dirs(plugins)
    with _envs_lock:
        if key not in _envs:
            _envs[key] = Environment(plugins)
        return _envs[key]


def get_available_providers(plugins=None) -> list[str]:
    """Names of the backends that loaded and can run here, like
    onnxruntime.get_available_providers() (these are what backends=[...] takes)."""
    return [p.name for p in get_environment(plugins).plugins() if p.is_backend and p.loaded]


# ---- options ----------------------------------------------------------------------
class GraphOptimizationLevel(enum.IntEnum):
    """onnxruntime.GraphOptimizationLevel; the engine's levels are 0..3."""

    ORT_DISABLE_ALL = 0
    ORT_ENABLE_BASIC = 1
    ORT_ENABLE_EXTENDED = 2
    ORT_ENABLE_LAYOUT = 3
    ORT_ENABLE_ALL = 99


def _engine_level(level) -> int:
    """ORT_ENABLE_ALL (ours or onnxruntime's enum) is the highest level, 3; a
    plain number goes to the engine as it is (which refuses 99)."""
    return 3 if getattr(level, "name", None) == "ORT_ENABLE_ALL" else int(level)


class SessionOptions:
    """Like onnxruntime.SessionOptions, for the options the engine has.

    graph_optimization_level: GraphOptimizationLevel or 0..3 (ORT_ENABLE_ALL is 3).
    optimized_model_filepath: write the optimised graph there (infer's format).
    inter_op_num_threads: > 1 runs independent partitions side by side.
    intra_op_num_threads: threads of the cpu backend (its option cpu.threads).
    enable_profiling / profile_file_prefix: as ORT; end_profiling() writes the trace.
    add_session_config_entry(key, value): any engine or plugin option, e.g.
        "placement.fallback" = "error" or "npu_sim.sram_kib" = "512".
    add_free_dimension_override_by_name(symbol, value): fixes a symbolic dim.
    """

    def __init__(self):
        self.graph_optimization_level: int = GraphOptimizationLevel.ORT_ENABLE_ALL
        self.optimized_model_filepath: str = ""
        self.inter_op_num_threads: int = 0
        self.intra_op_num_threads: int = 0
        self.enable_profiling: bool = False
        self.profile_file_prefix: str = "infer_profile"
        self._config: dict[str, str] = {}
        self._dims: dict[str, int] = {}

    def add_session_config_entry(self, key: str, value: str) -> None:
        self._config[str(key)] = str(value)

    def get_session_config_entry(self, key: str) -> str:
        if key not in self._config:
            raise InvalidArgument(f"session config entry '{key}' is not set")
        return self._config[key]

    def add_free_dimension_override_by_name(self, dim_name: str, dim_value: int) -> None:
        self._dims[str(dim_name)] = int(dim_value)

    def _entries(self) -> dict[str, str]:
        """The config entries, with the thread counts as the engine's keys."""
        entries = dict(self._config)
        if self.inter_op_num_threads > 0:
            entries.setdefault("session.inter_op_threads", str(self.inter_op_num_threads))
        if self.intra_op_num_threads > 0:
            entries.setdefault("cpu.threads", str(self.intra_op_num_threads))
        return entries

    def _create(self, lib, backends: str | None) -> c_void_p:
        """An infer_session_options for these options; the caller releases it."""
        opts = c_void_p()
        lib.infer_session_options_create(ctypes.byref(opts))
        try:
            if backends:
                lib.infer_session_options_set_backends(opts, backends.encode())
            lib.infer_session_options_set_optimization_level(
                opts, _engine_level(self.graph_optimization_level))
            if self.optimized_model_filepath:
                lib.infer_session_options_set_optimized_model_path(
                    opts, os.fsencode(os.fspath(self.optimized_model_filepath)))
            for symbol, value in self._dims.items():
                lib.infer_session_options_set_dim(opts, symbol.encode(), value)
            for key, value in self._entries().items():
                lib.infer_session_options_set_config(opts, key.encode(), value.encode())
        except BaseException:
            lib.infer_session_options_release(opts)
            raise
        return opts


def _backend_order(backends, providers, env: Environment) -> str | None:
    """backends=["npu_sim", "cpu"] or "npu_sim,cpu", passed on as they are; or
    ORT's providers, where "CPUExecutionProvider" means the backend "cpu" and,
    as in ORT, one that is not available here is left out with a warning."""
    if backends is None and providers is not None:
        names = [p[0] if isinstance(p, tuple) else p for p in providers]  # (name, options)
        names = [p.removesuffix("ExecutionProvider").lower() for p in names]
        available = [p.name for p in env.plugins() if p.is_backend and p.loaded]
        backends = [n for n in names if n in available]
        if len(backends) < len(names):
            warnings.warn(f"providers {[n for n in names if n not in available]} are not "
                          f"available here (available: {available}); using {backends}",
                          stacklevel=3)
    if backends is None or isinstance(backends, str):
        return backends
    return ",".join(backends)


# ---- inputs and outputs -----------------------------------------------------------
@dataclass(frozen=True)
class NodeArg:
    """Like onnxruntime.NodeArg: shape holds ints, symbol strings, or None for
    a dynamic dim without a symbol; shape is None when the rank is unknown."""

    name: str
    type: str
    shape: list | None


@dataclass(frozen=True)
class ProfileEvent:
    """One profiled step: a partition, a copy between backends, or an operator."""

    name: str
    category: str  # "partition", "copy" or "node"
    backend: str
    run: int
    thread: int
    start_ns: int
    duration_ns: int


class _TensorBuffer:
    """Owns one output tensor of the engine. numpy arrays made from it have it
    as their base, so the tensor is released when the last array goes."""

    def __init__(self, lib, handle: int, shape: tuple, dtype: np.dtype):
        self._handle = handle
        self._release = lib.infer_tensor_release  # kept: the module may be gone at exit
        # numpy cannot parse the typestr of ml_dtypes' types (bfloat16, float8): raw
        # bytes of their size, viewed as the real type by _output_array.
        typestr = dtype.str if dtype.isbuiltin == 1 else f"|V{dtype.itemsize}"
        self.__array_interface__ = {"version": 3, "shape": shape, "typestr": typestr,
                                    "data": (lib.infer_tensor_data(handle), False)}

    def __del__(self):
        self._release(self._handle)


def _output_array(lib, handle: int, inputs: list[np.ndarray]) -> np.ndarray:
    """The output as a numpy array over the engine's memory (no copy). Before C
    API 0.2 an input passed through to an output was returned in place: such an
    output lies in the caller's array, which may go first, so it is copied."""
    try:
        dtype = _capi.dtype_to_numpy(lib.infer_tensor_dtype(handle))
        dims = lib.infer_tensor_shape(handle)
        shape = tuple(dims[k] for k in range(lib.infer_tensor_rank(handle)))
        nbytes = lib.infer_tensor_byte_size(handle)
        if nbytes != int(np.prod(shape, dtype=np.int64)) * dtype.itemsize:
            raise _capi.error_for(10, f"output holds {nbytes} bytes, not the "
                                      f"{dtype}{list(shape)} it claims")
        if nbytes == 0:
            return np.empty(shape, dtype)
        data = lib.infer_tensor_data(handle)
        if any(a.ctypes.data <= data < a.ctypes.data + a.nbytes for a in inputs):
            view = (ctypes.c_char * nbytes).from_address(data)
            return np.frombuffer(view, dtype).reshape(shape).copy()
    except BaseException:
        lib.infer_tensor_release(handle)
        raise
    array = np.asarray(_TensorBuffer(lib, handle, shape, dtype))
    return array if array.dtype == dtype else array.view(dtype)


class InferenceSession:
    """A model loaded for inference, like onnxruntime.InferenceSession.

    path_or_bytes: a model file (ONNX, or infer's optimised format), or its bytes.
    sess_options: SessionOptions (graph optimisation level, config entries...).
    providers: ORT's names also work ("CPUExecutionProvider" is the "cpu" backend).
    backends: priority list, e.g. ["cpu"] or "npu_sim,cpu" (default: the engine's).
    plugins: plugin folder(s) (default: the one that goes with libinfer.so).
    dims, config, optimization_level, optimized_model_path: shortcuts for the
    SessionOptions settings of the same meaning (they win over sess_options).
    """

    def __init__(self, path_or_bytes, sess_options: SessionOptions | None = None,
                 providers: Sequence | None = None, *, backends=None, plugins=None,
                 dims: Mapping[str, int] | None = None, config: Mapping[str, str] | None = None,
                 optimization_level: int | None = None, optimized_model_path=None):
        self._lib = _capi.load_library()
        self._env = get_environment(plugins)  # kept: the session needs its plugins loaded
        self._handle = c_void_p()
        self._options = copy.deepcopy(sess_options) if sess_options else SessionOptions()
        for symbol, value in (dims or {}).items():
            self._options.add_free_dimension_override_by_name(symbol, value)
        for key, value in (config or {}).items():
            self._options.add_session_config_entry(key, value)
        if optimization_level is not None:
            self._options.graph_optimization_level = optimization_level
        if optimized_model_path is not None:
            self._options.optimized_model_filepath = optimized_model_path
        self._backends = _backend_order(backends, providers, self._env)
        self._create(path_or_bytes)
        self._inputs = self._describe(self._lib.infer_session_input_count,
                                      self._lib.infer_session_input_desc)
        self._outputs = self._describe(self._lib.infer_session_output_count,
                                       self._lib.infer_session_output_desc)
        self._profile_lock = threading.Lock()
        self._profiling = False
        if self._options.enable_profiling:
            self.start_profiling()

    def _create(self, path_or_bytes) -> None:
        lib, out = self._lib, ctypes.byref(self._handle)
        opts = self._options._create(lib, self._backends)
        try:
            if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
                data = bytes(path_or_bytes)
                # No format: the frontends recognise the bytes (ONNX or infer's own).
                lib.infer_session_create_from_bytes(self._env._handle, data, len(data), None,
                                                    opts, out)
            else:
                path = os.fspath(path_or_bytes)
                with _missing_path_errors([path]):
                    lib.infer_session_create(self._env._handle, os.fsencode(path), opts, out)
        finally:
            lib.infer_session_options_release(opts)

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

    # ---- ORT's accessors ----
    def get_inputs(self) -> list[NodeArg]:
        return list(self._inputs)

    def get_outputs(self) -> list[NodeArg]:
        return list(self._outputs)

    def get_session_options(self) -> SessionOptions:
        return copy.deepcopy(self._options)

    def get_providers(self) -> list[str]:
        """The backend order asked for, or every available backend by default."""
        if self._backends:
            return self._backends.split(",")
        return [p.name for p in self._env.plugins() if p.is_backend and p.loaded]

    # ---- the engine's own reports ----
    def placement_report(self) -> str:
        """Partitions per backend, copies between them, refused nodes, times."""
        return _text(self._lib.infer_session_placement_report(self._handle))

    def optimization_report(self) -> str:
        """Each optimisation pass run, nodes changed, node counts before/after."""
        return _text(self._lib.infer_session_optimization_report(self._handle))

    def node_count(self) -> int:
        """Operators in the optimised graph this session runs."""
        return int(self._lib.infer_session_node_count(self._handle))

    def get_modelmeta(self) -> ModelMetadata:
        """The model's metadata, like onnxruntime.InferenceSession.get_modelmeta()."""
        entries = {}
        count = _capi.require("infer_session_metadata_count", 2)(self._handle)
        for i in range(count):
            key, value = c_char_p(), c_char_p()
            self._lib.infer_session_metadata_get(self._handle, i, ctypes.byref(key),
                                                 ctypes.byref(value))
            entries[_text(key.value)] = _text(value.value)
        return ModelMetadata(
            producer_name=entries.get("producer_name", ""),
            graph_name=entries.get("graph_name", ""), domain=entries.get("domain", ""),
            description=entries.get("doc_string", ""), graph_description="",
            version=int(entries.get("model_version", "0")),
            custom_metadata_map={k: v for k, v in entries.items() if k not in _MODEL_FIELDS})

    def plugins(self) -> list[PluginInfo]:
        """The plugins of this session's environment, failed ones included."""
        return self._env.plugins()

    # ---- running ----
    def _input_array(self, name: str, value) -> np.ndarray:
        """The array the engine reads in place; raises for what it cannot read."""
        declared = next((a for a in self._inputs if a.name == name), None)
        expected = declared.type if declared else "?"
        if not isinstance(value, np.ndarray):  # a scalar or list: made the declared type
            want = _capi.DTYPE_BY_NAME.get(expected)
            try:
                value = np.asarray(value, dtype=None if isinstance(value, np.generic) else want)
            except (TypeError, ValueError) as e:
                raise InvalidArgument(f"input '{name}': cannot make a {expected} of it: {e}") \
                    from None
        if _capi.dtype_from_numpy(value.dtype) is None:
            raise InvalidArgument(f"input '{name}': numpy dtype {value.dtype} has no engine "
                                  f"type (expected {expected})")
        if not value.flags.c_contiguous:
            raise InvalidArgument(f"input '{name}': the array is not C-contiguous (strides "
                                  f"{value.strides}); pass numpy.ascontiguousarray(x)")
        if not value.flags.aligned:
            raise InvalidArgument(f"input '{name}': the array's data is not aligned to its "
                                  "dtype; pass numpy.require(x, requirements='CA')")
        return value

    def run(self, output_names: Sequence[str] | None, input_feed: Mapping[str, object],
            run_options=None) -> list[np.ndarray]:
        """Runs the model; returns the named outputs (all when output_names is
        None or empty) as numpy arrays over the engine's memory. Inputs must be
        C-contiguous arrays of the declared dtype; they are read in place.
        Safe to call from several threads at once."""
        if run_options is not None:
            raise InvalidArgument("run_options are not supported")
        lib = self._lib
        names = list(output_names or [])
        arrays = [self._input_array(n, v) for n, v in input_feed.items()]
        in_tensors = []
        out_ptrs = (c_void_p * (len(names) or len(self._outputs)))()
        try:
            for arr in arrays:
                in_tensors.append(_wrap(lib, arr))
            in_names = (c_char_p * len(arrays))(*(n.encode() for n in input_feed))
            in_ptrs = (c_void_p * len(arrays))(*in_tensors)
            out_names = (c_char_p * len(names))(*(n.encode() for n in names)) if names else None
            lib.infer_session_run(self._handle, in_names, in_ptrs, len(arrays), out_names,
                                  len(names), out_ptrs)
        finally:
            for t in in_tensors:
                lib.infer_tensor_release(t)
        results = []
        try:
            for k, t in enumerate(out_ptrs):
                out_ptrs[k] = None  # owned by the array (or released) from here on
                results.append(_output_array(lib, t, arrays))
        finally:
            for t in out_ptrs:
                if t:
                    lib.infer_tensor_release(t)
        return results

    # ---- profiling ----
    def start_profiling(self, max_events: int = 1 << 20) -> None:
        """Records every step (partition, copy, operator) of the runs from now on."""
        with self._profile_lock:
            self._lib.infer_session_profile_start(self._handle, max_events)
            self._profiling = True

    def stop_profiling(self) -> tuple[list[ProfileEvent], int]:
        """Stops recording; returns the events (completion order) and how many
        did not fit in max_events. Runs still in flight must have returned."""
        with self._profile_lock:
            self._lib.infer_session_profile_stop(self._handle)
            self._profiling = False
            events: list[ProfileEvent] = []

            def take(ev, _user):
                e = ev.contents
                events.append(ProfileEvent(_text(e.name), _text(e.category), _text(e.backend),
                                           e.run, e.thread, e.start_ns, e.duration_ns))

            dropped = c_size_t()
            self._lib.infer_session_profile_drain(self._handle, _capi.PROFILE_EVENT_FN(take),
                                                  None, ctypes.byref(dropped))
            return events, dropped.value

    def end_profiling(self) -> str:
        """As ORT: stops profiling and writes a Chrome trace (open it in
        ui.perfetto.dev) named PREFIX_DATE.json; returns its path, or "" when
        profiling was not on."""
        if not self._profiling:
            return ""
        events, _ = self.stop_profiling()
        stamp = datetime.datetime.now().strftime("%Y-%m-%d_%H-%M-%S-%f")
        path = Path(f"{self._options.profile_file_prefix}_{stamp}.json")
        trace = [{"name": e.name, "cat": e.category, "ph": "X", "pid": 0, "tid": e.thread,
                  "ts": e.start_ns / 1000, "dur": e.duration_ns / 1000,
                  "args": {"backend": e.backend, "run": e.run}} for e in events]
        path.write_text(json.dumps(trace))
        return str(path)

    def __del__(self):
        if getattr(self, "_handle", None):
            self._lib.infer_session_release(self._handle)


def _wrap(lib, arr: np.ndarray) -> int:
    shape = (c_int64 * arr.ndim)(*arr.shape)
    out = c_void_p()
    lib.infer_tensor_wrap(_capi.dtype_from_numpy(arr.dtype), shape, arr.ndim, arr.ctypes.data,
                          arr.nbytes, ctypes.byref(out))
    return out.value

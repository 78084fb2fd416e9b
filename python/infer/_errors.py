"""The exceptions: one class per infer_status_code (plugin_api.h), all InferError.

Each also derives from the built-in a Python caller would catch for the same
fault (ValueError for bad arguments, FileNotFoundError for a missing file...),
so `except ValueError` works as it would with any other library.
"""

from __future__ import annotations


class InferError(RuntimeError):
    """An error from the engine, or from the binding with the same codes.

    .code is the infer_status_code, .code_name its name (e.g. "NOT_FOUND"),
    .message the engine's message. Like onnxruntime's exceptions it is a
    RuntimeError.
    """

    code: int | None = None
    code_name = "UNKNOWN"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"{self.code_name}: {self.message}"


class InvalidArgument(InferError, ValueError):
    code, code_name = 1, "INVALID_ARGUMENT"


class InvalidModel(InferError, ValueError):
    code, code_name = 2, "INVALID_MODEL"


class NotFound(InferError, LookupError):
    """A file, name, plugin or operator is missing."""

    code, code_name = 3, "NOT_FOUND"


class NoSuchFile(NotFound, FileNotFoundError):
    """NOT_FOUND for a path (model file, plugin folder, libinfer.so) that does not exist."""


class Unimplemented(InferError, NotImplementedError):
    code, code_name = 4, "UNIMPLEMENTED"


class OutOfRange(InferError, IndexError):
    code, code_name = 5, "OUT_OF_RANGE"


class ResourceExhausted(InferError, MemoryError):
    code, code_name = 6, "RESOURCE_EXHAUSTED"


class AbiMismatch(InferError):
    code, code_name = 7, "ABI_MISMATCH"


class Unavailable(InferError):
    code, code_name = 8, "UNAVAILABLE"


class FailedPrecondition(InferError):
    code, code_name = 9, "FAILED_PRECONDITION"


class Internal(InferError):
    """A bug in the engine: please report it."""

    code, code_name = 10, "INTERNAL"


BY_CODE: dict[int, type[InferError]] = {
    cls.code: cls for cls in (InvalidArgument, InvalidModel, NotFound, Unimplemented, OutOfRange,
                              ResourceExhausted, AbiMismatch, Unavailable, FailedPrecondition,
                              Internal)
}


def error_for(code: int, message: str, code_name: str | None = None) -> InferError:
    """The exception for an engine status; a code newer than this table gets InferError."""
    cls = BY_CODE.get(code)
    if cls is not None:
        return cls(message)
    err = InferError(message)
    err.code, err.code_name = code, code_name or f"code {code}"
    return err


__all__ = ["InferError", "error_for"] + [c.__name__ for c in BY_CODE.values()] + ["NoSuchFile"]

"""The model file format shared by every trained model (loaded sentences, frames).

A model file is a joblib file holding a plain dict header::

    {"format": <kind, e.g. "framing-sentence-model">, "format_version": 1,
     "framing_version": ..., "sklearn_version": ..., <the kind's own fields>,
     "pipeline": <pickled bytes>}

The pipeline is pickled separately *inside* the header, so the header can be read and checked
(kind, format version, scikit-learn version) before any scikit-learn object is unpickled: a
model from another scikit-learn release is refused with a message saying how to retrain,
instead of failing somewhere inside unpickling, and a model of another kind (a frames model
given where a loaded-sentence model is expected) is named as such. Like every pickle, only load
model files you trust.

A model that is not a scikit-learn pipeline (the attribution CRF, stored as NumPy arrays) keeps
its own bytes under ``"model"`` (:func:`write_model_bytes`); :func:`read_model_bytes` reads such
a file without unpickling any class or function, so it refuses one that holds anything else.
"""

from __future__ import annotations

import io
import os
import pickle
import zlib
from typing import Any, BinaryIO

import joblib
import sklearn
from sklearn.pipeline import Pipeline

__all__ = [
    "FORMAT_VERSION", "KINDS", "ModelFormatError", "read_model_bytes", "read_model_file", "write_model_bytes", "write_model_file",
]

FORMAT_VERSION = 1

# format name -> (what it is, the --task that reads it)
KINDS = {
    "framing-sentence-model": ("a loaded-sentence model", "loaded"),
    "framing-frames-model": ("a frames model", "frames"),
}


class ModelFormatError(ValueError):
    """A file is not a framing model of the expected kind, or one this installation cannot use."""


def write_model_file(path: str | os.PathLike, format: str, pipeline: Pipeline, fields: dict[str, Any]) -> None:
    """Write ``pipeline`` with a header of ``format`` and the kind's own ``fields``."""
    header = {
        "format": format,
        "format_version": FORMAT_VERSION,
        **fields,
        "pipeline": pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL),
    }
    joblib.dump(header, path, compress=("zlib", 6))


def _minor(version: str) -> tuple[str, ...]:
    return tuple(str(version).split(".")[:2])


def read_model_file(
    source: str | os.PathLike | BinaryIO,
    format: str,
    *,
    name: str | None = None,
    retrain: str,
    required: tuple[str, ...] = (),
) -> tuple[dict[str, Any], Pipeline]:
    """The checked header and the unpickled pipeline of a model file of kind ``format``.

    ``retrain`` is the command that makes a new model of this kind (said in every error);
    ``required``: header fields this kind has had since its last incompatible change (a file
    without them was written by an older framing, and is refused before unpickling).
    """
    from framing import __version__

    name = name or str(getattr(source, "name", source))
    what = f"a framing {format.removeprefix('framing-').removesuffix('-model').replace('-', ' ')} model"
    try:
        header = joblib.load(source)
    except (OSError, FileNotFoundError):
        raise
    except Exception as error:  # noqa: BLE001 - anything unreadable is "not a model file"
        raise ModelFormatError(
            f"{name} is not {what} (cannot read it: {type(error).__name__}); train one with `{retrain}`"
        ) from None
    found = header.get("format") if isinstance(header, dict) else None
    if found != format:
        if found in KINDS:
            kind, task = KINDS[found]
            expected = KINDS.get(format, (what, ""))[0]
            raise ModelFormatError(
                f"{name} is {kind} ({found!r}), not {expected}; use it with --task {task}, "
                f"or train {expected} with `{retrain}`"
            )
        raise ModelFormatError(f"{name} is not {what} (no {format!r} header)")
    saved_by = f"framing {header.get('framing_version', '?')} / scikit-learn {header.get('sklearn_version', '?')}"
    this = f"framing {__version__} / scikit-learn {sklearn.__version__}"
    how = f"retrain with `{retrain}`"
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"{name}: model format version {header.get('format_version')!r} is not supported (this framing reads "
            f"version {FORMAT_VERSION}); the model was saved by {saved_by}; this is {this} — {how}"
        )
    if _minor(header.get("sklearn_version", "")) != _minor(sklearn.__version__):
        raise ModelFormatError(f"{name}: model was saved by {saved_by}; this is {this} — {how}")
    missing = [f for f in required if f not in header]
    if missing:
        raise ModelFormatError(
            f"{name}: model was saved by {saved_by}, before its header had {', '.join(missing)}; this is {this} — {how}"
        )
    try:
        pipeline = pickle.loads(header["pipeline"])
    except Exception as error:  # noqa: BLE001
        raise ModelFormatError(f"{name}: damaged model ({type(error).__name__}: {error}); {how}") from None
    if not isinstance(pipeline, Pipeline):
        raise ModelFormatError(f"{name}: damaged model (no pipeline); {how}")
    return header, pipeline


def write_model_bytes(path: str | os.PathLike, format: str, model: bytes, fields: dict[str, Any]) -> None:
    """Write a model that is not a scikit-learn pipeline (its own bytes) under the same header;
    the file holds plain values only (:func:`read_model_bytes` reads it without unpickling any
    class or function)."""
    header = {"format": format, "format_version": FORMAT_VERSION, **fields, "model": bytes(model)}
    joblib.dump(header, path, compress=("zlib", 6))


class _PlainUnpickler(pickle.Unpickler):
    """Unpickles dicts, lists, strings, bytes and numbers; refuses anything that names a class or
    a function (the only way a pickle runs code)."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"the file names {module}.{name}; a plain model header names nothing")


def _load_plain(source: str | os.PathLike | BinaryIO) -> Any:
    """A joblib file of plain values (as :func:`write_model_bytes` writes it: zlib-compressed or
    not), read with :class:`_PlainUnpickler`."""
    if hasattr(source, "read"):
        raw = source.read()
    else:
        with open(source, "rb") as handle:
            raw = handle.read()
    if raw[:1] == b"x":  # a zlib stream (a pickle starts with its protocol opcode, 0x80)
        raw = zlib.decompress(raw)
    return _PlainUnpickler(io.BytesIO(raw)).load()


def read_model_bytes(
    source: str | os.PathLike | BinaryIO, format: str, *, name: str | None = None, retrain: str
) -> tuple[dict[str, Any], bytes]:
    """The checked header and the model bytes of a file written by :func:`write_model_bytes`;
    nothing in the file is unpickled but plain values."""
    name = name or str(getattr(source, "name", source))
    try:
        header = _load_plain(source)
    except (OSError, FileNotFoundError):
        raise
    except Exception as error:  # noqa: BLE001 - anything unreadable is "not a model file"
        raise ModelFormatError(f"{name} is not a {format} model (cannot read it: {type(error).__name__}); "
                               f"build one with `{retrain}`") from None
    found = header.get("format") if isinstance(header, dict) else None
    if found != format:
        raise ModelFormatError(f"{name} is not a {format} model (found {found!r}); build one with `{retrain}`")
    if header.get("format_version") != FORMAT_VERSION:
        raise ModelFormatError(
            f"{name}: model format version {header.get('format_version')!r} is not supported (this framing reads "
            f"version {FORMAT_VERSION}); the model was saved by framing {header.get('framing_version', '?')} — "
            f"rebuild it with `{retrain}`"
        )
    model = header.get("model")
    if not isinstance(model, bytes) or not model:
        raise ModelFormatError(f"{name}: damaged model (no model bytes); rebuild it with `{retrain}`")
    return header, model

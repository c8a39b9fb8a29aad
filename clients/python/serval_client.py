"""Serval's Python client: V2 REST inference with the retry rules a production caller needs.

Standard library only; numpy is used when it can be imported (inputs may be numpy arrays, outputs
can be read as numpy arrays) and never required.

    from serval_client import Client, Tensor

    client = Client("http://localhost:8080", api_key="my-key", timeout=10, deadline=30)
    result = client.infer("add", [
        Tensor("a", "FP32", [1, 4], [1.0, 2.0, 3.0, 4.0]),
        Tensor("b", "FP32", [1, 4], [0.5, 0.5, 0.5, 0.5]),
    ])
    print(result["sum"].data)        # [1.5, 2.5, 3.5, 4.5]
    print(result.revision)           # the revision that served it

What is retried, and what is not (docs/clients.md states it in full):

* retried, with exponential backoff and full jitter, never sooner than the router's Retry-After:
  HTTP 503 (queue full, no ready replica) and 429, and a connection that could not be opened
  (refused, unreachable, connect timed out): in all of these the router never started the request;
* never retried: every other status (500 included: the router answers 500 when a replica died
  running the request, and replaying it would crash the next one; 504: the deadline is spent), and
  any failure once the request may have been sent (a read timeout, a reset or a closed connection
  after the connection was open), since the router may have started it on a replica.

Each attempt waits at most ``timeout`` seconds and the whole call at most ``deadline`` seconds; the
time an attempt may take is sent to the router as the ``Serval-Timeout`` header, so the router stops
working on a request its caller no longer waits for.
"""

import http.client
import json
import math
import random
import socket
import time
import urllib.parse

try:  # numpy is optional: accepted and returned when importable, never required
    import numpy as _np
except ImportError:  # pragma: no cover - depends on the machine
    _np = None

__all__ = [
    "Client",
    "Tensor",
    "InferResult",
    "ServalError",
    "ServalTimeout",
    "ServalConnectionError",
]

DEADLINE_HEADER = "Serval-Timeout"
REVISION_HEADER = "serval-revision"

_RETRIED_STATUSES = frozenset((429, 503))

# V2 datatypes and the Python type each element of `data` is converted to.
_FLOATS = ("FP16", "FP32", "FP64", "BF16")
_INTS = ("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64")
_NUMPY_TYPES = {
    "BOOL": "bool",
    "INT8": "int8",
    "INT16": "int16",
    "INT32": "int32",
    "INT64": "int64",
    "UINT8": "uint8",
    "UINT16": "uint16",
    "UINT32": "uint32",
    "UINT64": "uint64",
    "FP16": "float16",
    "FP32": "float32",
    "FP64": "float64",
}


class ServalError(Exception):
    """A request that failed: ``status`` is the HTTP status (None when no answer came), ``message``
    the router's V2 error text, ``attempts`` how many times the request was sent."""

    def __init__(self, status, message, attempts=1):
        super().__init__(
            "HTTP %s: %s" % (status, message) if status is not None else message
        )
        self.status = status
        self.message = message
        self.attempts = attempts


class ServalTimeout(ServalError):
    """The attempt timeout or the overall deadline passed before an answer came. Never retried once
    the request was sent: the router may be running it."""

    def __init__(self, message, attempts=1):
        super().__init__(None, message, attempts)


class ServalConnectionError(ServalError):
    """The connection could not be opened (refused, unreachable) on every attempt allowed, or broke
    after the request was sent (then it was not retried)."""

    def __init__(self, message, attempts=1):
        super().__init__(None, message, attempts)


class Tensor:
    """A V2 tensor: ``name``, ``datatype`` (FP32, INT64, BYTES, BOOL, ...), ``shape`` and ``data``,
    a flat row-major list (nested lists are flattened). BYTES elements go in as ``bytes`` or
    ``str`` and come out as ``bytes``."""

    __slots__ = ("name", "datatype", "shape", "data")

    def __init__(self, name, datatype, shape, data):
        self.name = name
        self.datatype = datatype.upper()
        self.shape = [int(d) for d in shape]
        self.data = [_element(self.datatype, v) for v in _flatten(data)]
        expected = math.prod(self.shape)
        if expected != len(self.data):
            raise ValueError(
                "tensor '%s': shape %s holds %d elements, data has %d"
                % (name, self.shape, expected, len(self.data))
            )

    @classmethod
    def from_numpy(cls, name, array, datatype=None):
        """A tensor from a numpy array; the datatype follows the array's dtype unless given."""
        if _np is None:
            raise RuntimeError("numpy is not installed")
        array = _np.asarray(array)
        if datatype is None:
            datatype = _datatype_of(array)
        return cls(name, datatype, list(array.shape), array.reshape(-1).tolist())

    def as_numpy(self):
        """The data as a numpy array of the tensor's shape (BYTES: dtype object, of bytes)."""
        if _np is None:
            raise RuntimeError("numpy is not installed")
        if self.datatype == "BYTES":
            return _np.array(self.data, dtype=object).reshape(self.shape)
        return _np.array(self.data, dtype=_NUMPY_TYPES[self.datatype]).reshape(self.shape)

    def to_json(self):
        data = self.data
        if self.datatype == "BYTES":
            data = [_bytes_to_json(self.name, v) for v in data]
        return {"name": self.name, "datatype": self.datatype, "shape": self.shape, "data": data}

    def __eq__(self, other):
        return isinstance(other, Tensor) and (
            self.name,
            self.datatype,
            self.shape,
            self.data,
        ) == (other.name, other.datatype, other.shape, other.data)

    def __repr__(self):
        return "Tensor(%r, %r, %r, %r)" % (self.name, self.datatype, self.shape, self.data)


class InferResult:
    """A V2 inference answer: ``outputs`` (name -> Tensor, in the router's order), ``model_name``,
    ``model_version``, ``id``, ``parameters``, ``revision`` (the revision that served it) and
    ``attempts`` (how many times the request was sent: 1 when it was not retried)."""

    def __init__(self, body, revision=None, attempts=1):
        self.model_name = body.get("model_name")
        self.model_version = body.get("model_version")
        self.id = body.get("id")
        self.parameters = body.get("parameters") or {}
        self.revision = revision
        self.attempts = attempts
        self.outputs = {}
        for o in body.get("outputs") or []:
            self.outputs[o["name"]] = Tensor(o["name"], o["datatype"], o["shape"], o["data"])

    def __getitem__(self, name):
        return self.outputs[name]

    def as_numpy(self, name):
        return self.outputs[name].as_numpy()


class Client:
    """A V2 REST client of a Serval router.

    :param url: the router, e.g. ``http://localhost:8080``
    :param api_key: sent as ``Authorization: Bearer <key>`` when given
    :param timeout: seconds one attempt may take, answer included
    :param deadline: seconds a whole call may take, retries and backoff included
    :param retries: how many times a retryable failure is retried (attempts = retries + 1)
    :param backoff: the first backoff ceiling in seconds; it doubles per retry, up to backoff_max
    :param backoff_max: the largest backoff ceiling in seconds
    """

    def __init__(
        self,
        url,
        api_key=None,
        timeout=30.0,
        deadline=60.0,
        retries=5,
        backoff=0.1,
        backoff_max=5.0,
        *,
        clock=time.monotonic,
        sleep=time.sleep,
        rng=random.random,
    ):
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError("url must be http(s)://host[:port], got %r" % url)
        if timeout <= 0 or deadline <= 0 or retries < 0 or backoff <= 0:
            raise ValueError("timeout, deadline and backoff must be > 0, retries >= 0")
        self._https = parsed.scheme == "https"
        self._host = parsed.hostname
        self._port = parsed.port or (443 if self._https else 80)
        self._prefix = parsed.path.rstrip("/")
        self._api_key = api_key
        self.timeout = float(timeout)
        self.deadline = float(deadline)
        self.retries = int(retries)
        self.backoff = float(backoff)
        self.backoff_max = float(backoff_max)
        # Injected so that tests can run the retry rules on a fake clock.
        self._clock = clock
        self._sleep = sleep
        self._rng = rng

    # ------------------------------------------------------------------ V2 API

    def infer(self, model, inputs, outputs=None, parameters=None, version=None):
        """Runs one inference. ``inputs``: a list of Tensor, or a dict name -> numpy array or
        Tensor; ``outputs``: the output names wanted (all when None). Returns an InferResult."""
        body = {"inputs": [t.to_json() for t in _tensors(inputs)]}
        if outputs is not None:
            body["outputs"] = [{"name": n} for n in outputs]
        if parameters:
            body["parameters"] = parameters
        _, headers, answer, attempts = self._call(
            "POST", self._model_path(model, version) + "/infer", json.dumps(body).encode()
        )
        return InferResult(_json(answer), headers.get(REVISION_HEADER), attempts)

    def ready(self, model):
        """True when the model has a ready replica (200), False when not (503 or 404, not retried)."""
        try:
            self._call("GET", self._model_path(model, None) + "/ready", None, retry=False)
            return True
        except ServalError as e:
            if e.status in (404, 503):
                return False
            raise

    def metadata(self, model):
        """The model's V2 metadata (name, versions, platform, inputs, outputs) as a dict."""
        return _json(self._call("GET", self._model_path(model, None), None)[2])

    def _model_path(self, model, version):
        path = "/v2/models/" + urllib.parse.quote(model, safe="")
        if version is not None:
            path += "/versions/" + urllib.parse.quote(str(version), safe="")
        return path

    # ------------------------------------------------------------------ retry loop

    def _call(self, method, path, body, retry=True):
        """Sends the request until it is answered, a failure that must not be retried happens, the
        retries are spent, or the next attempt could not start before the deadline."""
        start = self._clock()
        end = start + self.deadline
        attempt = 0
        while True:
            attempt += 1
            remaining = end - self._clock()
            if remaining <= 0:
                raise ServalTimeout(
                    "the deadline of %.3fs passed before attempt %d" % (self.deadline, attempt),
                    attempt - 1,
                )
            budget = min(self.timeout, remaining)
            try:
                status, headers, answer = self._attempt(method, path, body, budget)
            except _NotSent as e:
                failure = ServalConnectionError(str(e), attempt)
                retry_after = 0.0
            else:
                if 200 <= status < 300:
                    return status, headers, answer, attempt
                failure = ServalError(status, _error_text(answer), attempt)
                if status not in _RETRIED_STATUSES:
                    raise failure
                retry_after = _retry_after(headers.get("retry-after"))
            if not retry or attempt > self.retries:
                raise failure
            delay = retry_after + self._rng() * min(
                self.backoff_max, self.backoff * (2 ** (attempt - 1))
            )
            if self._clock() + delay >= end:
                # Sleeping would spend the deadline: the caller gets the last answer now.
                raise failure
            self._sleep(delay)

    def _attempt(self, method, path, body, budget):
        """One attempt on a fresh connection. Failures before the connection is open raise
        _NotSent (safe to retry); failures after it are ServalTimeout / ServalConnectionError (the
        router may have started the request). A fresh connection per attempt: a reused keep-alive
        connection that the server closed would fail after sending, where no retry is allowed."""
        cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        conn = cls(self._host, self._port, timeout=budget)
        try:
            try:
                conn.connect()
            except (ConnectionRefusedError, socket.timeout, OSError) as e:
                raise _NotSent("cannot connect to %s:%d: %s" % (self._host, self._port, e))
            headers = {
                "Accept": "application/json",
                DEADLINE_HEADER: "%dms" % max(1, int(budget * 1000)),
            }
            if body is not None:
                headers["Content-Type"] = "application/json"
            if self._api_key:
                headers["Authorization"] = "Bearer " + self._api_key
            try:
                conn.request(method, self._prefix + path, body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
            except socket.timeout:
                raise ServalTimeout(
                    "no answer within %.3fs (%s %s); not retried: the router may have started it"
                    % (budget, method, path)
                )
            except (OSError, http.client.HTTPException) as e:
                raise ServalConnectionError(
                    "the connection broke after the request was sent (%s %s): %s; not retried:"
                    " the router may have started it" % (method, path, e)
                )
            return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
        finally:
            conn.close()


class _NotSent(Exception):
    """The connection never opened: the request provably did not reach the router."""


# ---------------------------------------------------------------------- helpers


def _tensors(inputs):
    if isinstance(inputs, dict):
        out = []
        for name, value in inputs.items():
            if isinstance(value, Tensor):
                out.append(value)
            else:
                out.append(Tensor.from_numpy(name, value))
        return out
    return list(inputs)


def _flatten(data):
    if _np is not None and isinstance(data, _np.ndarray):
        return data.reshape(-1).tolist()
    if isinstance(data, (list, tuple)):
        flat = []
        for v in data:
            if isinstance(v, (list, tuple)):
                flat.extend(_flatten(v))
            else:
                flat.append(v)
        return flat
    return [data]


def _element(datatype, v):
    if datatype in _FLOATS:
        return float(v)
    if datatype in _INTS:
        return int(v)
    if datatype == "BOOL":
        return bool(v)
    if datatype == "BYTES":
        return v.encode("utf-8") if isinstance(v, str) else bytes(v)
    raise ValueError("unknown V2 datatype %r" % datatype)


def _bytes_to_json(name, v):
    try:
        return v.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            "tensor '%s': BYTES elements must be UTF-8 text in V2 JSON requests" % name
        )


def _datatype_of(array):
    kind = array.dtype.kind
    if kind in ("U", "S", "O"):
        return "BYTES"
    for datatype, name in _NUMPY_TYPES.items():
        if array.dtype == _np.dtype(name):
            return datatype
    raise ValueError("no V2 datatype for numpy dtype %s" % array.dtype)


def _retry_after(value):
    """Seconds of a Retry-After header (delta-seconds form); 0 when absent or a date."""
    if not value:
        return 0.0
    try:
        return max(0.0, float(value))
    except ValueError:
        return 0.0


def _json(answer):
    return json.loads(answer.decode("utf-8")) if answer else {}


def _error_text(answer):
    """The V2 error text ({"error": "..."}), else the body as text."""
    try:
        return str(json.loads(answer.decode("utf-8"))["error"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return answer.decode("utf-8", "replace").strip() or "(no body)"

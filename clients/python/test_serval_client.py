"""The client's retry, deadline and tensor rules against a fake V2 server (http.server in a thread).

Run: /usr/bin/python3 -m unittest -v test_serval_client   (from clients/python)
"""

import http.server
import json
import socket
import threading
import time
import unittest

import serval_client
from serval_client import Client, ServalConnectionError, ServalError, ServalTimeout, Tensor

ADD_ANSWER = {
    "model_name": "add",
    "model_version": "1",
    "outputs": [{"name": "sum", "datatype": "FP32", "shape": [1, 2], "data": [1.5, 2.5]}],
}


class FakeRouter:
    """A V2 server that answers each request with the next scripted reply and records what it got.

    A reply is (status, headers, body) or ("hang", seconds): read the request, then answer nothing
    until `seconds` pass or the test ends."""

    def __init__(self, replies, port=0):
        self.replies = list(replies)
        self.requests = []  # (method, path, headers, body)
        self.released = threading.Event()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append((self.command, self.path, dict(self.headers), body))
                reply = fake.replies.pop(0) if fake.replies else (500, {}, {"error": "unscripted"})
                if reply[0] == "hang":
                    fake.released.wait(reply[1])
                    return
                status, headers, payload = reply
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            do_GET = _serve
            do_POST = _serve

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def deadlines(self):
        return [r[2].get("Serval-Timeout") for r in self.requests]


class FakeClock:
    """time.monotonic and time.sleep on a clock that only moves when the client sleeps."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def add_inputs():
    return [Tensor("a", "FP32", [1, 2], [1.0, 2.0]), Tensor("b", "FP32", [1, 2], [0.5, 0.5])]


class RetryRulesTest(unittest.TestCase):
    def setUp(self):
        self.clock = FakeClock()
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.close()

    def router(self, replies, port=0):
        server = FakeRouter(replies, port)
        self.servers.append(server)
        return server

    def client(self, url, **kw):
        kw.setdefault("rng", lambda: 0.5)
        return Client(url, clock=self.clock.clock, sleep=self.clock.sleep, **kw)

    def test_503_then_200_is_retried_once_and_answers(self):
        router = self.router([(503, {}, {"error": "queue full"}), (200, {}, ADD_ANSWER)])
        result = self.client(router.url, backoff=0.2).infer("add", add_inputs())
        self.assertEqual([1.5, 2.5], result["sum"].data)
        self.assertEqual(2, len(router.requests))
        self.assertEqual(2, result.attempts)
        # full jitter: rng 0.5 of the first ceiling (0.2 s), no Retry-After
        self.assertEqual([0.1], self.clock.sleeps)
        self.assertEqual(router.requests[0][3], router.requests[1][3], "the same body is resent")

    def test_429_is_retried(self):
        router = self.router([(429, {}, {"error": "slow down"}), (200, {}, ADD_ANSWER)])
        self.client(router.url).infer("add", add_inputs())
        self.assertEqual(2, len(router.requests))

    def test_retry_after_is_the_least_wait_and_jitter_spreads_above_it(self):
        router = self.router(
            [
                (503, {"Retry-After": "1"}, {"error": "queue full"}),
                (503, {"Retry-After": "2"}, {"error": "queue full"}),
                (200, {}, ADD_ANSWER),
            ]
        )
        self.client(router.url, backoff=0.4, rng=lambda: 0.25).infer("add", add_inputs())
        self.assertEqual(3, len(router.requests))
        # Retry-After + rng * min(backoff_max, backoff * 2^n)
        self.assertEqual([1.0 + 0.25 * 0.4, 2.0 + 0.25 * 0.8], self.clock.sleeps)

    def test_backoff_ceiling_doubles_up_to_the_maximum(self):
        router = self.router([(503, {}, {"error": "x"})] * 5 + [(200, {}, ADD_ANSWER)])
        self.client(router.url, backoff=1, backoff_max=4, rng=lambda: 1.0).infer("add", add_inputs())
        self.assertEqual([1.0, 2.0, 4.0, 4.0, 4.0], self.clock.sleeps)

    def test_500_is_not_retried_and_carries_the_v2_error(self):
        text = "the replica serving this request died or dropped its connection while running it"
        router = self.router([(500, {}, {"error": text}), (200, {}, ADD_ANSWER)])
        with self.assertRaises(ServalError) as caught:
            self.client(router.url).infer("add", add_inputs())
        self.assertEqual(500, caught.exception.status)
        self.assertEqual(text, caught.exception.message)
        self.assertEqual(1, caught.exception.attempts)
        self.assertEqual(1, len(router.requests))
        self.assertEqual([], self.clock.sleeps)

    def test_504_and_400_are_not_retried(self):
        for status in (504, 400, 404):
            router = self.router([(status, {}, {"error": "no"}), (200, {}, ADD_ANSWER)])
            with self.assertRaises(ServalError) as caught:
                self.client(router.url).infer("add", add_inputs())
            self.assertEqual(status, caught.exception.status)
            self.assertEqual(1, len(router.requests), "status %d" % status)

    def test_retries_are_bounded_and_the_last_answer_is_raised(self):
        router = self.router([(503, {}, {"error": "queue full"})] * 10)
        with self.assertRaises(ServalError) as caught:
            self.client(router.url, retries=2).infer("add", add_inputs())
        self.assertEqual(503, caught.exception.status)
        self.assertEqual("queue full", caught.exception.message)
        self.assertEqual(3, caught.exception.attempts)
        self.assertEqual(3, len(router.requests))

    def test_connection_refused_is_retried_until_the_router_listens(self):
        port = free_port()
        started = []

        def sleep_then_start_router(seconds):
            self.clock.sleep(seconds)
            if not started:  # the router comes up during the first backoff
                started.append(self.router([(200, {}, ADD_ANSWER)], port))

        client = Client(
            "http://127.0.0.1:%d" % port,
            clock=self.clock.clock,
            sleep=sleep_then_start_router,
            rng=lambda: 0.5,
        )
        result = client.infer("add", add_inputs())
        self.assertEqual([1.5, 2.5], result["sum"].data)
        self.assertEqual(1, len(self.clock.sleeps))
        self.assertEqual(1, len(started[0].requests))

    def test_connection_refused_every_time_raises_a_connection_error(self):
        client = self.client("http://127.0.0.1:%d" % free_port(), retries=3)
        with self.assertRaises(ServalConnectionError) as caught:
            client.infer("add", add_inputs())
        self.assertEqual(4, caught.exception.attempts)
        self.assertIsNone(caught.exception.status)

    def test_read_timeout_is_not_retried(self):
        router = self.router([("hang", 10), (200, {}, ADD_ANSWER)])
        client = Client(router.url, timeout=0.3, deadline=30, sleep=self.clock.sleep)
        began = time.monotonic()
        with self.assertRaises(ServalTimeout):
            client.infer("add", add_inputs())
        self.assertLess(time.monotonic() - began, 3)
        self.assertEqual(1, len(router.requests), "sent once: the router may have started it")
        self.assertEqual([], self.clock.sleeps)

    def test_connection_closed_after_sending_is_not_retried(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        listener.settimeout(10)
        received = []

        def accept_read_and_close():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            received.append(conn.recv(65536))
            conn.close()

        t = threading.Thread(target=accept_read_and_close, daemon=True)
        t.start()
        try:
            client = self.client("http://127.0.0.1:%d" % listener.getsockname()[1])
            with self.assertRaises(ServalConnectionError):
                client.infer("add", add_inputs())
            t.join(10)
            # The client has returned: a retry would be waiting in the backlog now.
            listener.setblocking(False)
            with self.assertRaises(BlockingIOError):
                listener.accept()
        finally:
            listener.close()
        self.assertTrue(received[0].startswith(b"POST /v2/models/add/infer"))
        self.assertEqual([], self.clock.sleeps)

    def test_each_attempt_sends_what_is_left_of_the_deadline(self):
        router = self.router([(503, {"Retry-After": "1"}, {"error": "queue full"})] * 10)
        client = self.client(router.url, timeout=10, deadline=2.5, retries=10, rng=lambda: 0.0)
        with self.assertRaises(ServalError) as caught:
            client.infer("add", add_inputs())
        # attempts at t = 0, 1, 2; a third wait of 1 s would end at 3 > 2.5: the 503 is raised
        self.assertEqual(503, caught.exception.status)
        self.assertEqual(["2500ms", "1500ms", "500ms"], router.deadlines())
        self.assertEqual([1.0, 1.0], self.clock.sleeps)

    def test_the_attempt_timeout_caps_the_deadline_sent(self):
        router = self.router([(200, {}, ADD_ANSWER)])
        self.client(router.url, timeout=0.75, deadline=60).infer("add", add_inputs())
        self.assertEqual(["750ms"], router.deadlines())

    def test_the_deadline_ends_a_slow_call_on_the_real_clock(self):
        router = self.router([("hang", 10)])
        client = Client(router.url, timeout=30, deadline=0.4)
        began = time.monotonic()
        with self.assertRaises(ServalTimeout):
            client.infer("add", add_inputs())
        self.assertLess(time.monotonic() - began, 2.0)
        sent = router.deadlines()
        self.assertEqual(1, len(sent))
        self.assertTrue(sent[0].endswith("ms"))
        self.assertTrue(300 <= int(sent[0][:-2]) <= 400, sent)

    def test_ready_is_not_retried(self):
        router = self.router([(503, {"Retry-After": "1"}, {"error": "no replica"})])
        self.assertFalse(self.client(router.url).ready("add"))
        self.assertEqual(1, len(router.requests))
        self.assertEqual([], self.clock.sleeps)


class RequestTest(unittest.TestCase):
    def setUp(self):
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.close()

    def router(self, replies):
        server = FakeRouter(replies)
        self.servers.append(server)
        return server

    def test_the_request_is_v2_json_with_bearer_key_and_the_answer_is_typed(self):
        answer = {
            "model_name": "m",
            "id": "42",
            "outputs": [
                {"name": "f", "datatype": "FP32", "shape": [2], "data": [1, 2.5]},
                {"name": "i", "datatype": "INT64", "shape": [1, 2], "data": [[7, 8]]},
                {"name": "s", "datatype": "BYTES", "shape": [1], "data": ["héllo"]},
                {"name": "b", "datatype": "BOOL", "shape": [2], "data": [True, False]},
            ],
        }
        router = self.router([(200, {"serval-revision": "m-00002"}, answer)])
        client = Client(router.url + "/", api_key="k-1")
        result = client.infer(
            "m",
            [
                Tensor("x", "fp32", [2, 2], [[1, 2], [3, 4]]),
                Tensor("t", "BYTES", [2], ["héllo", b"raw"]),
                Tensor("flag", "BOOL", [1], [1]),
            ],
            outputs=["f", "i"],
            parameters={"priority": 1},
            version=3,
        )
        method, path, headers, body = router.requests[0]
        self.assertEqual(("POST", "/v2/models/m/versions/3/infer"), (method, path))
        self.assertEqual("Bearer k-1", headers["Authorization"])
        self.assertEqual("application/json", headers["Content-Type"])
        self.assertEqual(
            {
                "inputs": [
                    {"name": "x", "datatype": "FP32", "shape": [2, 2], "data": [1.0, 2.0, 3.0, 4.0]},
                    {"name": "t", "datatype": "BYTES", "shape": [2], "data": ["héllo", "raw"]},
                    {"name": "flag", "datatype": "BOOL", "shape": [1], "data": [True]},
                ],
                "outputs": [{"name": "f"}, {"name": "i"}],
                "parameters": {"priority": 1},
            },
            json.loads(body),
        )
        self.assertEqual("m-00002", result.revision)
        self.assertEqual("42", result.id)
        self.assertEqual(1, result.attempts)
        self.assertEqual(Tensor("f", "FP32", [2], [1.0, 2.5]), result["f"])
        self.assertEqual([7, 8], result["i"].data)
        self.assertIsInstance(result["f"].data[0], float)
        self.assertEqual([b"h\xc3\xa9llo"], result["s"].data)
        self.assertEqual([True, False], result["b"].data)

    def test_no_api_key_sends_no_authorization(self):
        router = self.router([(200, {}, ADD_ANSWER)])
        Client(router.url).infer("add", add_inputs())
        self.assertNotIn("Authorization", router.requests[0][2])

    def test_ready_and_metadata(self):
        meta = {"name": "add", "versions": ["1"], "platform": "onnx", "inputs": [], "outputs": []}
        router = self.router([(200, {}, {}), (404, {}, {"error": "no API 'x'"}), (200, {}, meta)])
        client = Client(router.url)
        self.assertTrue(client.ready("add"))
        self.assertFalse(client.ready("x"))
        self.assertEqual(meta, client.metadata("add"))
        self.assertEqual(
            ["/v2/models/add/ready", "/v2/models/x/ready", "/v2/models/add"],
            [r[1] for r in router.requests],
        )

    def test_401_is_a_typed_error_with_the_text(self):
        router = self.router([(401, {}, {"error": "a valid API key is required"})])
        with self.assertRaises(ServalError) as caught:
            Client(router.url, api_key="wrong").infer("add", add_inputs())
        self.assertEqual(401, caught.exception.status)
        self.assertIn("a valid API key is required", str(caught.exception))


class TensorTest(unittest.TestCase):
    def test_shape_and_data_must_agree(self):
        with self.assertRaises(ValueError):
            Tensor("a", "FP32", [2, 2], [1, 2, 3])

    def test_unknown_datatype_is_refused(self):
        with self.assertRaises(ValueError):
            Tensor("a", "COMPLEX", [1], [1])

    def test_bytes_that_are_not_text_cannot_go_in_json(self):
        with self.assertRaises(ValueError):
            Tensor("a", "BYTES", [1], [b"\xff"]).to_json()

    def test_numpy_is_not_required(self):
        # The module imported above whether or not numpy is installed; without it the numpy
        # conversions say so instead of failing on an import.
        if serval_client._np is None:
            with self.assertRaises(RuntimeError):
                Tensor("a", "FP32", [1], [1.0]).as_numpy()
        else:
            array = Tensor("a", "INT64", [1, 2], [1, 2]).as_numpy()
            self.assertEqual((1, 2), array.shape)
            self.assertEqual(Tensor("a", "INT64", [1, 2], [1, 2]), Tensor.from_numpy("a", array))


if __name__ == "__main__":
    unittest.main()

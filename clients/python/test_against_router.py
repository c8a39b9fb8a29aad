"""The client against a real Serval router, run by integration-tests' PythonClientIT.

Environment (PythonClientIT sets it):
  SERVAL_URL          the router's REST address, e.g. http://127.0.0.1:8080
  SERVAL_API_KEY      a key the router accepts
  SERVAL_ADD_MODEL    an API serving TestModels.addFp32(SERVAL_ADD_WIDTH): sum = a + b
  SERVAL_ADD_WIDTH    its width
  SERVAL_SLOW_MODEL   an API serving the slow model (x FP32 [1, SERVAL_SLOW_WIDTH] -> y = x) with a
                      small maxConcurrency + maxQueueLength, so that a burst fills its queue
  SERVAL_SLOW_WIDTH   its width
  SERVAL_SLOW_CAPACITY  replicas x maxConcurrency + maxQueueLength of the slow API
"""

import os
import sys
import threading
import unittest

from serval_client import Client, ServalError, Tensor

ENV = os.environ


def slow_input(width):
    return [Tensor("x", "FP32", [1, width], [i * 0.25 for i in range(width)])]


def burst(client, model, inputs, callers):
    """`callers` threads send one request each at once; returns (results, errors)."""
    results, errors = [], []
    lock = threading.Lock()
    go = threading.Event()

    def call():
        go.wait(30)
        try:
            r = client.infer(model, inputs)
            with lock:
                results.append(r)
        except ServalError as e:
            with lock:
                errors.append(e)

    threads = [threading.Thread(target=call, daemon=True) for _ in range(callers)]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join(180)
    if any(t.is_alive() for t in threads):
        raise AssertionError("a caller was still running after 180 s")
    return results, errors


@unittest.skipUnless("SERVAL_URL" in ENV, "run by PythonClientIT, which starts a router")
class AgainstRouterTest(unittest.TestCase):
    def setUp(self):
        self.url = ENV["SERVAL_URL"]
        self.key = ENV["SERVAL_API_KEY"]

    def test_predicts_for_real(self):
        width = int(ENV["SERVAL_ADD_WIDTH"])
        model = ENV["SERVAL_ADD_MODEL"]
        client = Client(self.url, api_key=self.key, timeout=10, deadline=30)
        a = [float(i) for i in range(width)]
        b = [0.5 * i for i in range(width)]
        result = client.infer(
            model, [Tensor("a", "FP32", [1, width], a), Tensor("b", "FP32", [1, width], b)]
        )
        self.assertEqual([1, width], result["sum"].shape)
        self.assertEqual("FP32", result["sum"].datatype)
        self.assertEqual([x + y for x, y in zip(a, b)], result["sum"].data)
        self.assertEqual(model, result.model_name)
        self.assertTrue(result.revision, "the router names the revision that served it")
        self.assertTrue(client.ready(model))
        self.assertFalse(client.ready("no-such-api"))
        meta = client.metadata(model)
        self.assertEqual(model, meta["name"])
        self.assertEqual(["a", "b"], sorted(i["name"] for i in meta["inputs"]))

    def test_a_wrong_key_is_a_typed_401_and_not_retried(self):
        client = Client(self.url, api_key="not-a-key", timeout=10, deadline=30)
        with self.assertRaises(ServalError) as caught:
            client.infer(ENV["SERVAL_ADD_MODEL"], [Tensor("a", "FP32", [1], [1.0])])
        self.assertEqual(401, caught.exception.status)
        self.assertEqual(1, caught.exception.attempts)
        self.assertIn("API key", caught.exception.message)

    def test_bad_input_is_a_typed_400_with_the_routers_text(self):
        width = int(ENV["SERVAL_ADD_WIDTH"])
        client = Client(self.url, api_key=self.key, timeout=10, deadline=30)
        wrong_type = [
            Tensor("a", "INT64", [1, width], list(range(width))),
            Tensor("b", "INT64", [1, width], list(range(width))),
        ]
        with self.assertRaises(ServalError) as caught:
            client.infer(ENV["SERVAL_ADD_MODEL"], wrong_type)
        self.assertEqual(400, caught.exception.status)
        self.assertEqual(1, caught.exception.attempts)
        self.assertIn("datatype", caught.exception.message.lower())

    def test_a_full_queue_costs_the_callers_no_error(self):
        model = ENV["SERVAL_SLOW_MODEL"]
        width = int(ENV["SERVAL_SLOW_WIDTH"])
        callers = 4 * int(ENV["SERVAL_SLOW_CAPACITY"])
        inputs = slow_input(width)

        # Without retries the same burst is refused in part: the queue really is full, so the
        # retrying run below is a test that could fail.
        bare = Client(self.url, api_key=self.key, timeout=120, deadline=120, retries=0)
        bare.infer(model, inputs)  # warm: the first run of a model is slower
        _, refused = burst(bare, model, inputs, callers)
        self.assertTrue(refused, "a burst of %d must overflow the queue" % callers)
        self.assertEqual({503}, {e.status for e in refused}, [str(e) for e in refused])

        retrying = Client(self.url, api_key=self.key, timeout=120, deadline=150, retries=30)
        results, errors = burst(retrying, model, inputs, callers)
        self.assertEqual([], [str(e) for e in errors])
        self.assertEqual(callers, len(results))
        self.assertGreater(
            max(r.attempts for r in results), 1, "the queue was full: some caller was retried"
        )
        attempts = sorted(r.attempts for r in results)
        print(
            "\n[burst of %d] without retries: %d refused with 503; with retries: all answered,"
            " attempts per caller %s" % (callers, len(refused), attempts),
            file=sys.stderr,
        )
        for r in results:
            self.assertEqual(inputs[0].data, r["y"].data)


if __name__ == "__main__":
    unittest.main()

package io.serval.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.it.client.ApiSpec;
import io.serval.it.platform.Platform;
import io.serval.it.platform.ServiceJars;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, the Python client: clients/python/test_against_router.py, run by the machine's
 * /usr/bin/python3 against a real router with API keys on (with the client's own unit tests,
 * test_serval_client.py, so that the build runs those too). It predicts with the add model, gets
 * typed 400/401 errors, and sends a burst four times the capacity of a slow API: without retries
 * part of it is refused with 503, with the client's retries every caller gets its answer.
 */
class PythonClientIT {

  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final String KEY = "py-key-1";
  static final int ADD_WIDTH = 4;
  static final int SLOW_WIDTH = 256;

  /** One replica running one request, three queued: the fifth caller at once is refused. */
  static final int SLOW_CONCURRENCY = 1;

  static final int SLOW_QUEUE = 3;

  /** The whole Python suite, the burst included; the platform's own start is not in it. */
  static final Duration PYTHON_LIMIT = Duration.ofMinutes(6);

  static Platform platform;

  @BeforeAll
  static void start() {
    // CI machines have it; a machine without it must not pass this suite by skipping it.
    assertThat(PYTHON).as("the Python client is tested with /usr/bin/python3").isExecutable();
    platform = Platform.builder("PythonClientIT").apiKeys(KEY).start();
    platform
        .management()
        .deploy(
            ApiSpec.documents(
                ApiSpec.api("add")
                    .model(platform.models().addFp32("add.onnx", ADD_WIDTH))
                    .replicas(1)
                    .yaml(),
                ApiSpec.api("bounded")
                    // ~4.3e9 multiply-adds per request: hundreds of milliseconds on one thread.
                    .model(platform.models().slow("slow.onnx", SLOW_WIDTH, 4096, 16))
                    .traffic(SLOW_CONCURRENCY, SLOW_QUEUE, "120s")
                    .replicas(1)
                    .yaml()));
    for (String api : List.of("add", "bounded")) {
      platform.management().awaitReady(api, Duration.ofSeconds(120));
    }
  }

  @AfterAll
  static void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void thePythonClientPredictsAndItsCallersSeeNoErrorARetryCouldHaveAvoided()
      throws IOException, InterruptedException {
    Path clientDir = ServiceJars.repoDir().resolve("clients/python");
    Path log = platform.dir().resolve("logs/python-client.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                PYTHON.toString(),
                "-B",
                "-m",
                "unittest",
                "-v",
                "test_serval_client",
                "test_against_router")
            .directory(clientDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SERVAL_URL", platform.routerHttpUrl());
    env.put("SERVAL_API_KEY", KEY);
    env.put("SERVAL_ADD_MODEL", "add");
    env.put("SERVAL_ADD_WIDTH", Integer.toString(ADD_WIDTH));
    env.put("SERVAL_SLOW_MODEL", "bounded");
    env.put("SERVAL_SLOW_WIDTH", Integer.toString(SLOW_WIDTH));
    env.put("SERVAL_SLOW_CAPACITY", Integer.toString(SLOW_CONCURRENCY + SLOW_QUEUE));
    Process python = pb.start();
    boolean done;
    try {
      done = python.waitFor(PYTHON_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      if (python.isAlive()) {
        python.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    }
    String output = Files.readString(log);
    System.out.println("[python client]\n" + output);
    assertThat(done).as("the Python suite ends within " + PYTHON_LIMIT).isTrue();
    assertThat(python.exitValue()).as(output).isZero();
    // Every test ran: test_against_router skips itself when SERVAL_URL is not set.
    assertThat(output)
        .containsPattern("(?m)^OK$")
        .doesNotContain("skipped")
        .contains("test_a_full_queue_costs_the_callers_no_error")
        .contains("test_503_then_200_is_retried_once_and_answers");
  }
}

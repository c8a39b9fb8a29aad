package io.serval.client;

import io.serval.client.grpc.GrpcTransport;
import io.serval.client.rest.RestTransport;
import io.serval.client.retry.Retrier;
import io.serval.client.retry.RetryPolicy;
import io.serval.client.retry.RetrySettings;
import io.serval.client.retry.Sleeper;
import io.serval.client.retry.Ticker;
import io.serval.client.transport.Transport;
import io.serval.client.v2.InferRequest;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.ModelMetadata;
import io.serval.client.v2.ServalException;
import io.serval.client.v2.Tensor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * A client of a Serval router's V2 inference API, over REST (JSON or the binary tensor extension)
 * or gRPC, with the retry rules a production caller needs: a request is retried only when the
 * router provably never started it (HTTP 503/429, gRPC UNAVAILABLE/RESOURCE_EXHAUSTED sent by the
 * router, a connection that could not be opened), with exponential backoff and full jitter, never
 * sooner than {@code Retry-After}; each attempt has a timeout, the whole call a deadline, and the
 * time an attempt may take is sent to the router ({@code Serval-Timeout}, the gRPC deadline) so
 * that it stops working on a request its caller no longer waits for. Thread-safe; close it when
 * done (gRPC holds a channel).
 *
 * <pre>{@code
 * try (ServalClient client = ServalClient.rest("http://localhost:8080").apiKey("my-key").build()) {
 *   InferResult r = client.infer("add", List.of(
 *       Tensor.floats("a", new long[] {1, 4}, 1f, 2f, 3f, 4f),
 *       Tensor.floats("b", new long[] {1, 4}, 0.5f, 0.5f, 0.5f, 0.5f)));
 *   float[] sum = r.output("sum").floats();
 * }
 * }</pre>
 */
public final class ServalClient implements AutoCloseable {

  private final Transport transport;
  private final Retrier retrier;

  private ServalClient(Transport transport, Retrier retrier) {
    this.transport = transport;
    this.retrier = retrier;
  }

  /** A REST client of the router at {@code url} ({@code http(s)://host:port}). */
  public static Builder rest(String url) {
    return new Builder(Objects.requireNonNull(url, "url"), null);
  }

  /** A gRPC client of the router's gRPC server at {@code target} ({@code host:port}). */
  public static Builder grpc(String target) {
    return new Builder(null, Objects.requireNonNull(target, "target"));
  }

  /**
   * Runs one inference with every output.
   *
   * @throws ServalException when it failed (after the retries its failure allowed)
   */
  public InferResult infer(String model, List<Tensor> inputs) {
    return infer(model, InferRequest.of(inputs));
  }

  /**
   * Runs one inference.
   *
   * @throws ServalException when it failed (after the retries its failure allowed)
   */
  public InferResult infer(String model, InferRequest request) {
    Retrier.Attempted<InferResult> done =
        retrier.call(budget -> transport.infer(model, request, budget), true);
    return done.value().withAttempts(done.attempts());
  }

  /** The model's V2 metadata. */
  public ModelMetadata metadata(String model) {
    return retrier.call(budget -> transport.metadata(model, budget), true).value();
  }

  /**
   * Whether the model has a ready replica. A probe: one attempt, never retried; not ready (503) and
   * unknown (404) are false.
   *
   * @throws ServalException for any other failure (a refused key, no connection)
   */
  public boolean ready(String model) {
    try {
      return retrier.call(budget -> transport.ready(model, budget), false).value();
    } catch (ServalException e) {
      if (e.status() == 404 || e.status() == 503) {
        return false;
      }
      throw e;
    }
  }

  /** Where the client sends its requests. */
  public String target() {
    return transport.target();
  }

  @Override
  public void close() {
    transport.close();
  }

  /** The client's settings; the defaults are the Python client's. */
  public static final class Builder {
    private final String url;
    private final String grpcTarget;
    private Optional<String> apiKey = Optional.empty();
    private Duration attemptTimeout = RetrySettings.DEFAULTS.attemptTimeout();
    private Duration deadline = RetrySettings.DEFAULTS.deadline();
    private int retries = RetrySettings.DEFAULTS.retries();
    private Duration backoff = RetrySettings.DEFAULTS.backoff();
    private Duration maxBackoff = RetrySettings.DEFAULTS.maxBackoff();
    private long maxResponseBytes = 64L << 20;
    private boolean binary;
    private boolean tls;
    private Ticker ticker = System::nanoTime;
    private Sleeper sleeper = Thread::sleep;
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder(String url, String grpcTarget) {
      this.url = url;
      this.grpcTarget = grpcTarget;
    }

    /** Sent as {@code Authorization: Bearer <key>} (HTTP header or gRPC metadata). */
    public Builder apiKey(String key) {
      if (key != null && !key.matches("[\\x21-\\x7E]+")) {
        throw new IllegalArgumentException("an API key is printable ASCII without spaces");
      }
      this.apiKey = Optional.ofNullable(key);
      return this;
    }

    /** The longest one attempt may take, from connecting to the last byte (default 30 s). */
    public Builder attemptTimeout(Duration d) {
      this.attemptTimeout = d;
      return this;
    }

    /** The longest the whole call may take, retries and waits included (default 60 s). */
    public Builder deadline(Duration d) {
      this.deadline = d;
      return this;
    }

    /** Retries after the first attempt: at most {@code n + 1} attempts (default 5). */
    public Builder retries(int n) {
      this.retries = n;
      return this;
    }

    /** The first backoff ceiling, doubled per retry (default 100 ms). */
    public Builder backoff(Duration d) {
      this.backoff = d;
      return this;
    }

    /** The largest backoff ceiling (default 5 s). */
    public Builder maxBackoff(Duration d) {
      this.maxBackoff = d;
      return this;
    }

    /** The largest answer accepted, in bytes (default 64 MiB). */
    public Builder maxResponseBytes(long n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxResponseBytes must be > 0");
      }
      this.maxResponseBytes = n;
      return this;
    }

    /**
     * REST only: tensors go, and come back, in the binary tensor extension (a JSON header followed
     * by the raw bytes) rather than as JSON numbers. Faster for large tensors; needed for FP16,
     * BF16 and BYTES that are not UTF-8.
     */
    public Builder binary(boolean on) {
      this.binary = on;
      return this;
    }

    /** gRPC only: TLS with the JDK's trust store (REST takes it from an https URL). */
    public Builder tls(boolean on) {
      this.tls = on;
      return this;
    }

    /** For tests: the clock, the waiting and the jitter's random numbers ([0, 1)). */
    public Builder timing(Ticker ticker, Sleeper sleeper, DoubleSupplier random) {
      this.ticker = Objects.requireNonNull(ticker);
      this.sleeper = Objects.requireNonNull(sleeper);
      this.random = Objects.requireNonNull(random);
      return this;
    }

    /**
     * @throws IllegalArgumentException for a bad URL or bounds
     */
    public ServalClient build() {
      RetrySettings settings =
          new RetrySettings(attemptTimeout, deadline, retries, backoff, maxBackoff);
      Transport transport;
      if (url != null) {
        if (tls) {
          throw new IllegalArgumentException("REST takes TLS from an https:// URL");
        }
        transport = new RestTransport(URI.create(url), apiKey, binary, maxResponseBytes);
      } else {
        if (binary) {
          throw new IllegalArgumentException(
              "the binary tensor extension is REST's; gRPC always sends raw contents");
        }
        transport = new GrpcTransport(grpcTarget, tls, apiKey, maxResponseBytes);
      }
      return new ServalClient(
          transport, new Retrier(new RetryPolicy(settings, random), ticker, sleeper));
    }
  }
}

package io.serval.predictor.config;

import io.serval.objects.S3Settings;
import io.serval.predictor.model.AddressPolicy;
import io.serval.predictor.model.FetchPolicy;
import io.serval.predictor.model.FileRoots;
import io.serval.security.UriRedaction;
import io.serval.specrules.ModelUris;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a {@link PredictorConfig} for values that cannot work, before anything is loaded. */
public final class ConfigCheck {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  private ConfigCheck() {}

  /**
   * @return one message per bad value, naming the key; empty when the configuration is usable
   */
  public static List<String> problems(PredictorConfig c) {
    List<String> p = new ArrayList<>();
    String uri = c.model().uri().trim();
    if (uri.isEmpty()) {
      p.add("serval.predictor.model.uri is empty; expected " + ModelUris.EXPECTED);
    } else if (ModelUris.source(uri).isEmpty()) {
      p.add(
          "serval.predictor.model.uri '"
              + UriRedaction.redact(uri)
              + "' has an unsupported scheme or form; expected "
              + ModelUris.EXPECTED);
    }
    if (c.model().name().isBlank()) {
      p.add("serval.predictor.model.name must not be blank");
    }
    c.model()
        .sha256()
        .filter(s -> !SHA256.matcher(s).matches())
        .ifPresent(
            s -> p.add("serval.predictor.model.sha256 must be 64 hex digits, was '" + s + "'"));
    atLeast(p, "serval.predictor.workers", c.workers(), 1);
    atLeast(p, "serval.predictor.threads-per-worker", c.threadsPerWorker(), 1);
    atLeast(p, "serval.predictor.gpu", c.gpu(), 0);
    atLeast(p, "serval.predictor.batching.max-batch-size", c.batching().maxBatchSize(), 1);
    atLeast(p, "serval.predictor.batching.max-queue-size", c.batching().maxQueueSize(), 1);
    if (c.batching().maxQueueDelay().isNegative()) {
      p.add(
          "serval.predictor.batching.max-queue-delay must be >= 0, was "
              + c.batching().maxQueueDelay());
    }
    long max = c.maxRequestSize().asLongValue();
    if (max < 1024 || max > Integer.MAX_VALUE) {
      p.add("serval.predictor.max-request-size must be between 1K and 2G, was " + max + " bytes");
    }
    if (c.shutdownGrace().isNegative()) {
      p.add("serval.predictor.shutdown-grace must be >= 0, was " + c.shutdownGrace());
    }
    if (!c.model().downloadTimeout().isPositive()) {
      p.add(
          "serval.predictor.model.download-timeout must be > 0, was "
              + c.model().downloadTimeout());
    }
    c.warmupRequest()
        .ifPresent(
            w -> {
              try {
                if (warmupRequest(w).length == 0) {
                  p.add("serval.predictor.warmup-request is empty");
                }
              } catch (IllegalArgumentException e) {
                p.add(
                    "serval.predictor.warmup-request must be a base64-encoded V2 inference request"
                        + " (JSON): "
                        + e.getMessage());
              }
            });
    PredictorConfig.ModelFetch f = c.modelFetch();
    if (f.maxSize().asLongValue() < 1) {
      p.add("serval.predictor.model-fetch.max-size must be > 0, was " + f.maxSize().asLongValue());
    }
    if (f.maxRedirects() < 0 || f.maxRedirects() > 20) {
      p.add(
          "serval.predictor.model-fetch.max-redirects must be between 0 and 20, was "
              + f.maxRedirects());
    }
    try {
      AddressPolicy.of(f.allowPrivateAddresses(), f.allowedHosts().orElse(List.of()));
    } catch (IllegalArgumentException e) {
      p.add("serval.predictor.model-fetch.allowed-hosts: " + e.getMessage());
    }
    return p;
  }

  /**
   * @return one message per bad S3 setting, naming the key; empty when they are usable
   */
  public static List<String> s3Problems(S3Config s3) {
    try {
      s3Settings(s3, Duration.ofMinutes(10));
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("serval.s3: " + e.getMessage());
    }
  }

  /**
   * The S3 settings the configuration describes (call after {@link #s3Problems} found none). The
   * client's connect and read timeouts never exceed the model download's own deadline.
   */
  public static S3Settings s3Settings(S3Config s3, Duration downloadTimeout) {
    S3Settings d = S3Settings.defaults();
    return new S3Settings(
        s3.endpoint(),
        s3.region(),
        s3.pathStyle(),
        s3.accessKeyIdFile(),
        s3.secretAccessKeyFile(),
        min(d.connectTimeout(), downloadTimeout),
        min(d.readTimeout(), downloadTimeout),
        d.partSize());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** The fetch rules the configuration describes (call after {@link #problems} found none). */
  public static FetchPolicy fetchPolicy(PredictorConfig c) {
    PredictorConfig.ModelFetch f = c.modelFetch();
    return new FetchPolicy(
        f.maxSize().asLongValue(),
        c.model().downloadTimeout(),
        f.maxRedirects(),
        AddressPolicy.of(f.allowPrivateAddresses(), f.allowedHosts().orElse(List.of())),
        FileRoots.of(f.fileRoots().orElse(List.of(Path.of("")))));
  }

  /**
   * The warm-up sample's JSON bytes.
   *
   * @throws IllegalArgumentException when {@code base64} is not base64
   */
  public static byte[] warmupRequest(String base64) {
    return Base64.getDecoder().decode(base64.trim());
  }

  private static void atLeast(List<String> p, String key, int value, int min) {
    if (value < min) {
      p.add(key + " must be >= " + min + ", was " + value);
    }
  }
}

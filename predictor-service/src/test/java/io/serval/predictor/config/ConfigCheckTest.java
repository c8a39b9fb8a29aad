package io.serval.predictor.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.MemorySize;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigCheckTest {

  /** A configuration with every value settable, defaults as in PredictorConfig. */
  record Values(
      String uri,
      int workers,
      int threads,
      int gpu,
      int maxBatch,
      Duration delay,
      int queue,
      long maxRequest,
      Optional<String> sha)
      implements PredictorConfig {
    static Values defaults() {
      return new Values(
          "file:model.onnx", 1, 1, 0, 1, Duration.ofMillis(2), 256, 64L << 20, Optional.empty());
    }

    @Override
    public Model model() {
      return new Model() {
        @Override
        public String uri() {
          return uri;
        }

        @Override
        public String name() {
          return "model";
        }

        @Override
        public Optional<String> version() {
          return Optional.empty();
        }

        @Override
        public Optional<String> sha256() {
          return sha;
        }

        @Override
        public Path cacheDir() {
          return Path.of("/tmp");
        }

        @Override
        public Duration downloadTimeout() {
          return Duration.ofMinutes(10);
        }
      };
    }

    @Override
    public int threadsPerWorker() {
      return threads;
    }

    @Override
    public Batching batching() {
      return new Batching() {
        @Override
        public int maxBatchSize() {
          return maxBatch;
        }

        @Override
        public Duration maxQueueDelay() {
          return delay;
        }

        @Override
        public int maxQueueSize() {
          return queue;
        }
      };
    }

    @Override
    public MemorySize maxRequestSize() {
      return new MemorySize(BigInteger.valueOf(maxRequest));
    }

    @Override
    public Duration shutdownGrace() {
      return Duration.ofSeconds(10);
    }

    @Override
    public boolean warmup() {
      return true;
    }

    @Override
    public Optional<String> warmupRequest() {
      return Optional.empty();
    }

    @Override
    public ModelFetch modelFetch() {
      return new ModelFetch() {
        @Override
        public MemorySize maxSize() {
          return new MemorySize(BigInteger.valueOf(4L << 30));
        }

        @Override
        public int maxRedirects() {
          return 5;
        }

        @Override
        public boolean allowPrivateAddresses() {
          return false;
        }

        @Override
        public Optional<List<String>> allowedHosts() {
          return Optional.empty();
        }

        @Override
        public Optional<List<Path>> fileRoots() {
          return Optional.empty();
        }
      };
    }
  }

  @Test
  void defaultsAreValid() {
    assertThat(ConfigCheck.problems(Values.defaults())).isEmpty();
  }

  @Test
  void everyBadValueIsNamedByItsKey() {
    Values bad =
        new Values(
            "gs://bucket/model.onnx",
            0,
            0,
            -1,
            0,
            Duration.ofMillis(-1),
            0,
            10,
            Optional.of("abc"));
    assertThat(ConfigCheck.problems(bad))
        .anyMatch(p -> p.contains("serval.predictor.model.uri") && p.contains("unsupported scheme"))
        .anyMatch(p -> p.contains("serval.predictor.workers must be >= 1, was 0"))
        .anyMatch(p -> p.contains("serval.predictor.threads-per-worker must be >= 1"))
        .anyMatch(p -> p.contains("serval.predictor.gpu must be >= 0"))
        .anyMatch(p -> p.contains("serval.predictor.batching.max-batch-size must be >= 1"))
        .anyMatch(p -> p.contains("serval.predictor.batching.max-queue-size must be >= 1"))
        .anyMatch(p -> p.contains("serval.predictor.batching.max-queue-delay must be >= 0"))
        .anyMatch(p -> p.contains("serval.predictor.max-request-size"))
        .anyMatch(p -> p.contains("serval.predictor.model.sha256 must be 64 hex digits"))
        .hasSize(9);
  }

  @Test
  void anS3ModelUriIsAccepted() {
    Values s3 =
        new Values(
            "s3://models/team/model.onnx",
            1,
            1,
            0,
            1,
            Duration.ofMillis(2),
            256,
            64L << 20,
            Optional.empty());

    assertThat(ConfigCheck.problems(s3)).isEmpty();
  }

  @Test
  void anS3UriWithCredentialsIsRefusedWithoutShowingThem() {
    Values s3 =
        new Values(
            "s3://AKIA:hunter2@models/model.onnx",
            1,
            1,
            0,
            1,
            Duration.ofMillis(2),
            256,
            64L << 20,
            Optional.empty());

    assertThat(ConfigCheck.problems(s3))
        .singleElement()
        .asString()
        .contains("serval.predictor.model.uri", "s3://bucket/key")
        .doesNotContain("hunter2");
  }

  @Test
  void s3SettingsAreCheckedAndBoundedByTheDownloadTimeout() {
    S3Config oneKeyFile = s3(Optional.of(Path.of("/secrets/id")), Optional.empty());
    assertThat(ConfigCheck.s3Problems(oneKeyFile))
        .singleElement()
        .asString()
        .startsWith("serval.s3: ")
        .contains("need both");

    S3Config none = s3(Optional.empty(), Optional.empty());
    assertThat(ConfigCheck.s3Problems(none)).isEmpty();
    var settings = ConfigCheck.s3Settings(none, Duration.ofSeconds(3));
    assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.pathStyle()).isTrue();
    assertThat(settings.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
  }

  private static S3Config s3(Optional<Path> idFile, Optional<Path> secretFile) {
    return new S3Config() {
      @Override
      public Optional<URI> endpoint() {
        return Optional.of(URI.create("http://127.0.0.1:9000"));
      }

      @Override
      public Optional<String> region() {
        return Optional.empty();
      }

      @Override
      public boolean pathStyle() {
        return true;
      }

      @Override
      public Optional<Path> accessKeyIdFile() {
        return idFile;
      }

      @Override
      public Optional<Path> secretAccessKeyFile() {
        return secretFile;
      }
    };
  }
}

package io.serval.objects;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How to reach S3 or an S3-compatible server. Credentials are not part of the settings: they come
 * from the AWS SDK's default chain (env {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 * {@code ~/.aws} profiles, web identity on Kubernetes, instance roles) unless both key files are
 * set, whose contents are then read on every request (a rotated Kubernetes Secret is picked up). So
 * these settings can be logged and passed on as they are.
 *
 * @param endpoint the endpoint of an S3-compatible server ({@code http://minio:9000}); empty: AWS
 * @param region the region to sign for; empty: the SDK's region chain ({@code AWS_REGION}, profile)
 *     on AWS, {@code us-east-1} with an endpoint override
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of {@code
 *     bucket.endpoint/key} (what most S3-compatible servers need)
 * @param accessKeyIdFile a file holding the access key id (with {@code secretAccessKeyFile})
 * @param secretAccessKeyFile a file holding the secret access key (with {@code accessKeyIdFile})
 * @param connectTimeout how long a connection may take to open
 * @param readTimeout how long a read may wait for the next bytes
 * @param partSize the part size of multipart uploads, and the size above which an upload is one; at
 *     least 5 MiB (S3's minimum part)
 */
public record S3Settings(
    Optional<URI> endpoint,
    Optional<String> region,
    boolean pathStyle,
    Optional<Path> accessKeyIdFile,
    Optional<Path> secretAccessKeyFile,
    Duration connectTimeout,
    Duration readTimeout,
    int partSize) {

  /** S3's smallest part of a multipart upload (all but the last). */
  public static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  /** The default part size: 8 MiB, one buffer of it per upload in flight. */
  public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

  /** Env: the endpoint of an S3-compatible server. */
  public static final String ENV_ENDPOINT = "SERVAL_S3_ENDPOINT";

  /** Env: the region. */
  public static final String ENV_REGION = "SERVAL_S3_REGION";

  /** Env: {@code true} for path-style bucket addressing. */
  public static final String ENV_PATH_STYLE = "SERVAL_S3_PATH_STYLE";

  /** Env: a file holding the access key id. */
  public static final String ENV_ACCESS_KEY_ID_FILE = "SERVAL_S3_ACCESS_KEY_ID_FILE";

  /** Env: a file holding the secret access key. */
  public static final String ENV_SECRET_ACCESS_KEY_FILE = "SERVAL_S3_SECRET_ACCESS_KEY_FILE";

  public S3Settings {
    if (accessKeyIdFile.isPresent() != secretAccessKeyFile.isPresent()) {
      throw new IllegalArgumentException(
          "S3 credentials from files need both the access key id file and the secret access key"
              + " file");
    }
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException(
          "the S3 part size must be at least " + MIN_PART_SIZE + " bytes (5 MiB), not " + partSize);
    }
    endpoint.ifPresent(
        e -> {
          if (!"http".equals(e.getScheme()) && !"https".equals(e.getScheme())) {
            throw new IllegalArgumentException(
                "the S3 endpoint must be an http:// or https:// URL, not " + e);
          }
          if (e.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                "the S3 endpoint must not carry credentials: use the key files or the AWS env");
          }
        });
  }

  /** AWS S3 in the SDK's region, credentials from the default chain. */
  public static S3Settings defaults() {
    return new S3Settings(
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(60),
        DEFAULT_PART_SIZE);
  }

  /**
   * The settings a process's environment gives ({@code SERVAL_S3_*}); what is unset keeps its
   * default. How the operator hands the settings to a predictor.
   */
  public static S3Settings fromEnvironment(Map<String, String> env) {
    S3Settings d = defaults();
    return new S3Settings(
        nonBlank(env.get(ENV_ENDPOINT)).map(URI::create),
        nonBlank(env.get(ENV_REGION)),
        nonBlank(env.get(ENV_PATH_STYLE)).map(Boolean::parseBoolean).orElse(false),
        nonBlank(env.get(ENV_ACCESS_KEY_ID_FILE)).map(Path::of),
        nonBlank(env.get(ENV_SECRET_ACCESS_KEY_FILE)).map(Path::of),
        d.connectTimeout(),
        d.readTimeout(),
        d.partSize());
  }

  /** The environment that {@link #fromEnvironment} reads back into these settings. */
  public Map<String, String> toEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    endpoint.ifPresent(e -> env.put(ENV_ENDPOINT, e.toString()));
    region.ifPresent(r -> env.put(ENV_REGION, r));
    if (pathStyle) {
      env.put(ENV_PATH_STYLE, "true");
    }
    accessKeyIdFile.ifPresent(p -> env.put(ENV_ACCESS_KEY_ID_FILE, p.toString()));
    secretAccessKeyFile.ifPresent(p -> env.put(ENV_SECRET_ACCESS_KEY_FILE, p.toString()));
    return env;
  }

  /** These settings against another endpoint, path-style (S3-compatible servers, tests). */
  public S3Settings withEndpoint(URI endpoint, boolean pathStyle) {
    return new S3Settings(
        Optional.of(endpoint),
        region,
        pathStyle,
        accessKeyIdFile,
        secretAccessKeyFile,
        connectTimeout,
        readTimeout,
        partSize);
  }

  /** These settings with credentials read from the two files. */
  public S3Settings withKeyFiles(Path accessKeyIdFile, Path secretAccessKeyFile) {
    return new S3Settings(
        endpoint,
        region,
        pathStyle,
        Optional.of(accessKeyIdFile),
        Optional.of(secretAccessKeyFile),
        connectTimeout,
        readTimeout,
        partSize);
  }

  /** These settings with another multipart part size. */
  public S3Settings withPartSize(int partSize) {
    return new S3Settings(
        endpoint,
        region,
        pathStyle,
        accessKeyIdFile,
        secretAccessKeyFile,
        connectTimeout,
        readTimeout,
        partSize);
  }

  /** Where requests go, for messages: the endpoint, or AWS S3. */
  String where() {
    return endpoint.map(URI::toString).orElse("AWS S3");
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}

package io.serval.predictor.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the predictor reaches S3 for {@code s3://} model URIs. Prefix {@code serval.s3}, so the
 * environment variables the operator passes on are {@code SERVAL_S3_ENDPOINT}, {@code
 * SERVAL_S3_REGION}, {@code SERVAL_S3_PATH_STYLE}, {@code SERVAL_S3_ACCESS_KEY_ID_FILE} and {@code
 * SERVAL_S3_SECRET_ACCESS_KEY_FILE}. Without key files the credentials come from the AWS SDK's
 * default chain ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE}, web
 * identity). No secret is ever a configuration value here, so none is logged.
 */
@ConfigMapping(prefix = "serval.s3")
public interface S3Config {

  /** Endpoint of an S3-compatible server ({@code http://minio:9000}); unset: AWS S3. */
  Optional<URI> endpoint();

  /** Region to sign for; unset: the SDK's chain on AWS, us-east-1 with an endpoint. */
  Optional<String> region();

  /** Address buckets as endpoint/bucket/key (what most S3-compatible servers need). */
  @WithDefault("false")
  boolean pathStyle();

  /** File holding the access key id (a mounted Secret); needs the secret access key file too. */
  Optional<Path> accessKeyIdFile();

  /** File holding the secret access key; needs the access key id file too. */
  Optional<Path> secretAccessKeyFile();
}

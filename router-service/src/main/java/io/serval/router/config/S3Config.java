package io.serval.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the router reaches S3 for batch jobs' {@code s3://} inputs and outputs, prefix {@code
 * serval.s3} (environment {@code SERVAL_S3_*}, as the predictor's). Without key files the
 * credentials come from the AWS SDK's default chain; no secret is a configuration value here.
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

package io.serval.objects;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the SDK's synchronous S3 client for a set of {@link S3Settings}. */
final class S3Clients {

  /** The region S3-compatible servers are signed for when none is set: they do not check it. */
  static final Region COMPATIBLE_DEFAULT_REGION = Region.US_EAST_1;

  private S3Clients() {}

  static S3Client build(S3Settings settings) {
    var builder =
        S3Client.builder()
            // Apache's client: it reads a refusal sent before the upload's body was (see the pom).
            .httpClientBuilder(
                ApacheHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.readTimeout()))
            .credentialsProvider(credentials(settings))
            .region(region(settings))
            // Checksums only where S3 requires them: S3-compatible servers (s3proxy, older MinIO,
            // Ceph) reject the SDK's default trailing CRC32 with aws-chunked uploads.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build());
    settings.endpoint().ifPresent(builder::endpointOverride);
    if (settings.endpoint().isEmpty()) {
      // On AWS a bucket may live in another region than the one the client signs for.
      builder.crossRegionAccessEnabled(true);
    }
    return builder.build();
  }

  static AwsCredentialsProvider credentials(S3Settings settings) {
    if (settings.accessKeyIdFile().isPresent()) {
      return new KeyFileCredentials(
          settings.accessKeyIdFile().orElseThrow(), settings.secretAccessKeyFile().orElseThrow());
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static Region region(S3Settings settings) {
    if (settings.region().isPresent()) {
      return Region.of(settings.region().orElseThrow());
    }
    if (settings.endpoint().isPresent()) {
      return COMPATIBLE_DEFAULT_REGION;
    }
    try {
      return DefaultAwsRegionProviderChain.builder().build().getRegion();
    } catch (RuntimeException noneConfigured) {
      // Cross-region access (above) finds the bucket's own region from here.
      return COMPATIBLE_DEFAULT_REGION;
    }
  }
}

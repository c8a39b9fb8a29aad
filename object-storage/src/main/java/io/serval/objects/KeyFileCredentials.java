package io.serval.objects;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * S3 credentials read from two files (a mounted Kubernetes Secret, a file under the Serval home) on
 * every request, so a rotated secret is used without a restart. The key never appears in a message.
 */
final class KeyFileCredentials implements AwsCredentialsProvider {

  private final Path accessKeyIdFile;
  private final Path secretAccessKeyFile;

  KeyFileCredentials(Path accessKeyIdFile, Path secretAccessKeyFile) {
    this.accessKeyIdFile = accessKeyIdFile;
    this.secretAccessKeyFile = secretAccessKeyFile;
  }

  @Override
  public AwsCredentials resolveCredentials() {
    return AwsBasicCredentials.create(read(accessKeyIdFile), read(secretAccessKeyFile));
  }

  private static String read(Path file) {
    try {
      String value = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (value.isEmpty()) {
        throw SdkClientException.create("the S3 credentials file " + file + " is empty");
      }
      return value;
    } catch (IOException e) {
      // The SDK's own type, so that the request fails as its credential chain would.
      throw SdkClientException.create("cannot read the S3 credentials file " + file, e);
    }
  }

  @Override
  public String toString() {
    return "S3 key files " + accessKeyIdFile + ", " + secretAccessKeyFile;
  }
}

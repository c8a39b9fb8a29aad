package io.serval.objects;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns the SDK's exceptions into {@link ObjectStorageException}s whose message says what went
 * wrong in words a user can act on: which object, which error, which endpoint. The SDK's messages
 * carry request ids but no credentials; ours carry neither.
 */
final class S3Errors {

  private S3Errors() {}

  static ObjectStorageException mapped(SdkException e, String what, S3Settings settings) {
    if (e instanceof AwsServiceException service) {
      return serviceError(service, what);
    }
    if (e instanceof SdkClientException && missingCredentials(e)) {
      return new ObjectAccessDeniedException(
          "no S3 credentials for " + what + ": " + rootMessage(e), e);
    }
    return new ObjectStorageUnavailableException(
        "cannot reach the object storage at "
            + settings.where()
            + " for "
            + what
            + ": "
            + rootMessage(e),
        e);
  }

  private static ObjectStorageException serviceError(AwsServiceException e, String what) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String detail =
        e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
            ? ""
            : " (" + e.awsErrorDetails().errorMessage() + ")";
    int status = e.statusCode();
    if ("NoSuchBucket".equals(code)) {
      return new ObjectNotFoundException("no such bucket: " + what + detail, e);
    }
    if (status == 404) {
      return new ObjectNotFoundException("no such key: " + what + detail, e);
    }
    if (status == 401 || status == 403) {
      return new ObjectAccessDeniedException(
          "access denied to " + what + ": " + (code == null ? status : code) + detail, e);
    }
    if (status >= 500 || status == 429) {
      return new ObjectStorageUnavailableException(
          "the object storage failed on " + what + ": " + (code == null ? status : code) + detail,
          e);
    }
    return new ObjectRequestInvalidException(
        "the object storage refused " + what + ": " + (code == null ? status : code) + detail, e);
  }

  private static boolean missingCredentials(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage();
      if (message != null
          && (message.contains("Unable to load credentials")
              || message.contains("S3 credentials file"))) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

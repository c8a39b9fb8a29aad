package io.serval.objects;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Writes an object to S3 holding at most one part in memory: an object that fits one part is one
 * PUT on close; a larger one becomes a multipart upload whose parts are sent as they fill,
 * completed on close (the object appears then, whole) and aborted on a failure or {@link #abort()}
 * (S3 keeps nothing of it).
 */
final class S3Upload extends UploadStream {

  private final S3Client client;
  private final S3Location location;
  private final S3Settings settings;
  private final byte[] part;
  private int filled;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private boolean done;

  S3Upload(S3Client client, S3Location location, S3Settings settings) {
    this.client = client;
    this.location = location;
    this.settings = settings;
    this.part = new byte[settings.partSize()];
  }

  /** How many parts this upload sent so far (0 for a single PUT). */
  int partsSent() {
    return parts.size();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (done) {
      throw new IOException("the upload of " + location + " is closed");
    }
    while (len > 0) {
      int n = Math.min(len, part.length - filled);
      System.arraycopy(b, off, part, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == part.length) {
        sendPart();
      }
    }
  }

  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    try {
      if (uploadId == null) {
        client.putObject(
            PutObjectRequest.builder().bucket(location.bucket()).key(location.key()).build(),
            RequestBody.fromBytes(java.util.Arrays.copyOf(part, filled)));
      } else {
        if (filled > 0) {
          sendPart();
        }
        client.completeMultipartUpload(
            CompleteMultipartUploadRequest.builder()
                .bucket(location.bucket())
                .key(location.key())
                .uploadId(uploadId)
                .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
                .build());
      }
      done = true;
    } catch (SdkException e) {
      abortQuietly();
      throw S3Errors.mapped(e, location.toString(), settings);
    }
  }

  @Override
  public void abort() {
    if (!done) {
      abortQuietly();
    }
  }

  private void sendPart() throws IOException {
    try {
      if (uploadId == null) {
        uploadId =
            client
                .createMultipartUpload(
                    CreateMultipartUploadRequest.builder()
                        .bucket(location.bucket())
                        .key(location.key())
                        .build())
                .uploadId();
      }
      int number = parts.size() + 1;
      String etag =
          client
              .uploadPart(
                  UploadPartRequest.builder()
                      .bucket(location.bucket())
                      .key(location.key())
                      .uploadId(uploadId)
                      .partNumber(number)
                      .contentLength((long) filled)
                      .build(),
                  RequestBody.fromByteBuffer(java.nio.ByteBuffer.wrap(part, 0, filled)))
              .eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
      filled = 0;
    } catch (SdkException e) {
      abortQuietly();
      throw S3Errors.mapped(e, location.toString(), settings);
    }
  }

  private void abortQuietly() {
    done = true;
    if (uploadId == null) {
      return;
    }
    try {
      client.abortMultipartUpload(
          AbortMultipartUploadRequest.builder()
              .bucket(location.bucket())
              .key(location.key())
              .uploadId(uploadId)
              .build());
    } catch (SdkException ignored) {
      // The upload failed already and that failure is what the caller is told; S3's lifecycle
      // rule for incomplete uploads cleans up what an abort could not.
    }
  }
}

package io.serval.objects;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in S3 or an S3-compatible server ({@code s3://bucket/key}), through the AWS SDK's
 * synchronous client: reads stream the response body; writes go up in parts ({@link S3Upload}).
 */
public final class S3ObjectStorage implements ObjectStorage {

  private final S3Client client;
  private final S3Settings settings;

  /** A storage with its own client, built from the settings; {@link #close()} closes it. */
  public S3ObjectStorage(S3Settings settings) {
    this(S3Clients.build(settings), settings);
  }

  S3ObjectStorage(S3Client client, S3Settings settings) {
    this.client = client;
    this.settings = settings;
  }

  @Override
  public InputStream open(URI uri, long maxBytes) throws IOException {
    S3Location location = S3Location.of(uri);
    ResponseInputStream<GetObjectResponse> body;
    try {
      body =
          client.getObject(
              GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
    } catch (SdkException e) {
      throw S3Errors.mapped(e, location.toString(), settings);
    }
    Long length = body.response().contentLength();
    if (length != null && length > maxBytes) {
      // Do not drain the body to reuse the connection: it may be gigabytes.
      body.abort();
      throw BoundedInputStream.tooLarge(location.toString(), maxBytes);
    }
    return new S3Download(body, location.toString(), maxBytes, settings);
  }

  @Override
  public UploadStream create(URI uri) {
    return new S3Upload(client, S3Location.of(uri), settings);
  }

  @Override
  public void delete(URI uri) throws IOException {
    S3Location location = S3Location.of(uri);
    try {
      // S3 answers 204 for a key that is not there: deleting is idempotent.
      client.deleteObject(
          DeleteObjectRequest.builder().bucket(location.bucket()).key(location.key()).build());
    } catch (SdkException e) {
      throw S3Errors.mapped(e, location.toString(), settings);
    }
  }

  @Override
  public Optional<Long> size(URI uri) throws IOException {
    S3Location location = S3Location.of(uri);
    try {
      return Optional.of(
          client
              .headObject(
                  HeadObjectRequest.builder().bucket(location.bucket()).key(location.key()).build())
              .contentLength());
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        // HEAD has no body: a missing key and a missing bucket both read as "no such object".
        return Optional.empty();
      }
      throw S3Errors.mapped(e, location.toString(), settings);
    } catch (SdkException e) {
      throw S3Errors.mapped(e, location.toString(), settings);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /**
   * The body of a GET, bounded by the caller's limit; a broken connection mid-body reads as the
   * storage being unavailable, and closing before the end aborts the connection instead of draining
   * it.
   */
  private static final class S3Download extends InputStream {
    private final ResponseInputStream<GetObjectResponse> body;
    private final BoundedInputStream bounded;
    private final String name;
    private final S3Settings settings;
    private boolean ended;

    S3Download(
        ResponseInputStream<GetObjectResponse> body,
        String name,
        long maxBytes,
        S3Settings settings) {
      this.body = body;
      this.bounded = new BoundedInputStream(body, name, maxBytes);
      this.name = name;
      this.settings = settings;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = bounded.read(b, off, len);
        if (n < 0) {
          ended = true;
        }
        return n;
      } catch (ObjectStorageException e) {
        throw e;
      } catch (SdkException e) {
        throw S3Errors.mapped(e, name, settings);
      } catch (IOException e) {
        throw new ObjectStorageUnavailableException(
            "reading " + name + " from " + settings.where() + " failed: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() throws IOException {
      if (!ended) {
        body.abort();
      }
      body.close();
    }
  }
}

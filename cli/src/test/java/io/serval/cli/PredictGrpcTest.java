package io.serval.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.serval.cli.exit.ExitCode;
import io.serval.proto.inference.GRPCInferenceServiceGrpc;
import io.serval.proto.inference.ModelInferRequest;
import io.serval.proto.inference.ModelInferResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code serval predict --grpc} against a scripted router gRPC server. */
@CliTest
class PredictGrpcTest {

  static final Metadata.Key<String> REVISION =
      Metadata.Key.of("serval-revision", Metadata.ASCII_STRING_MARSHALLER);

  static final String REQUEST =
      "{\"inputs\": [{\"name\": \"input_ids\", \"datatype\": \"INT64\", \"shape\": [1, 2],"
          + " \"data\": [101, 102]}], \"outputs\": [{\"name\": \"y\"}]}";

  static Server server;
  static Path home;
  static final List<ModelInferRequest> received = new CopyOnWriteArrayList<>();
  static final List<String> authorizations = new CopyOnWriteArrayList<>();

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  @BeforeAll
  static void start() throws IOException {
    home = Files.createTempDirectory("serval-home");
    System.setProperty("serval.home", home.toString());
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    new ScriptedRouter(), new RevisionTrailer("m/r7"), new KeyRecorder()))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    server.shutdownNow();
    System.clearProperty("serval.home");
    TempDirs.delete(home);
  }

  @BeforeEach
  void reset() {
    received.clear();
    authorizations.clear();
  }

  @Test
  void sendsTheApiKeyAsBearerMetadata(CliLauncher launcher) {
    LaunchResult r =
        launcher.launch(
            "predict",
            "m",
            "--grpc",
            "--json",
            REQUEST,
            "--router-grpc",
            address(),
            "--api-key",
            "k-9");

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(authorizations).containsExactly("Bearer k-9");
  }

  private static String address() {
    return "localhost:" + server.getPort();
  }

  @Test
  void sendsAModelInferAndPrintsTheAnswerAsV2Json(CliLauncher launcher) {
    LaunchResult r =
        launcher.launch("predict", "m", "--grpc", "--json", REQUEST, "--router-grpc", address());

    assertThat(r.exitCode()).as(r.getErrorOutput()).isZero();
    assertThat(r.getOutput())
        .contains("\"model_name\":\"m\"", "\"name\":\"y\"", "\"datatype\":\"FP32\"")
        .contains("\"shape\":[1,2]", "\"data\":[1.5,-2.0]");
    assertThat(r.getErrorOutput()).contains("served by m/r7");

    ModelInferRequest sent = received.getFirst();
    assertThat(sent.getModelName()).isEqualTo("m");
    assertThat(sent.getInputs(0).getName()).isEqualTo("input_ids");
    assertThat(sent.getInputs(0).getShapeList()).containsExactly(1L, 2L);
    ByteBuffer raw = sent.getRawInputContents(0).asReadOnlyByteBuffer();
    raw.order(ByteOrder.LITTLE_ENDIAN);
    assertThat(raw.getLong()).isEqualTo(101L);
    assertThat(raw.getLong()).isEqualTo(102L);
  }

  @Test
  void anUnknownNameExitsWithNotFound(CliLauncher launcher) {
    LaunchResult r =
        launcher.launch("predict", "nope", "--grpc", "--json", REQUEST, "--router-grpc", address());

    assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(r.getErrorOutput())
        .contains("the router answered NOT_FOUND for nope: no API or splitter named nope");
  }

  @Test
  void aRequestThatIsNotV2IsRefusedBeforeSending(CliLauncher launcher) {
    LaunchResult r =
        launcher.launch(
            "predict",
            "m",
            "--grpc",
            "--json",
            "{\"inputs\": [{\"name\": \"x\"}]}",
            "--router-grpc",
            address());

    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(r.getErrorOutput()).contains("not a valid V2 request", "shape");
    assertThat(received).isEmpty();
  }

  @Test
  void aRouterThatIsNotThereExitsWithUnreachable(CliLauncher launcher) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    LaunchResult r =
        launcher.launch(
            "predict", "m", "--grpc", "--json", REQUEST, "--router-grpc", "localhost:" + closed);

    assertThat(r.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
    assertThat(r.getErrorOutput()).contains("cannot reach the router's gRPC server");
  }

  /** Answers model m with a fixed FP32 output (raw contents, as the router does). */
  static final class ScriptedRouter extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(
        ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
      received.add(request);
      if (!request.getModelName().equals("m")) {
        responses.onError(
            Status.NOT_FOUND
                .withDescription("no API or splitter named " + request.getModelName())
                .asRuntimeException());
        return;
      }
      ByteBuffer out = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      out.putFloat(1.5f).putFloat(-2.0f).flip();
      responses.onNext(
          ModelInferResponse.newBuilder()
              .setModelName("m")
              .addOutputs(
                  ModelInferResponse.InferOutputTensor.newBuilder()
                      .setName("y")
                      .setDatatype("FP32")
                      .addShape(1)
                      .addShape(2))
              .addRawOutputContents(ByteString.copyFrom(out))
              .build());
      responses.onCompleted();
    }
  }

  /** Records the authorization metadata of each call ("" when absent). */
  static final class KeyRecorder implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String auth = headers.get(AUTHORIZATION);
      authorizations.add(auth == null ? "" : auth);
      return next.startCall(call, headers);
    }
  }

  /** Puts the serving revision in the trailers, as the router does. */
  record RevisionTrailer(String revision) implements ServerInterceptor {
    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      return next.startCall(
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
              trailers.put(REVISION, revision);
              super.close(status, trailers);
            }
          },
          headers);
    }
  }
}

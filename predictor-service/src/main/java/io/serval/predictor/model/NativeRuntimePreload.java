package io.serval.predictor.model;

import ai.onnxruntime.OrtEnvironment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Loads ONNX Runtime's native library and creates its environment on a thread of its own, so that
 * this part of the model load (it needs no configuration: 60 ms from a pre-extracted library, 150
 * to 600 ms when ONNX Runtime first copies it out of its jar) runs while Quarkus starts. The model
 * load at start-up then {@linkplain #await() joins} it.
 */
public final class NativeRuntimePreload {
  private static volatile NativeRuntimePreload started;

  private final CompletableFuture<OrtEnvironment> environment = new CompletableFuture<>();
  private volatile long nanos = -1;

  private NativeRuntimePreload() {}

  /** Starts the load once per process; later calls do nothing. */
  public static synchronized void start() {
    if (started != null) {
      return;
    }
    NativeRuntimePreload p = new NativeRuntimePreload();
    started = p;
    Thread.ofPlatform().name("serval-ort-preload").daemon(true).start(p::load);
  }

  /**
   * The environment the preload created, waiting for it when it is still loading; created here, on
   * the caller's thread, when no preload was started (tests, another main class).
   *
   * @throws ModelLoadException when ONNX Runtime's native library cannot be loaded
   */
  public static OrtEnvironment await() {
    NativeRuntimePreload p = started;
    if (p == null) {
      try {
        return OrtEnvironment.getEnvironment();
      } catch (LinkageError | RuntimeException e) {
        throw failed(e);
      }
    }
    try {
      return p.environment.get();
    } catch (ExecutionException e) {
      throw failed(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("interrupted while ONNX Runtime was loading", e);
    }
  }

  /**
   * How long the preload took to load the native library and create the environment, or -1 when
   * none ran or it has not finished.
   */
  public static long preloadNanos() {
    NativeRuntimePreload p = started;
    return p == null ? -1 : p.nanos;
  }

  private void load() {
    long t0 = System.nanoTime();
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      nanos = System.nanoTime() - t0;
      environment.complete(env);
    } catch (Throwable e) {
      // handed to the model load, which fails the start with it
      environment.completeExceptionally(e);
    }
  }

  private static ModelLoadException failed(Throwable cause) {
    return new ModelLoadException(
        "ONNX Runtime's native library could not be loaded: " + cause, cause);
  }
}

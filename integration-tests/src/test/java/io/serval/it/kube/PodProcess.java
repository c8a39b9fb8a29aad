package io.serval.it.kube;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.serval.it.platform.ProcessTree;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One pod's container as a local process: the predictor jar the image stands for, run with the
 * container's args and env. All pods share the loopback interface, so each container port gets a
 * loopback port of its own (the pod's "network namespace"), and env values that name a container
 * port or a path under a mount are rewritten to the pod's port and host directory.
 */
final class PodProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  /** The image's JVM settings (its JAVA_TOOL_OPTIONS), the local suite's replica options. */
  static final List<String> IMAGE_JVM =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "-Xmx384m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1");

  private final String podName;
  private final Container container;
  private final Map<String, Integer> hostPorts;
  private final Path log;
  private final Process process;

  private PodProcess(
      String podName,
      Container container,
      Map<String, Integer> hostPorts,
      Path log,
      Process process) {
    this.podName = podName;
    this.container = container;
    this.hostPorts = hostPorts;
    this.log = log;
    this.process = process;
  }

  /**
   * @param hostPorts loopback port of each named container port
   * @param mounts host directory of each container path (volumes, and what the image holds)
   * @param workingDir the container's working directory on the host
   */
  static PodProcess start(
      String podName,
      Container container,
      Path jar,
      Map<String, Integer> hostPorts,
      Map<String, Path> mounts,
      Path workingDir,
      Path log) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(IMAGE_JVM);
    cmd.addAll(fastStart(jar.getParent()));
    // Names the pod on the command line, so that a process left behind is found by its marker.
    cmd.add("-Dserval.test-kubelet.pod=" + log.getParent().resolve(podName));
    cmd.add("-jar");
    cmd.add(jar.toString());
    if (container.getArgs() != null) {
      cmd.addAll(container.getArgs());
    }
    Map<String, String> env = env(podName, container, hostPorts, mounts);
    try {
      Files.createDirectories(log.getParent());
      Files.createDirectories(workingDir);
      Files.writeString(
          log,
          "---- pod " + podName + ": " + String.join(" ", cmd) + "\n---- env " + env + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(workingDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      ProcessTree.track(p.toHandle());
      return new PodProcess(podName, container, hostPorts, log, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start pod " + podName, e);
    }
  }

  /**
   * What the image ships beside the jar for a fast start (the packaged app's AOT cache and unpacked
   * ONNX Runtime natives), used as the local runtime uses them.
   */
  static List<String> fastStart(Path appDir) {
    List<String> out = new ArrayList<>();
    if (Files.isRegularFile(appDir.resolve("app.aot"))) {
      out.add("-XX:AOTCache=" + appDir.resolve("app.aot"));
    }
    if (Files.isDirectory(appDir.resolve("onnxruntime-native"))) {
      out.add("-Donnxruntime.native.path=" + appDir.resolve("onnxruntime-native"));
    }
    return out;
  }

  /** The container's env as the process gets it. */
  static Map<String, String> env(
      String podName,
      Container container,
      Map<String, Integer> hostPorts,
      Map<String, Path> mounts) {
    Map<String, String> portByNumber = new LinkedHashMap<>();
    for (ContainerPort p : container.getPorts()) {
      portByNumber.put(
          Integer.toString(p.getContainerPort()), Integer.toString(hostPorts.get(p.getName())));
    }
    Map<String, String> env = new LinkedHashMap<>();
    // The pod's IP: every pod here is 127.0.0.1, on its own ports.
    env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
    env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
    for (EnvVar e : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      String value;
      if (e.getValueFrom() != null) {
        var field = e.getValueFrom().getFieldRef();
        if (field == null || !"metadata.name".equals(field.getFieldPath())) {
          throw new IllegalArgumentException(
              "the test kubelet resolves only metadata.name field references, not " + e);
        }
        value = podName;
      } else {
        value = e.getValue() == null ? "" : e.getValue();
      }
      // A port setting naming a container port: the pod's own port for it.
      if (e.getName().endsWith("PORT") && portByNumber.containsKey(value)) {
        value = portByNumber.get(value);
      }
      for (var m : mounts.entrySet()) {
        if (value.equals(m.getKey()) || value.startsWith(m.getKey() + "/")) {
          value = m.getValue() + value.substring(m.getKey().length());
        } else if (value.startsWith("file:" + m.getKey() + "/")) {
          value = "file:" + m.getValue() + value.substring(("file:" + m.getKey()).length());
        }
      }
      env.put(e.getName(), value);
    }
    return env;
  }

  /** Whether the readiness probe's HTTP endpoint answers 2xx now. */
  boolean probeReady() {
    HTTPGetAction get = container.getReadinessProbe().getHttpGet();
    int port = port(get.getPort());
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + get.getPath()))
                  .timeout(Duration.ofSeconds(1))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode() >= 200 && r.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private int port(IntOrString port) {
    if (port.getIntVal() != null) {
      return container.getPorts().stream()
          .filter(p -> p.getContainerPort().equals(port.getIntVal()))
          .map(p -> hostPorts.get(p.getName()))
          .findFirst()
          .orElseThrow();
    }
    return hostPorts.get(port.getStrVal());
  }

  boolean alive() {
    return process.isAlive();
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed; returns when the process is gone. */
  void terminate(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.killTree(process.toHandle());
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ProcessTree.killTree(process.toHandle());
    }
  }

  long pid() {
    return process.pid();
  }

  String podName() {
    return podName;
  }

  Path log() {
    return log;
  }
}

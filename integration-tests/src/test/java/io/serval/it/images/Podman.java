package io.serval.it.images;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Podman as it runs on the project's machines (docs/images.md): {@code --runtime runc
 * --cgroup-manager cgroupfs} and a containers.conf with {@code default_ulimits = []} (raising
 * RLIMIT_NOFILE is not permitted here), written by this class and passed as CONTAINERS_CONF.
 * Remembers every image it loaded and every container it started, by id, so that {@link #close}
 * removes exactly those.
 */
final class Podman implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 300;

  private final Path containersConf;
  private final List<String> containers = new ArrayList<>();
  private final List<String> images = new ArrayList<>();

  Podman(Path workDir) throws IOException {
    containersConf = workDir.resolve("containers.conf");
    Files.writeString(containersConf, "[containers]\ndefault_ulimits = []\n");
  }

  /** Whether podman is installed (the suite runs only where it is: .ci/run installs it). */
  static boolean installed() {
    try {
      Process p = new ProcessBuilder("podman", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Loads an image tarball; returns the image's id. */
  String load(Path tarball) throws IOException {
    String out = run("load", "-q", "-i", tarball.toString()).stdout();
    // "Loaded image: ghcr.io/serval/router:0.1.0"
    String name = out.replaceFirst("(?s).*Loaded image(?:\\(s\\))?: *", "").trim();
    String id = run("image", "inspect", "--format", "{{.Id}}", name).stdout().trim();
    images.add(id);
    return id;
  }

  /** Starts a detached container ({@code podman run -d ARGS}); returns its id. */
  String start(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("run", "-d"));
    command.addAll(args);
    String id = run(command.toArray(String[]::new)).stdout().trim();
    containers.add(id);
    return id;
  }

  /** {@code podman ARGS}; fails on a non-zero exit. */
  Result run(String... args) throws IOException {
    Result r = tryRun(args);
    if (r.exitCode() != 0) {
      throw new IOException(
          "podman " + String.join(" ", args) + " exited " + r.exitCode() + ": " + r.stderr());
    }
    return r;
  }

  /** {@code podman ARGS}, whatever its exit code. */
  Result tryRun(String... args) throws IOException {
    List<String> command =
        new ArrayList<>(List.of("podman", "--runtime", "runc", "--cgroup-manager", "cgroupfs"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CONTAINERS_CONF", containersConf.toString());
    Path err = Files.createTempFile("podman", ".err");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(
            "podman " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(
          p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Removes the containers this instance started, then the images it loaded, by id. */
  @Override
  public void close() throws IOException {
    List<String> failures = new ArrayList<>();
    // the last started first: a container that others joined (--network container:ID) goes last
    for (String id : containers.reversed()) {
      Result r = tryRun("rm", "-f", "-t", "5", id);
      if (r.exitCode() != 0) {
        failures.add("container " + id + ": " + r.stderr());
      }
    }
    for (String id : images) {
      Result r = tryRun("rmi", "-f", id);
      if (r.exitCode() != 0) {
        failures.add("image " + id + ": " + r.stderr());
      }
    }
    if (!failures.isEmpty()) {
      throw new IOException("podman clean-up failed: " + failures);
    }
  }

  record Result(int exitCode, String stdout, String stderr) {}
}

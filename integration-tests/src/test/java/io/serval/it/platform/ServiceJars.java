package io.serval.it.platform;

import java.nio.file.Files;
import java.nio.file.Path;

/** The packaged services: {module}/target/quarkus-app/quarkus-run.jar of this repository. */
public final class ServiceJars {

  private ServiceJars() {}

  public static Path repoDir() {
    String dir = System.getProperty("serval.repo.dir");
    if (dir == null) {
      throw new AssertionError(
          "system property serval.repo.dir is not set (the integration-tests pom sets it)");
    }
    return Path.of(dir).toAbsolutePath();
  }

  public static Path operator() {
    return jar("operator-service");
  }

  public static Path router() {
    return jar("router-service");
  }

  public static Path autoscaler() {
    return jar("autoscaler-service");
  }

  public static Path predictor() {
    return jar("predictor-service");
  }

  private static Path jar(String module) {
    Path jar = repoDir().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError(
          jar + " is missing: package " + module + " first (./mvnw package -pl " + module + ")");
    }
    return jar;
  }
}

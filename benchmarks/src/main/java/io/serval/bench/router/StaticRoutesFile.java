package io.serval.bench.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The router's static routes file ({@code serval.router.routes-file}) for one API served by one
 * predictor: the proto3 JSON form of {@code serval.control.v1.RouteSnapshot}, one revision taking
 * all traffic.
 *
 * @param api the API name clients use
 * @param modelName the model name the predictor serves (the router forwards it)
 * @param endpoint gRPC {@code host:port} of the predictor
 * @param maxConcurrency requests the router lets the replica execute at once
 * @param maxQueueLength requests queued beyond those
 * @param timeout the API's request deadline
 */
public record StaticRoutesFile(
    String api,
    String modelName,
    String endpoint,
    int maxConcurrency,
    int maxQueueLength,
    Duration timeout) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public StaticRoutesFile {
    if (maxConcurrency < 1 || maxQueueLength < 0) {
      throw new IllegalArgumentException(
          "maxConcurrency must be >= 1 and maxQueueLength >= 0, got "
              + maxConcurrency
              + " and "
              + maxQueueLength);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  public String render() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ObjectNode apiNode = root.putArray("apis").addObject();
    apiNode.put("name", api);
    apiNode.put("modelName", modelName);
    ObjectNode limits = apiNode.putObject("limits");
    limits.put("maxConcurrency", maxConcurrency);
    limits.put("maxQueueLength", maxQueueLength);
    limits.put("timeout", protoDuration(timeout));
    ObjectNode revision = apiNode.putArray("revisions").addObject();
    revision.put("revision", "r1");
    revision.put("trafficPercent", 100);
    ObjectNode target = revision.putArray("endpoints").addObject();
    target.put("address", endpoint);
    target.put("replicaId", "predictor-0");
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot render routes JSON", e);
    }
  }

  /** The proto3 JSON form of a Duration: seconds with up to nine decimals and an "s". */
  static String protoDuration(Duration duration) {
    return BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros().toPlainString() + "s";
  }

  public Path write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, render());
  }
}

package io.serval.bench.async;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A routes file with one API and no replica (an API scaled to zero): the router takes async
 * requests for it and stores them, and its pump claims none (an API without replicas has no free
 * slots), so the intake is measured alone.
 */
public record ParkedRoutesFile(String api) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public String render() {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", 1);
    ObjectNode a = root.putArray("apis").addObject();
    a.put("name", api);
    a.put("modelName", api);
    ObjectNode limits = a.putObject("limits");
    limits.put("maxConcurrency", 1);
    limits.put("maxQueueLength", 1000);
    limits.put("timeout", "30s");
    ObjectNode revision = a.putArray("revisions").addObject();
    revision.put("revision", "r1");
    revision.put("trafficPercent", 100);
    revision.putArray("endpoints");
    return root.toString() + "\n";
  }

  public Path write(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return Files.writeString(file, render());
  }
}

package io.serval.operator.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses YAML or JSON holding one or more resources (YAML documents separated by ---, or a JSON
 * array), fills defaults and validates each one. All or nothing: any problem in any document
 * refuses the whole input, listing every problem.
 */
public final class SpecParser {

  // YAML 1.1 is a superset of JSON in practice, so one parser serves both.
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final SpecValidator validator;
  private final int defaultMaxReplicas;

  public SpecParser(Duration autoscalerTick) {
    this(autoscalerTick, Optional.empty());
  }

  /**
   * @param cap the replicas the runtime will run, if it limits them: checked on every API, and the
   *     default maxReplicas is lowered to it
   */
  public SpecParser(Duration autoscalerTick, Optional<ReplicaCap> cap) {
    this.validator = new SpecValidator(autoscalerTick, cap);
    this.defaultMaxReplicas =
        cap.map(c -> Math.min(SpecDefaults.MAX_REPLICAS, c.perApi()))
            .orElse(SpecDefaults.MAX_REPLICAS);
  }

  public SpecParser() {
    this(SpecDefaults.AUTOSCALER_TICK);
  }

  /**
   * @throws SpecException listing every problem found
   */
  public List<Resource> parse(String text) {
    List<JsonNode> docs = documents(text);
    Problems problems = new Problems();
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      Problems.Scope scope = problems.scope("document " + (i + 1));
      SpecBinder.bind(docs.get(i), scope, defaultMaxReplicas)
          .ifPresent(
              r -> {
                validator.validate(r, scope);
                resources.add(r);
              });
    }
    if (docs.isEmpty()) {
      problems.add("no resources found: expected a RealtimeApi or TrafficSplitter");
    }
    problems.throwIfAny();
    return List.copyOf(resources);
  }

  private static List<JsonNode> documents(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNextValue()) {
        JsonNode doc = it.nextValue();
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue; // an empty document, e.g. a trailing ---
        }
        if (doc.isArray()) {
          doc.forEach(docs::add);
        } else {
          docs.add(doc);
        }
      }
    } catch (JsonProcessingException e) {
      throw new SpecException("cannot parse YAML/JSON: " + e.getOriginalMessage() + location(e));
    } catch (IOException | RuntimeException e) {
      throw new SpecException("cannot parse YAML/JSON: " + e.getMessage());
    }
    return docs;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}

package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** The APIs behind a splitter. */
public record SplitterSpec(
    @Required @JsonPropertyDescription("The APIs behind the splitter's name, with their weights.")
        List<SplitTarget> apis) {
  public SplitterSpec {
    apis = List.copyOf(apis);
  }
}

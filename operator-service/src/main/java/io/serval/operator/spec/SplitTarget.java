package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One API behind a splitter: its weight in percent, or its mirrored share when shadow. */
@JsonPropertyOrder({"name", "weight", "shadow"})
public record SplitTarget(
    @Required @JsonPropertyDescription("A RealtimeApi in the same namespace, once per splitter.")
        String name,
    @Required
        @Min(0)
        @Max(100)
        @JsonPropertyDescription(
            "Share of the splitter's requests, 0..100; the non-shadow weights sum to 100.")
        int weight,
    @JsonPropertyDescription(
            "A mirrored copy of weight% of the requests, answers discarded; at most one per"
                + " splitter. Default false.")
        boolean shadow) {}

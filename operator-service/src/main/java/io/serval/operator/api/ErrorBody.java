package io.serval.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Every error of the management API: {"error": "..."}, plus each problem when there are several.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ErrorBody(String error, List<String> problems) {
  public ErrorBody(String error) {
    this(error, List.of());
  }
}

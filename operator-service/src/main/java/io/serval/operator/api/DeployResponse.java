package io.serval.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What POST /v1/deploy did (or, with dryRun, would do): changed=false means every resource was
 * already deployed as given.
 */
public record DeployResponse(
    boolean changed, boolean dryRun, String message, List<Item> resources) {

  /**
   * @param action created, updated (a new revision, rolled out), configured (applied in place) or
   *     unchanged
   * @param changes only in a dry run: each field the deploy changes, with its old and new value
   */
  public record Item(
      String kind,
      String name,
      String action,
      String revision,
      long generation,
      String message,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Change> changes) {}

  /** One changed field; from or to is absent when the field is added or removed. */
  public record Change(
      String path,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode from,
      @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode to) {}
}

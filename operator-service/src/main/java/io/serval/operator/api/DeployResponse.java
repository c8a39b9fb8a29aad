package io.serval.operator.api;

import java.util.List;

/** What POST /v1/deploy did: changed=false means every resource was already deployed as given. */
public record DeployResponse(boolean changed, String message, List<Item> resources) {

  public record Item(
      String kind, String name, String action, String revision, long generation, String message) {}
}

package io.serval.operator.spec;

/**
 * The replicas a runtime will run: at most {@code perApi} per API and {@code total} across all APIs
 * (each local replica is a JVM, so a spec must not be able to start hundreds). The default {@code
 * maxReplicas} of a spec that does not set it is lowered to {@code perApi} on such a runtime.
 *
 * @param runtime the runtime's name, for messages
 * @param perApi largest minReplicas, maxReplicas and initReplicas of one API
 * @param perApiKey the configuration key of {@code perApi}
 * @param total largest sum of maxReplicas over every API
 * @param totalKey the configuration key of {@code total}
 */
public record ReplicaCap(String runtime, int perApi, String perApiKey, int total, String totalKey) {

  public ReplicaCap {
    if (perApi < 1 || total < perApi) {
      throw new IllegalArgumentException(
          perApiKey + " must be >= 1 and " + totalKey + " >= it, got " + perApi + " and " + total);
    }
  }
}

package io.serval.operator.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;

/** A deployable resource: a {@link RealtimeApi} or a {@link TrafficSplitter}. */
public sealed interface Resource permits RealtimeApi, TrafficSplitter {

  String API_VERSION = "serving.serval.io/v1alpha1";

  String apiVersion();

  String kind();

  Metadata metadata();

  @JsonIgnore
  default String name() {
    return metadata().name();
  }
}

package io.serval.cli;

/** Management API answers as the operator writes them, for the fake platform. */
final class Views {

  private Views() {}

  static String api(
      String name,
      long generation,
      long observed,
      int requested,
      int ready,
      int upToDate,
      String revisions,
      String ready_,
      String rollout,
      String degraded) {
    return """
        {"apiVersion":"serving.serval.io/v1alpha1","kind":"RealtimeApi",
         "metadata":{"name":"%s","generation":%d,"creationTimestamp":"2026-01-01T00:00:00Z",
                     "updateTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"model":{"uri":"file:models/m.onnx","platform":"onnx"}},
         "status":{"observedGeneration":%d,
           "conditions":[%s,%s,%s],
           "replicas":{"requested":%d,"ready":%d,"upToDate":%d},
           "revisions":[%s],
           "endpoint":"http://localhost:8080/v2/models/%s","lastScaleReason":"initReplicas"}}
        """
        .formatted(
            name,
            generation,
            observed,
            ready_,
            rollout,
            degraded,
            requested,
            ready,
            upToDate,
            revisions,
            name);
  }

  static String cond(String type, String status, String reason, String message) {
    return """
        {"type":"%s","status":"%s","reason":"%s","message":"%s"}"""
        .formatted(type, status, reason, message);
  }

  static String rev(String revision, int traffic, int ready, boolean current) {
    return """
        {"revision":"%s","trafficPercent":%d,"readyReplicas":%d,"current":%b}"""
        .formatted(revision, traffic, ready, current);
  }

  /** A live API with one revision r1 and one ready replica. */
  static String liveApi(String name) {
    return api(
        name,
        1,
        1,
        1,
        1,
        1,
        rev("r1", 100, 1, true),
        cond("Ready", "True", "AllReplicasReady", "1/1 replicas of revision r1 ready"),
        cond("RolloutInProgress", "False", "NoRollout", "one revision deployed"),
        cond("Degraded", "False", "Healthy", "no replica is crash-looping"));
  }

  static String splitter(String name) {
    return """
        {"apiVersion":"serving.serval.io/v1alpha1","kind":"TrafficSplitter",
         "metadata":{"name":"%s","generation":1,"creationTimestamp":"2026-01-01T00:00:00Z",
                     "updateTimestamp":"2026-01-01T00:00:00Z"},
         "spec":{"apis":[{"name":"a","weight":90,"shadow":false},{"name":"b","weight":10,"shadow":false},
                         {"name":"c","weight":5,"shadow":true}]},
         "status":{"observedGeneration":1,
           "conditions":[{"type":"Ready","status":"True","reason":"AllApisReady","message":"every API behind the splitter is ready"}],
           "endpoint":"http://localhost:8080/v2/models/%s"}}
        """
        .formatted(name, name);
  }
}

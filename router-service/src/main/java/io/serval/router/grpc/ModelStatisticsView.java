package io.serval.router.grpc;

import io.serval.proto.inference.InferStatistics;
import io.serval.proto.inference.ModelStatistics;
import io.serval.proto.inference.ModelStatisticsResponse;
import io.serval.proto.inference.StatisticDuration;
import io.serval.router.routing.ApiEntry;
import io.serval.router.routing.RouteTable;
import io.serval.router.stats.ApiTraffic;
import java.util.List;

/**
 * The router's answer to Triton's ModelStatistics: one entry per API with what this router saw
 * since it started (its own counts, not the predictors'): success and fail with their durations
 * from admission to answer (queueing in the router included). The router forwards each request as
 * one call and does not look inside tensors, so inference and execution counts are the successful
 * requests; queue and compute phases are the predictors' to report (ask a replica). The version is
 * empty: an API's numbers cover all its revisions.
 */
final class ModelStatisticsView {
  private ModelStatisticsView() {}

  /**
   * @param name one API, or empty for every API the routes have
   */
  static ModelStatisticsResponse of(ApiTraffic traffic, RouteTable routes, String name) {
    List<String> names =
        name.isEmpty()
            ? routes.apis().stream().map(ApiEntry::name).sorted().toList()
            : List.of(name);
    ModelStatisticsResponse.Builder r = ModelStatisticsResponse.newBuilder();
    for (String api : names) {
      r.addModelStats(entry(api, traffic.totals(api)));
    }
    return r.build();
  }

  private static ModelStatistics entry(String api, ApiTraffic.Totals t) {
    return ModelStatistics.newBuilder()
        .setName(api)
        .setVersion("")
        .setLastInference(t.lastMillis())
        .setInferenceCount(t.successes())
        .setExecutionCount(t.successes())
        .setInferenceStats(
            InferStatistics.newBuilder()
                .setSuccess(duration(t.successes(), t.successNanos()))
                .setFail(duration(t.failures(), t.failureNanos())))
        .build();
  }

  private static StatisticDuration duration(long count, long nanos) {
    return StatisticDuration.newBuilder().setCount(count).setNs(nanos).build();
  }
}

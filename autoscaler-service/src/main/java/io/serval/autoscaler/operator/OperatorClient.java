package io.serval.autoscaler.operator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.serval.proto.control.AutoscaledApi;
import io.serval.proto.control.ListAutoscaledApisRequest;
import io.serval.proto.control.SetDesiredReplicasRequest;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Calls the operator's Scaling service. Transient failures are retried with exponential backoff
 * (SmallRye Fault Tolerance; tune with the MicroProfile keys, e.g. {@code
 * io.serval.autoscaler.operator.OperatorClient/setDesiredReplicas/Retry/maxRetries}); what is still
 * failing after that is left to {@code DecisionDelivery}, which keeps the latest decision.
 */
@ApplicationScoped
public class OperatorClient {

  private final OperatorChannel channel;

  public OperatorClient(OperatorChannel channel) {
    this.channel = channel;
  }

  @Retry(
      maxRetries = 2,
      delay = 100,
      jitter = 50,
      maxDuration = 3,
      durationUnit = ChronoUnit.SECONDS,
      retryOn = OperatorUnavailableException.class)
  public List<AutoscaledApi> listAutoscaledApis() {
    try {
      return channel
          .scaling()
          .listAutoscaledApis(ListAutoscaledApisRequest.getDefaultInstance())
          .getApisList();
    } catch (StatusRuntimeException e) {
      throw translate("ListAutoscaledApis", e, channel);
    }
  }

  /** Returns the replicas the operator applied (after its clamping). */
  @Retry(
      maxRetries = 3,
      delay = 200,
      jitter = 100,
      maxDuration = 5,
      durationUnit = ChronoUnit.SECONDS,
      retryOn = OperatorUnavailableException.class)
  @ExponentialBackoff(maxDelay = 2, maxDelayUnit = ChronoUnit.SECONDS)
  public int setDesiredReplicas(String api, int replicas, String reason) {
    try {
      return channel
          .scaling()
          .setDesiredReplicas(
              SetDesiredReplicasRequest.newBuilder()
                  .setApi(api)
                  .setReplicas(replicas)
                  .setReason(reason)
                  .build())
          .getAppliedReplicas();
    } catch (StatusRuntimeException e) {
      throw translate("SetDesiredReplicas(" + api + ", " + replicas + ")", e, channel);
    }
  }

  private static RuntimeException translate(
      String call, StatusRuntimeException e, OperatorChannel channel) {
    Status.Code code = e.getStatus().getCode();
    if (code == Status.Code.UNAVAILABLE) {
      channel.reconnectNow();
    }
    String message = call + " failed: " + code + describe(e.getStatus());
    return switch (code) {
      case UNAVAILABLE,
          DEADLINE_EXCEEDED,
          RESOURCE_EXHAUSTED,
          ABORTED,
          UNKNOWN,
          INTERNAL,
          CANCELLED ->
          new OperatorUnavailableException(message, e);
      default -> new OperatorRejectedException(message, e);
    };
  }

  private static String describe(Status status) {
    return status.getDescription() == null ? "" : " (" + status.getDescription() + ")";
  }
}

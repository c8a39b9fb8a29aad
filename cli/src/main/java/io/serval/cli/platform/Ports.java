package io.serval.cli.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/** The six ports of a local platform; predictor replicas get free ports from the operator. */
public record Ports(
    int routerHttp,
    int routerGrpc,
    int operatorHttp,
    int operatorGrpc,
    int autoscalerHttp,
    int autoscalerGrpc) {

  public static final Ports DEFAULT = new Ports(8080, 8081, 8090, 8091, 8070, 8071);

  /** The default layout shifted by offset, so that a second platform can run beside the first. */
  public static Ports withOffset(int offset) {
    Ports p =
        new Ports(
            DEFAULT.routerHttp + offset,
            DEFAULT.routerGrpc + offset,
            DEFAULT.operatorHttp + offset,
            DEFAULT.operatorGrpc + offset,
            DEFAULT.autoscalerHttp + offset,
            DEFAULT.autoscalerGrpc + offset);
    if (p.autoscalerHttp < 1024 || p.operatorGrpc > 65535) {
      throw new IllegalArgumentException(
          "port offset " + offset + " puts ports outside 1024..65535");
    }
    return p;
  }

  /** Each port with what listens on it, for messages. */
  public Map<Integer, String> described() {
    Map<Integer, String> m = new LinkedHashMap<>();
    m.put(routerHttp, "router HTTP");
    m.put(routerGrpc, "router gRPC");
    m.put(operatorHttp, "operator HTTP");
    m.put(operatorGrpc, "operator gRPC");
    m.put(autoscalerHttp, "autoscaler HTTP");
    m.put(autoscalerGrpc, "autoscaler gRPC");
    return m;
  }

  public String routerUrl() {
    return "http://localhost:" + routerHttp;
  }

  public String operatorUrl() {
    return "http://localhost:" + operatorHttp;
  }

  public String autoscalerUrl() {
    return "http://localhost:" + autoscalerHttp;
  }
}

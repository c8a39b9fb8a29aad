package io.serval.cli.client;

/** The two kinds of the management API and their collection paths. */
public enum ResourceKind {
  API("RealtimeApi", "apis", "API"),
  SPLITTER("TrafficSplitter", "splitters", "traffic splitter");

  private final String kind;
  private final String collection;
  private final String noun;

  ResourceKind(String kind, String collection, String noun) {
    this.kind = kind;
    this.collection = collection;
    this.noun = noun;
  }

  public String kind() {
    return kind;
  }

  public String path() {
    return "/v1/" + collection;
  }

  public String noun() {
    return noun;
  }

  public static ResourceKind ofKind(String kind) {
    return SPLITTER.kind.equals(kind) ? SPLITTER : API;
  }
}

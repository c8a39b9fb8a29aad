package io.serval.cli.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.serval.cli.client.AutoscalerClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text of {@code serval describe}: everything about one resource, and why it is so. */
public final class Description {

  private Description() {}

  public static String api(
      JsonNode v, List<JsonNode> replicas, AutoscalerClient.Explanation scaling, Instant now) {
    JsonNode m = v.path("metadata");
    JsonNode s = v.path("status");
    JsonNode spec = v.path("spec");
    List<String> out = new ArrayList<>();
    out.add("Name:          " + m.path("name").asText());
    out.add("Kind:          RealtimeApi");
    out.add("Status:        " + ResourceSummary.apiStatus(v));
    out.add(
        "Generation:    "
            + m.path("generation").asLong()
            + " (observed by the runtime: "
            + s.path("observedGeneration").asLong()
            + ")");
    out.add(
        "Created:       "
            + m.path("creationTimestamp").asText("-")
            + " ("
            + Ages.since(m.path("creationTimestamp").asText(null), now)
            + " ago)");
    out.add(
        "Updated:       "
            + ResourceSummary.updated(v)
            + " ("
            + Ages.since(ResourceSummary.updated(v), now)
            + " ago)");
    out.add("Endpoint:      " + ResourceSummary.endpoint(v));
    out.add(
        "Model:         "
            + spec.path("model").path("uri").asText()
            + " ("
            + spec.path("model").path("platform").asText("onnx")
            + ")");
    JsonNode r = s.path("replicas");
    out.add(
        "Replicas:      "
            + r.path("requested").asInt()
            + " requested, "
            + r.path("ready").asInt()
            + " ready, "
            + r.path("upToDate").asInt()
            + " ready in the current revision, "
            + Math.max(0, r.path("requested").asInt() - r.path("upToDate").asInt())
            + " not ready yet"
            + (s.hasNonNull("lastScaleReason")
                ? " (last scaled: " + s.get("lastScaleReason").asText() + ")"
                : ""));
    out.add("");
    out.add("Revisions:");
    Table revs = new Table("  REVISION", "TRAFFIC", "READY REPLICAS", "CURRENT");
    for (JsonNode rev : s.path("revisions")) {
      revs.row(
          "  " + rev.path("revision").asText(),
          rev.path("trafficPercent").asInt() + "%",
          String.valueOf(rev.path("readyReplicas").asInt()),
          rev.path("current").asBoolean() ? "yes" : "");
    }
    out.addAll(revs.lines());
    if (!replicas.isEmpty()) {
      out.add("");
      out.add("Replica states:");
      Table reps = new Table("  REPLICA", "REVISION", "STATE", "RESTARTS", "ADDRESS", "MESSAGE");
      for (JsonNode rep : replicas) {
        reps.row(
            "  " + rep.path("id").asText(),
            rep.path("revision").asText(),
            rep.path("phase").asText().toLowerCase(Locale.ROOT),
            String.valueOf(rep.path("restarts").asInt()),
            rep.path("address").asText("-"),
            rep.path("message").asText(""));
      }
      out.addAll(reps.lines());
    }
    out.add("");
    out.addAll(conditions(v));
    out.add("");
    out.add("Autoscaler:");
    out.addAll(autoscaler(scaling, now));
    return String.join("\n", out) + "\n";
  }

  /**
   * An API's description as one document for -o json|yaml: the resource as the management API shows
   * it, its replicas, and the autoscaler's last decision (or why there is none).
   */
  public static ObjectNode apiDocument(
      JsonNode view, List<JsonNode> replicas, AutoscalerClient.Explanation why) {
    ObjectNode doc = view.deepCopy();
    ArrayNode r = doc.putArray("replicas");
    replicas.forEach(r::add);
    ObjectNode autoscaler = doc.putObject("autoscaler");
    why.decision()
        .ifPresentOrElse(
            d -> autoscaler.set("decision", d),
            () -> autoscaler.put("unavailable", why.unavailable()));
    return doc;
  }

  public static String splitter(JsonNode v, Instant now) {
    JsonNode m = v.path("metadata");
    List<String> out = new ArrayList<>();
    out.add("Name:          " + m.path("name").asText());
    out.add("Kind:          TrafficSplitter");
    out.add("Status:        " + ResourceSummary.splitterStatus(v));
    out.add("Generation:    " + m.path("generation").asLong());
    out.add(
        "Updated:       "
            + ResourceSummary.updated(v)
            + " ("
            + Ages.since(ResourceSummary.updated(v), now)
            + " ago)");
    out.add("Endpoint:      " + ResourceSummary.endpoint(v));
    out.add("");
    out.add("APIs:");
    Table apis = new Table("  API", "WEIGHT", "SHADOW");
    for (JsonNode a : v.path("spec").path("apis")) {
      apis.row(
          "  " + a.path("name").asText(),
          a.path("weight").asInt() + "%",
          a.path("shadow").asBoolean() ? "yes (answers discarded)" : "");
    }
    out.addAll(apis.lines());
    out.add("");
    out.addAll(conditions(v));
    return String.join("\n", out) + "\n";
  }

  private static List<String> conditions(JsonNode v) {
    List<String> out = new ArrayList<>();
    out.add("Conditions:");
    Table t = new Table("  TYPE", "STATUS", "REASON", "MESSAGE");
    for (JsonNode c : v.path("status").path("conditions")) {
      t.row(
          "  " + c.path("type").asText(),
          c.path("status").asText(),
          c.path("reason").asText(),
          c.path("message").asText());
    }
    out.addAll(t.lines());
    return out;
  }

  static List<String> autoscaler(AutoscalerClient.Explanation e, Instant now) {
    List<String> out = new ArrayList<>();
    if (e.decision().isEmpty()) {
      out.add("  (no decision to show: " + e.unavailable() + ")");
      return out;
    }
    JsonNode d = e.decision().get();
    if (d.hasNonNull("specError")) {
      out.add("  spec refused by the autoscaler: " + d.get("specError").asText());
    }
    if (!d.hasNonNull("decidedAt")) {
      out.add("  no decision yet (the autoscaler decides every tick)");
      return out;
    }
    out.add(
        "  Last decision:  "
            + d.path("desiredReplicas").asText("?")
            + (d.path("desiredReplicas").asInt() == 1 ? " replica, " : " replicas, ")
            + Ages.since(d.path("decidedAt").asText(), now)
            + " ago"
            + (d.path("panic").asBoolean() ? " (panic mode)" : ""));
    if (d.hasNonNull("summary")) {
      out.add("  Why:            " + d.get("summary").asText());
    }
    JsonNode in = d.path("inputs");
    if (!in.isMissingNode() && !in.isNull()) {
      out.add(
          "  Inputs:         "
              + in.path("currentReplicas").asInt()
              + " current, "
              + in.path("readyReplicas").asInt()
              + " ready; in-flight "
              + window(in.path("window"))
              + (in.hasNonNull("panicWindow") ? "; panic " + window(in.get("panicWindow")) : "")
              + "; target "
              + num(in.path("spec").path("targetInFlight").asDouble())
              + " per replica");
    }
    if (d.hasNonNull("rawRecommendation")) {
      out.add("  Recommendation: " + num(d.get("rawRecommendation").asDouble()) + " replicas");
    }
    for (JsonNode step : d.path("steps")) {
      out.add(
          "    "
              + step.path("rule").asText()
              + ": "
              + num(step.path("from").asDouble())
              + " -> "
              + num(step.path("to").asDouble())
              + " ("
              + step.path("reason").asText()
              + ")");
    }
    JsonNode del = d.path("delivery");
    if (del.isObject()) {
      out.add(
          "  Delivery:       "
              + del.path("state").asText().toLowerCase(Locale.ROOT)
              + (del.hasNonNull("appliedReplicas")
                  ? ", operator applied " + del.get("appliedReplicas").asInt()
                  : "")
              + (del.hasNonNull("lastError")
                  ? ", last error: " + del.get("lastError").asText()
                  : ""));
    }
    return out;
  }

  private static String window(JsonNode w) {
    String len = Ages.iso(w.path("length").asText("?"));
    if (!w.hasNonNull("averageInFlight")) {
      return "no samples over " + len;
    }
    return "avg "
        + num(w.get("averageInFlight").asDouble())
        + " over "
        + len
        + " ("
        + w.path("seconds").asInt()
        + " s, "
        + w.path("routers").asInt()
        + " router"
        + (w.path("routers").asInt() == 1 ? "" : "s")
        + ")";
  }

  private static String num(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.2f", d);
  }
}

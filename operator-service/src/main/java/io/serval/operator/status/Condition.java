package io.serval.operator.status;

/** A Kubernetes-style condition: type, "True"/"False"/"Unknown", a CamelCase reason, a message. */
public record Condition(String type, String status, String reason, String message) {

  public static Condition of(String type, boolean value, String reason, String message) {
    return new Condition(type, value ? "True" : "False", reason, message);
  }
}

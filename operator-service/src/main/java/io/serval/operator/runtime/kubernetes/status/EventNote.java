package io.serval.operator.runtime.kubernetes.status;

/** A Kubernetes Event to record on a custom resource: Normal or Warning, a reason, a message. */
public record EventNote(boolean warning, String reason, String message) {

  public static EventNote normal(String reason, String message) {
    return new EventNote(false, reason, message);
  }

  public static EventNote warning(String reason, String message) {
    return new EventNote(true, reason, message);
  }

  public String type() {
    return warning ? "Warning" : "Normal";
  }
}

package io.serval.operator.spec;

import java.util.ArrayList;
import java.util.List;

/** Every problem found in one deploy, each as "{resource}: {field path}: {what is allowed}". */
public final class Problems {

  private final List<String> messages = new ArrayList<>();

  /** Problems of one resource; the label starts as "document N" and becomes the name once known. */
  public final class Scope {
    private String label;

    private Scope(String label) {
      this.label = label;
    }

    void relabel(String newLabel) {
      label = newLabel;
    }

    public void add(String path, String message) {
      messages.add(label + ": " + path + ": " + message);
    }
  }

  public Scope scope(String label) {
    return new Scope(label);
  }

  public void add(String message) {
    messages.add(message);
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  public List<String> messages() {
    return List.copyOf(messages);
  }

  public void throwIfAny() {
    if (!messages.isEmpty()) {
      throw new SpecException(messages);
    }
  }
}

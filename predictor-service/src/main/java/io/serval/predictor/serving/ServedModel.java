package io.serval.predictor.serving;

import io.serval.v2.V2Exception;
import java.util.Optional;

/** The name and optional version this predictor answers to. */
public record ServedModel(String name, Optional<String> version) {

  /**
   * @param requestedVersion empty means any version
   * @throws V2Exception NOT_FOUND when the name or the version is not the one served
   */
  public void check(String requestedName, String requestedVersion) {
    if (!name.equals(requestedName)) {
      throw V2Exception.notFound(
          "unknown model '" + requestedName + "'; this predictor serves model '" + name + "'");
    }
    if (requestedVersion != null
        && !requestedVersion.isEmpty()
        && !version.map(requestedVersion::equals).orElse(false)) {
      throw V2Exception.notFound(
          "model '"
              + name
              + "' has no version '"
              + requestedVersion
              + "'"
              + version.map(v -> "; it serves version '" + v + "'").orElse("; it has no versions"));
    }
  }

  /** Whether a ready/metadata probe names this model (no exception). */
  public boolean matches(String requestedName, String requestedVersion) {
    try {
      check(requestedName, requestedVersion);
      return true;
    } catch (V2Exception e) {
      return false;
    }
  }
}

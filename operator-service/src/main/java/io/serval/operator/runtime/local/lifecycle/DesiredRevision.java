package io.serval.operator.runtime.local.lifecycle;

/**
 * One active revision of one API and how many replicas it should have.
 *
 * @param launchable false when the revision's record is missing: its replicas are neither started
 *     nor retired (they still belong to an active revision), only left as they are
 */
public record DesiredRevision(String api, String revision, int replicas, boolean launchable) {

  String group() {
    return api + "/" + revision;
  }
}

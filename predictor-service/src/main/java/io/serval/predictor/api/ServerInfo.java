package io.serval.predictor.api;

import java.util.List;

/** What the server metadata calls report. */
final class ServerInfo {
  static final String NAME = "serval-predictor";
  static final List<String> EXTENSIONS = List.of("binary_tensor_data");

  private ServerInfo() {}
}

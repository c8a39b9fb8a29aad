package io.serval.cli.output;

/** -o of get and describe. */
public enum OutputFormat {
  table,
  json,
  yaml
}

package io.serval.operator.spec;

import java.util.List;

/** The APIs behind a splitter. */
public record SplitterSpec(List<SplitTarget> apis) {
  public SplitterSpec {
    apis = List.copyOf(apis);
  }
}

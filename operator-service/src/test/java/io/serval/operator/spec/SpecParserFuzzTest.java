package io.serval.operator.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the spec parser (YAML/JSON, binding, defaults, validation) over any
 * text a user applies. The only exception allowed out is SpecException, which the operator answers
 * with the list of problems; anything else is a finding.
 */
class SpecParserFuzzTest {
  private static final SpecParser PARSER = new SpecParser();

  @FuzzTest(maxDuration = "15s")
  void parsesOrListsTheProblems(byte[] text) {
    try {
      PARSER.parse(new String(text, StandardCharsets.UTF_8));
    } catch (SpecException refused) {
      if (refused.problems().isEmpty()) {
        throw new AssertionError("a refusal without a problem", refused);
      }
    }
  }
}

package io.serval.router.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {
  private static List<LineReader.Line> read(String input, long start, int max) throws IOException {
    List<LineReader.Line> lines = new ArrayList<>();
    try (LineReader r =
        new LineReader(
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), start, max)) {
      LineReader.Line l;
      while ((l = r.next()) != null) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static String text(LineReader.Line l) {
    return new String(l.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void linesComeWithTheirOffsetsAndWithoutTheirEnds() throws IOException {
    List<LineReader.Line> lines = read("ab\r\n\ncde\nf", 100, 10);
    assertThat(lines).extracting(LineReaderTest::text).containsExactly("ab", "", "cde", "f");
    assertThat(lines).extracting(LineReader.Line::offset).containsExactly(100L, 104L, 105L, 109L);
  }

  @Test
  void aFinalLineEndAddsNoEmptyItem() throws IOException {
    assertThat(read("a\nb\n", 0, 10)).hasSize(2);
    assertThat(read("", 0, 10)).isEmpty();
  }

  @Test
  void aLineOverTheBoundIsReportedTooLongWithItsLengthAndTheNextLineIsIntact() throws IOException {
    String longLine = "x".repeat(100_000);
    List<LineReader.Line> lines = read("1234\n" + longLine + "\n12345\n123456\r\n", 0, 5);
    assertThat(lines).hasSize(4);
    assertThat(text(lines.get(0))).isEqualTo("1234");
    assertThat(lines.get(1).tooLong()).isTrue();
    assertThat(lines.get(1).length()).isEqualTo(100_000);
    assertThat(text(lines.get(2))).as("exactly the bound").isEqualTo("12345");
    assertThat(lines.get(3).tooLong()).isTrue();
    assertThat(lines.get(3).offset()).isEqualTo(5 + 100_001 + 6);
  }

  @Test
  void aLineAtTheBoundWithACarriageReturnFits() throws IOException {
    assertThat(read("12345\r\n", 0, 5)).extracting(LineReaderTest::text).containsExactly("12345");
  }
}

package io.serval.router.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.router.rest.BodyCollector.State;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BodyCollectorTest {

  private static final long MB = 1 << 20;

  private static Buffer bytes(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return Buffer.buffer(b);
  }

  @Test
  void aLargeBodyAllocatesOnlyWhatHasArrived() {
    BodyBudget budget = new BodyBudget(256 * MB);
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().threadId();
    Buffer ten = bytes(10, 1);
    long before = threads.getThreadAllocatedBytes(thread);

    BodyCollector c = new BodyCollector(64 * MB, budget);
    assertThat(c.held()).isZero();
    assertThat(c.append(ten)).isEqualTo(State.READING);

    assertThat(threads.getThreadAllocatedBytes(thread) - before).isLessThan(64 * 1024);

    assertThat(c.held()).isEqualTo(10);
    assertThat(budget.used()).isEqualTo(10);
  }

  @Test
  void memoryGrowsWithTheBytesAndEndsAtTheExactSize() {
    BodyBudget budget = new BodyBudget(256 * MB);
    int total = 3 * 1024 * 1024 + 17;
    BodyCollector c = new BodyCollector(64 * MB, budget);
    int sent = 0;
    while (sent < total) {
      int n = Math.min(8192, total - sent);
      c.append(bytes(n, 7));
      sent += n;
      // what arrived and at most one segment's room, whatever was declared
      assertThat(c.held())
          .isGreaterThanOrEqualTo(sent)
          .isLessThanOrEqualTo(sent + BodyCollector.LARGEST_SEGMENT);
    }
    byte[] body = c.bytes();
    assertThat(body).hasSize(total);
    assertThat(body[total - 1]).isEqualTo((byte) 7);
    assertThat(budget.used()).isEqualTo(total);

    c.release();
    c.release();
    assertThat(budget.used()).isZero();
  }

  @Test
  void theBodyComesBackInOrder() {
    BodyCollector c = new BodyCollector(64 * MB, new BodyBudget(MB));
    c.append(Buffer.buffer("{\"a\":"));
    c.append(Buffer.buffer("[1,"));
    c.append(Buffer.buffer("2]}"));
    assertThat(new String(c.bytes(), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"a\":[1,2]}");
  }

  @Test
  void aChunkedBodyGrowsUpToTheLimitAndPastItIsDropped() {
    BodyBudget budget = new BodyBudget(10 * MB);
    BodyCollector c = new BodyCollector(MB, budget);
    for (int i = 0; i < 128; i++) {
      assertThat(c.append(bytes(8192, 3))).isEqualTo(State.READING);
    }
    assertThat(c.held()).isBetween(MB, 2 * MB);
    assertThat(c.append(bytes(1, 3))).isEqualTo(State.TOO_LARGE);
    assertThat(c.held()).isZero();
    assertThat(budget.used()).isZero();
    assertThat(c.size()).isEqualTo(MB + 1);
  }

  @Test
  void aChunkPastTheBudgetIsRefusedAndWhatWasHeldIsGivenBack() {
    BodyBudget budget = new BodyBudget(20_000);
    BodyCollector other = new BodyCollector(MB, budget);
    other.append(bytes(12_000, 1));
    BodyCollector c = new BodyCollector(MB, budget);
    assertThat(c.append(bytes(5_000, 1))).isEqualTo(State.READING);
    assertThat(c.append(bytes(5_000, 1))).isEqualTo(State.OVER_BUDGET);
    assertThat(c.held()).isZero();
    assertThat(budget.used()).isEqualTo(12_000);
    assertThat(c.append(bytes(5_000, 1))).isEqualTo(State.OVER_BUDGET);
    assertThat(budget.used()).isEqualTo(12_000);
  }
}

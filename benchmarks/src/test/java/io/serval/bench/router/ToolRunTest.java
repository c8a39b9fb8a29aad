package io.serval.bench.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ToolRunTest {

  @Test
  void readsWrksRateAndPercentiles() {
    String out =
        """
        Running 5s test @ http://127.0.0.1:18700/v2/models/add/infer
          1 threads and 1 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   180.12us  300.55us  12.10ms   99.01%
          Latency Distribution
             50%  146.00us
             75%  160.00us
             90%  180.00us
             99%    3.85ms
          33262 requests in 5.00s, 5.58MB read
        Requests/sec:   6652.39
        Transfer/sec:      1.12MB
        """;
    ToolRun r = ToolRun.parseWrk(out);
    assertThat(r.throughput()).isEqualTo(6652.39);
    assertThat(r.p50Micros()).isEqualTo(146.0);
    assertThat(r.p99Micros()).isEqualTo(3850.0, within(1e-9));
    assertThat(r.errors()).isZero();
    assertThat(r.meanMicros()).isNaN();
  }

  @Test
  void countsWrksFailedAnswersAndSocketErrors() {
    String out =
        """
          Latency Distribution
             50%    1.10ms
             99%    1.20s
          Socket errors: connect 0, read 2, write 0, timeout 3
          Non-2xx or 3xx responses: 7
        Requests/sec:  51513.50
        """;
    ToolRun r = ToolRun.parseWrk(out);
    assertThat(r.p99Micros()).isEqualTo(1_200_000.0, within(1e-6));
    assertThat(r.errors()).isEqualTo(12);
  }

  @Test
  void readsH2loadsRateMeanAndFailures() {
    String out =
        """
        finished in 5.00s, 4883.48 req/s, 377.10KB/s
        requests: 24417 total, 24417 started, 24417 done, 24410 succeeded, 4 failed, 2 errored, 1 timeout
        status codes: 24417 2xx, 0 3xx, 0 4xx, 0 5xx
                             min         max         mean         sd        +/- sd
        time for request:      129us     12.87ms       195us       328us    99.35%
        """;
    ToolRun r = ToolRun.parseH2load(out);
    assertThat(r.throughput()).isEqualTo(4883.48);
    assertThat(r.meanMicros()).isEqualTo(195.0);
    assertThat(r.errors()).isEqualTo(7);
    assertThat(r.p50Micros()).isNaN();
  }

  @Test
  void aReportWithoutItsFiguresIsAnError() {
    assertThatThrownBy(() -> ToolRun.parseWrk("unable to connect to 127.0.0.1:1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Requests/sec");
  }

  @Test
  void summaryShowsMediansAndPerRoundDifferencesToTheDirectPath() {
    List<RouterToolsBenchmark.Point> points =
        List.of(
            point(1, "direct", 6000, 150, 1000),
            point(1, "router", 3000, 280, 1900),
            point(2, "direct", 6200, 140, 1000),
            point(2, "router", 3300, 250, 2000),
            point(3, "direct", 5800, 160, 1000),
            point(3, "router", 2900, 300, 1800));
    String table = RouterToolsBenchmark.summary(points);
    assertThat(table).contains("| http | 1 | direct | 6000 | 150 |");
    // p50 overheads per round 130, 110, 140 -> median 130; p99 900, 1000, 800 -> 900;
    // ratios 0.50, 0.53, 0.50 -> 0.50
    assertThat(table).contains("| http | 1 | router | 3000 | 280 | 1900 | — | 130 | 900 | 0.50 |");
  }

  @Test
  void readsPercentilesFromH2loadsPerRequestLog() {
    List<String> log = new java.util.ArrayList<>();
    for (int i = 100; i >= 1; i--) { // 100 requests of 1..100 µs, in any order
      log.add("1763856000000000\t200\t" + i);
    }
    double[] p = ToolRun.h2loadLogPercentiles(log);
    assertThat(p[0]).isEqualTo(50.0);
    assertThat(p[1]).isEqualTo(99.0);
    assertThatThrownBy(() -> ToolRun.h2loadLogPercentiles(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static RouterToolsBenchmark.Point point(
      int round, String path, double rps, double p50, double p99) {
    return new RouterToolsBenchmark.Point(
        round, "http", path, 1, new ToolRun(rps, p50, p99, Double.NaN, 0));
  }
}

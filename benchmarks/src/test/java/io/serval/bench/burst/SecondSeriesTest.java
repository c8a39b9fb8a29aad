package io.serval.bench.burst;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecondSeriesTest {
  static final long STEP = 50_000L;

  @Test
  void binsRequestsBySecondRelativeToTheStep() {
    List<RequestRecord> requests =
        List.of(
            new RequestRecord(STEP - 1_500, 20_000, true),
            new RequestRecord(STEP - 10, 30_000, true),
            new RequestRecord(STEP, 40_000, true),
            new RequestRecord(STEP + 999, 50_000, false),
            new RequestRecord(STEP + 1_000, 60_000, true));

    List<SecondSeries.Row> rows =
        SecondSeries.of(STEP - 2_000, STEP, STEP + 2_000, 2, 8, requests, List.of());

    assertThat(rows).extracting(SecondSeries.Row::second).containsExactly(-2, -1, 0, 1);
    assertThat(rows).extracting(SecondSeries.Row::answered).containsExactly(1, 1, 1, 1);
    assertThat(rows).extracting(SecondSeries.Row::errors).containsExactly(0, 0, 1, 0);
    assertThat(rows).extracting(SecondSeries.Row::concurrency).containsExactly(2, 2, 8, 8);
    assertThat(rows)
        .extracting(SecondSeries.Row::p99Millis)
        .containsExactly(20.0, 30.0, 40.0, 60.0);
  }

  @Test
  void p99IsTheNearestRank() {
    List<Long> micros = new ArrayList<>();
    for (long i = 1; i <= 200; i++) {
      micros.add(i * 1000);
    }
    // rank ceil(0.99 x 200) = 198
    assertThat(SecondSeries.p99Millis(micros)).isEqualTo(198.0);
    assertThat(SecondSeries.p99Millis(List.of(7000L))).isEqualTo(7.0);
    assertThat(SecondSeries.p99Millis(List.of())).isNaN();
  }

  @Test
  void takesReplicaCountsFromTheLastPollAndInFlightFromTheDecisionOfEachSecond() {
    Decision d0 = new Decision(STEP + 300, true, 2, 1, 7.5, "DELIVERED", 2, STEP + 320);
    List<ProbeSample> samples =
        List.of(
            new ProbeSample(STEP - 500, Optional.empty(), List.of(), 1, 1),
            new ProbeSample(STEP + 100, Optional.empty(), List.of(), -1, -1),
            new ProbeSample(STEP + 400, Optional.of(d0), List.of(), 2, 1),
            new ProbeSample(STEP + 900, Optional.of(d0), List.of(), 2, 1),
            new ProbeSample(STEP + 1_900, Optional.of(d0), List.of(), 2, 2));

    List<SecondSeries.Row> rows =
        SecondSeries.of(STEP - 1_000, STEP, STEP + 3_000, 2, 8, List.of(), samples);

    assertThat(rows).extracting(SecondSeries.Row::requested).containsExactly(1, 2, 2, -1);
    assertThat(rows).extracting(SecondSeries.Row::ready).containsExactly(1, 1, 2, -1);
    assertThat(rows.get(1).autoscalerInFlight()).isEqualTo(7.5);
    assertThat(rows.get(0).autoscalerInFlight()).isNaN();
    assertThat(rows.get(1).p99Millis()).isNaN();
  }

  @Test
  void writesCsvWithEmptyCellsForUnknownValues() {
    List<SecondSeries.Row> rows =
        List.of(
            new SecondSeries.Row(-1, 10, 0, 41.25, 2, Double.NaN, 1, 1),
            new SecondSeries.Row(0, 12, 1, Double.NaN, 8, 7.5, -1, -1));

    assertThat(SecondSeries.csv(rows))
        .isEqualTo(
            "second,answered,errors,p99_ms,concurrency,autoscaler_in_flight,requested,ready\n"
                + "-1,10,0,41.3,2,,1,1\n"
                + "0,12,1,,8,7.50,-1,-1\n");
  }
}

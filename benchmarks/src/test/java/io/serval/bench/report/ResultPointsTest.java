package io.serval.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResultPointsTest {

  @Test
  void readsTheRouterCsvWithMediansOverRounds() {
    String csv =
        """
        round,protocol,via,load,concurrency,requests,throughput_rps,p50_us,p99_us,mean_us,errors,first_error
        1,grpc,direct,c1,1,100,4000.00,200.0,400.0,210.0,0,
        2,grpc,direct,c1,1,100,4200.00,200.0,500.0,210.0,0,
        3,grpc,direct,c1,1,100,9000.00,200.0,450.0,210.0,0,
        1,grpc,router,c1,1,100,2000.00,400.0,900.0,410.0,1,"refused, with a comma"
        1,grpc,router,sat,64,100,8000.00,400.0,7000.0,410.0,0,
        """;
    List<ResultPoints.Group> groups = ResultPoints.parse(csv);
    assertThat(groups).extracting(ResultPoints.Group::name).containsExactly("grpc");
    List<ResultPoints.Series> series = groups.getFirst().series();
    assertThat(series).extracting(ResultPoints.Series::name).containsExactly("direct", "router");
    ResultPoints.Series direct = series.get(0);
    assertThat(direct.baseline()).isTrue();
    assertThat(direct.points()).containsExactly(new ResultPoints.Point(1, 4200, 450));
    ResultPoints.Series router = series.get(1);
    assertThat(router.baseline()).isFalse();
    assertThat(router.points()).extracting(ResultPoints.Point::concurrency).containsExactly(1, 64);
  }

  @Test
  void readsThePredictorCsvLeavingOutDashLabels() {
    String csv =
        """
        model,path,batching,concurrency,requests,throughput_rps,p50_us,p99_us,mean_us,errors,first_error
        minilm,inproc,-,1,320,79.85,12402.7,14172.2,12517.7,0,
        minilm,rest,on,8,634,156.64,49872.9,60031.0,50794.3,0,
        """;
    List<ResultPoints.Group> groups =
        ResultPoints.parse(csv + "tiny,grpc,off,1,10,9000,100,200,110,0,\n");
    assertThat(groups).extracting(ResultPoints.Group::name).containsExactly("minilm", "tiny");
    assertThat(groups.getFirst().series())
        .extracting(ResultPoints.Series::name, ResultPoints.Series::baseline)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("inproc", true),
            org.assertj.core.groups.Tuple.tuple("rest on", false));
  }

  @Test
  void readsTheFirstMarkdownTableWithAConcurrencyColumn() {
    String md =
        """
        # RouterToolsBenchmark

        | a | b |
        |---|---|
        | x | y |

        | protocol | c | path | req/s | p50 µs | p99 µs | mean µs |
        |---|---|---|---|---|---|---|
        | http | 1 | direct | 5505 | 169 | 301 | 178 |
        | http | 1 | lean | 3972 | 233 | 402 | 248 |
        | http | 4 | lean | 9534 | 393 | 778 | 416 |

        text after
        """;
    List<ResultPoints.Series> series = ResultPoints.parse(md).getFirst().series();
    assertThat(series).extracting(ResultPoints.Series::name).containsExactly("direct", "lean");
    assertThat(series.get(1).baseline()).isTrue();
    assertThat(series.get(1).points())
        .containsExactly(
            new ResultPoints.Point(1, 3972, 402), new ResultPoints.Point(4, 9534, 778));
  }

  @Test
  void aTableWithoutTheNeededColumnsIsRefused() {
    assertThatThrownBy(() -> ResultPoints.parse("a,b\n1,2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("concurrency");
  }
}

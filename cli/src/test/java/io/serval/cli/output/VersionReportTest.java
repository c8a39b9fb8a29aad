package io.serval.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.cli.output.VersionReport.Service;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionReportTest {

  @Test
  void servicesOnTheCliVersionAreNoMismatch() {
    VersionReport r =
        new VersionReport(
            "1.2.0",
            List.of(
                Service.reported("operator", "http://o", "1.2.0"),
                Service.reported("router", "http://r", "1.2.0")));

    assertThat(r.mismatches()).isEmpty();
    assertThat(r.warning()).isEmpty();
  }

  @Test
  void aServiceOnAnotherVersionIsNamedInTheWarning() {
    VersionReport r =
        new VersionReport(
            "1.2.0",
            List.of(
                Service.reported("operator", "http://o", "1.2.0"),
                Service.reported("router", "http://r", "1.1.0"),
                Service.reported("autoscaler", "http://a", "1.3.0-SNAPSHOT")));

    assertThat(r.mismatches()).extracting(Service::name).containsExactly("router", "autoscaler");
    assertThat(r.warning())
        .hasValueSatisfying(
            w -> assertThat(w).contains("(1.2.0)", "router 1.1.0", "autoscaler 1.3.0-SNAPSHOT"));
  }

  @Test
  void anUnreachableServiceIsSaidButIsNoMismatch() {
    VersionReport r =
        new VersionReport(
            "1.2.0",
            List.of(
                Service.reported("operator", "http://o", "1.2.0"),
                Service.unavailable("router", "http://r", "cannot reach the router")));

    assertThat(r.warning()).isEmpty();
    assertThat(r.table())
        .containsPattern("cli\\s+1.2.0")
        .containsPattern("operator\\s+1.2.0\\s+http://o")
        .containsPattern("router\\s+unknown\\s+http://r")
        .contains("router: cannot reach the router");
  }
}

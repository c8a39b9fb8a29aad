package io.serval.autoscaler;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthEndpointsTest {

  @Test
  void answersHealthAndMetrics() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
  }
}

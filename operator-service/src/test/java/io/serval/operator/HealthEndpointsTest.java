package io.serval.operator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = OperatorTestResource.class, restrictToAnnotatedClass = false)
class HealthEndpointsTest {

  @Test
  void answersHealthAndMetrics() {
    given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
  }

  @Test
  void servesOpenApiAndSwaggerUi() {
    given()
        .get("/q/openapi?format=json")
        .then()
        .statusCode(200)
        .body(containsString("/v1/deploy"))
        .body(containsString("/v1/apis/{name}/rollback"))
        .body(containsString("bearer"));
    given().get("/q/swagger-ui/").then().statusCode(200);
  }
}

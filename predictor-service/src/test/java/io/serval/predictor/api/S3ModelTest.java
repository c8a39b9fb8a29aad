package io.serval.predictor.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

/** A predictor whose spec.model.uri is s3://: it fetches the model from s3proxy and serves it. */
@QuarkusTest
@TestProfile(S3ModelProfile.class)
class S3ModelTest {

  @Test
  void servesTheModelFetchedFromS3() {
    given().get("/v2/models/add/ready").then().statusCode(200).body("ready", is(true));
    given()
        .contentType("application/json")
        .body(
            "{\"inputs\":["
                + "{\"name\":\"a\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[1,2,3,4]},"
                + "{\"name\":\"b\",\"datatype\":\"FP32\",\"shape\":[1,4],\"data\":[10,20,30,40]}]}")
        .post("/v2/models/add/infer")
        .then()
        .statusCode(200)
        .body("outputs[0].name", is("sum"))
        .body("outputs[0].data", contains(11.0f, 22.0f, 33.0f, 44.0f));
  }
}

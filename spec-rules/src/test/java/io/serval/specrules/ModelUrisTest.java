package io.serval.specrules;

import static org.assertj.core.api.Assertions.assertThat;

import io.serval.specrules.ModelUris.Source;
import org.junit.jupiter.api.Test;

class ModelUrisTest {

  @Test
  void knowsTheThreeSources() {
    assertThat(ModelUris.source("file:/models/m.onnx")).contains(Source.FILE);
    assertThat(ModelUris.source("file:m.onnx")).contains(Source.FILE);
    assertThat(ModelUris.source("https://models.example.com/m.onnx")).contains(Source.HTTP);
    assertThat(ModelUris.source("http://models:8000/m.onnx")).contains(Source.HTTP);
    assertThat(ModelUris.source("s3://models/team/m.onnx")).contains(Source.S3);
  }

  @Test
  void refusesAnS3UriWithoutAKeyOrWithCredentials() {
    assertThat(ModelUris.source("s3://models")).isEmpty();
    assertThat(ModelUris.source("s3://models/")).isEmpty();
    assertThat(ModelUris.source("s3:///m.onnx")).isEmpty();
    assertThat(ModelUris.source("s3://key:secret@models/m.onnx")).isEmpty();
    assertThat(ModelUris.source("s3://models/m.onnx?versionId=3")).isEmpty();
  }

  @Test
  void refusesOtherSchemesAndEmptyUris() {
    assertThat(ModelUris.source("gs://bucket/m.onnx")).isEmpty();
    assertThat(ModelUris.source("ftp://host/m.onnx")).isEmpty();
    assertThat(ModelUris.source("file:")).isEmpty();
    assertThat(ModelUris.source("https://")).isEmpty();
    assertThat(ModelUris.source("")).isEmpty();
    assertThat(ModelUris.source(null)).isEmpty();
  }
}

package io.serval.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UriRedactionTest {

  @Test
  void userInfoIsMasked() {
    assertThat(UriRedaction.redact("https://alice:s3cret@models.example.com/m/model.onnx"))
        .isEqualTo("https://REDACTED@models.example.com/m/model.onnx");
    assertThat(UriRedaction.redact("http://token@host:8080/a.onnx"))
        .isEqualTo("http://REDACTED@host:8080/a.onnx");
  }

  @Test
  void anAtSignInThePathOrQueryIsNoUserInfo() {
    assertThat(UriRedaction.redact("https://host/models/v@2/model.onnx"))
        .isEqualTo("https://host/models/v@2/model.onnx");
    assertThat(UriRedaction.redact("https://host/m.onnx?owner=a@b.c"))
        .isEqualTo("https://host/m.onnx?owner=a@b.c");
  }

  @Test
  void signedS3QueryKeepsItsShapeButNotItsSecrets() {
    String signed =
        "https://bucket.s3.amazonaws.com/model.onnx?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request"
            + "&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
            + "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE"
            + "&X-Amz-Signature=0123456789abcdef";
    String shown = UriRedaction.redact(signed);
    assertThat(shown)
        .isEqualTo(
            "https://bucket.s3.amazonaws.com/model.onnx?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                + "&X-Amz-Credential=REDACTED&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600"
                + "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=REDACTED"
                + "&X-Amz-Signature=REDACTED");
    assertThat(shown).doesNotContain("AKIAEXAMPLE", "0123456789abcdef", "FQoGZXIvYXdzEXAMPLE");
  }

  @Test
  void azureSasGcsAndGenericTokensAreMasked() {
    assertThat(
            UriRedaction.redact(
                "https://acct.blob.core.windows.net/c/m.onnx?sv=2022-11-02&sp=r&sig=abc%2Bdef%3D"))
        .isEqualTo("https://acct.blob.core.windows.net/c/m.onnx?sv=2022-11-02&sp=r&sig=REDACTED");
    assertThat(UriRedaction.redact("https://h/m.onnx?X-Goog-Signature=ff00&alt=media"))
        .isEqualTo("https://h/m.onnx?X-Goog-Signature=REDACTED&alt=media");
    assertThat(UriRedaction.redact("https://h/m.onnx?TOKEN=t1&access_token=t2#frag"))
        .isEqualTo("https://h/m.onnx?TOKEN=REDACTED&access_token=REDACTED#frag");
    assertThat(UriRedaction.redact("https://h/m.onnx?x-ms-custom-signature=zz"))
        .isEqualTo("https://h/m.onnx?x-ms-custom-signature=REDACTED");
  }

  @Test
  void bothAtOnce() {
    assertThat(UriRedaction.redact("https://u:p@h/m.onnx?sig=x"))
        .isEqualTo("https://REDACTED@h/m.onnx?sig=REDACTED");
  }

  @Test
  void urisWithoutCredentialsAreUnchanged() {
    for (String plain :
        new String[] {
          "file:models/all-minilm-l6-v2-q.onnx",
          "file:/abs/model.onnx",
          "https://huggingface.co/x/resolve/main/model.onnx?download=true",
          "http://host:8000/m.onnx",
          "",
          "not a uri at all"
        }) {
      assertThat(UriRedaction.redact(plain)).isEqualTo(plain);
    }
    assertThat(UriRedaction.redact(null)).isNull();
  }

  @Test
  void urisInsideTextAreMasked() {
    assertThat(
            UriRedaction.redactIn(
                "fetching https://u:p@h/m.onnx?sig=abc failed (\"https://h2/x?token=t\"); retry"))
        .isEqualTo(
            "fetching https://REDACTED@h/m.onnx?sig=REDACTED failed"
                + " (\"https://h2/x?token=REDACTED\"); retry");
    assertThat(UriRedaction.redactIn("no uri here")).isEqualTo("no uri here");
  }
}

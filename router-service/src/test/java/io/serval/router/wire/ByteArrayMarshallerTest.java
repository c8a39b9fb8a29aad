package io.serval.router.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Drainable;
import io.grpc.KnownLength;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteArrayMarshallerTest {
  private final byte[] message =
      new Random(7)
          .ints(100_000, 0, 256)
          .collect(ByteArrayOutputStream::new, ByteArrayOutputStream::write, (a, b) -> {})
          .toByteArray();

  @Test
  void aMessageIsSizedUpFrontAndDrainedWhole() throws Exception {
    InputStream stream = ByteArrayMarshaller.INSTANCE.stream(message);
    assertThat(stream).isInstanceOf(KnownLength.class).isInstanceOf(Drainable.class);
    assertThat(stream.available()).isEqualTo(message.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(((Drainable) stream).drainTo(out)).isEqualTo(message.length);
    assertThat(out.toByteArray()).isEqualTo(message);
    assertThat(stream.read()).isEqualTo(-1);
  }

  @Test
  void parsesStreamsOfKnownAndUnknownLength() {
    assertThat(ByteArrayMarshaller.INSTANCE.parse(new Known(message))).isEqualTo(message);
    assertThat(ByteArrayMarshaller.INSTANCE.parse(new ByteArrayInputStream(message)))
        .isEqualTo(message);
    assertThat(ByteArrayMarshaller.INSTANCE.parse(new Known(new byte[0]))).isEmpty();
  }

  /** Like grpc-java's deframed message streams. */
  private static final class Known extends ByteArrayInputStream implements KnownLength {
    Known(byte[] b) {
      super(b);
    }
  }
}

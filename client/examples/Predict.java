// The README's Java example: one prediction with the Java client (client/, serval-client).
// Build the client, then run this file with its jars on the class path (JDK 21 or newer):
//   ./mvnw -B -q package -pl client -am -DskipTests
//   java --class-path 'client/target/*:client/target/lib/*' client/examples/Predict.java http://localhost:8080
import io.serval.client.ServalClient;
import io.serval.client.v2.InferResult;
import io.serval.client.v2.Tensor;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

public class Predict {
  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://localhost:8080";
    long[] shape = {1, 4};
    try (ServalClient client =
        ServalClient.rest(url) // or ServalClient.grpc("localhost:8081")
            .attemptTimeout(Duration.ofSeconds(10))
            .deadline(Duration.ofSeconds(30)) // .apiKey("...") when the router has keys
            .build()) {
      InferResult result =
          client.infer(
              "minilm",
              List.of(
                  Tensor.int64s("input_ids", shape, 101, 7592, 2088, 102),
                  Tensor.int64s("attention_mask", shape, 1, 1, 1, 1),
                  Tensor.int64s("token_type_ids", shape, 0, 0, 0, 0)));
      Tensor hidden = result.output("last_hidden_state");
      System.out.println(
          hidden.name()
              + " "
              + hidden.datatype()
              + " "
              + Arrays.toString(hidden.shape())
              + " served by "
              + result.revision().orElse("?")
              + " after "
              + result.attempts()
              + " attempt(s)");
    }
  }
}

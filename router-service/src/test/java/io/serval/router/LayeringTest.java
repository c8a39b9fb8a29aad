package io.serval.router;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;

/**
 * The router's packages in one direction, top to bottom:
 *
 * <pre>
 * wiring                                    builds everything from the settings (CDI producers)
 * rest  grpc  control  metrics  access      edges: client protocols, control plane, metrics, auth,
 * batch                                     batch jobs (/v1/jobs and the job runner)
 * async  tracing                            the async pump, traces
 * dispatch                                  a request from admission to answer
 * queue  routing  stats                     per-API queue and slots; the route table; per-API traffic
 * wire  config                              bytes-level protocol helpers; the settings
 * </pre>
 *
 * A layer uses only layers below it, never a sibling: the edges do not call one another, and queue
 * and routing stand apart. The settings ({@code config}) are read only at the edges and in the
 * wiring, so the core gets plain values. Every package belongs to a layer, so a new one must be
 * placed here before it builds.
 */
@AnalyzeClasses(packages = "io.serval.router", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
  private static final String ROUTER = "io.serval.router.";

  private static final String[] EDGES = {
    "Rest", "Grpc", "Control", "Metrics", "Access", "Tracing", "Async", "Batch"
  };

  private static String[] plus(String[] layers, String... more) {
    String[] out = new String[layers.length + more.length];
    System.arraycopy(layers, 0, out, 0, layers.length);
    System.arraycopy(more, 0, out, layers.length, more.length);
    return out;
  }

  @ArchTest
  static final ArchRule onlyDownwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Wiring")
          .definedBy(ROUTER + "wiring..")
          .layer("Rest")
          .definedBy(ROUTER + "rest..")
          .layer("Grpc")
          .definedBy(ROUTER + "grpc..")
          .layer("Control")
          .definedBy(ROUTER + "control..")
          .layer("Metrics")
          .definedBy(ROUTER + "metrics..")
          .layer("Access")
          .definedBy(ROUTER + "access..")
          .layer("Tracing")
          .definedBy(ROUTER + "tracing..")
          .layer("Batch")
          .definedBy(ROUTER + "batch..")
          .layer("Async")
          .definedBy(ROUTER + "async..")
          .layer("Dispatch")
          .definedBy(ROUTER + "dispatch..")
          .layer("Queue")
          .definedBy(ROUTER + "queue..")
          .layer("Routing")
          .definedBy(ROUTER + "routing..")
          .layer("Stats")
          .definedBy(ROUTER + "stats..")
          .layer("Wire")
          .definedBy(ROUTER + "wire..")
          .layer("Config")
          .definedBy(ROUTER + "config..")
          .whereLayer("Wiring")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Rest")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Grpc")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Control")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Metrics")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Access")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Tracing")
          .mayOnlyBeAccessedByLayers("Wiring")
          .whereLayer("Batch")
          .mayOnlyBeAccessedByLayers("Wiring")
          // Batch items are retried and sent as async requests are: the same RetryDecision and
          // AsyncTarget, one layer down.
          .whereLayer("Async")
          .mayOnlyBeAccessedByLayers("Wiring", "Batch")
          .whereLayer("Dispatch")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring"))
          .whereLayer("Queue")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring", "Dispatch"))
          .whereLayer("Routing")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring", "Dispatch"))
          .whereLayer("Stats")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring"))
          .whereLayer("Wire")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring", "Dispatch", "Queue", "Routing"))
          .whereLayer("Config")
          .mayOnlyBeAccessedByLayers(plus(EDGES, "Wiring"))
          .because("the router's packages depend in one direction (see LayeringTest's Javadoc)");

  @ArchTest
  static final ArchRule everyPackageHasALayer =
      classes()
          .that()
          .resideInAPackage("io.serval.router..")
          .should()
          .resideInAnyPackage(
              ROUTER + "wiring..",
              ROUTER + "rest..",
              ROUTER + "grpc..",
              ROUTER + "control..",
              ROUTER + "metrics..",
              ROUTER + "access..",
              ROUTER + "tracing..",
              ROUTER + "async..",
              ROUTER + "batch..",
              ROUTER + "dispatch..",
              ROUTER + "queue..",
              ROUTER + "routing..",
              ROUTER + "stats..",
              ROUTER + "wire..",
              ROUTER + "config..")
          .because("a new package must be given its place in LayeringTest's layers");

  /**
   * The dispatcher's logic (lanes, admission, forwarding decisions, completion) stays apart from
   * gRPC's call machinery, so that it is tested with a fake transport: only the adapters that talk
   * to replicas open calls or touch Netty.
   */
  @ArchTest
  static final ArchRule dispatchLogicMakesNoCalls =
      noClasses()
          .that()
          .resideInAPackage(ROUTER + "dispatch..")
          .and()
          .haveNameNotMatching(
              ".*\\.(GrpcReplicaTransport|ReplicaReply|ReplicaChannels|ReplicaProber|MetadataForwarder)"
                  + "(\\$.*)?")
          .should()
          .dependOnClassesThat(
              belongToAnyOf(ClientCall.class, Channel.class, Context.class, CallOptions.class))
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage("io.netty..", "io.grpc.netty..", "io.grpc.stub..")
          .because("the dispatcher's logic is tested without a network (ReplicaTransport)");
}

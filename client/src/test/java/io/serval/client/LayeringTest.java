package io.serval.client;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The client's packages in one direction, top to bottom:
 *
 * <pre>
 * io.serval.client     ServalClient: the facade and its builder
 * rest  grpc           the transports: one attempt on the wire each
 * transport            the Transport port, the deadline header
 * retry                RetryPolicy and Retrier (pure: clock, sleeper, random come in), Outcome
 * v2                   tensors, requests, answers, metadata, the exceptions callers catch
 * </pre>
 *
 * The two transports never use each other. Every package belongs to a layer, so a new one must be
 * placed here before it builds. The client is a library for other people's programs: it uses no
 * Quarkus and no Serval service or CLI code (it may not even use the v2-codec, which is the
 * server's side), and the retry rules do no I/O of their own.
 */
@AnalyzeClasses(packages = "io.serval.client", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
  private static final String CLIENT = "io.serval.client.";

  @ArchTest
  static final ArchRule onlyDownwards =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Facade")
          .definedBy("io.serval.client")
          .layer("Rest")
          .definedBy(CLIENT + "rest..")
          .layer("Grpc")
          .definedBy(CLIENT + "grpc..")
          .layer("Transport")
          .definedBy(CLIENT + "transport..")
          .layer("Retry")
          .definedBy(CLIENT + "retry..")
          .layer("V2")
          .definedBy(CLIENT + "v2..")
          .whereLayer("Facade")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Rest")
          .mayOnlyBeAccessedByLayers("Facade")
          .whereLayer("Grpc")
          .mayOnlyBeAccessedByLayers("Facade")
          .whereLayer("Transport")
          .mayOnlyBeAccessedByLayers("Facade", "Rest", "Grpc")
          .whereLayer("Retry")
          .mayOnlyBeAccessedByLayers("Facade", "Rest", "Grpc", "Transport")
          .whereLayer("V2")
          .mayOnlyBeAccessedByLayers("Facade", "Rest", "Grpc", "Transport", "Retry")
          .because("the client's packages depend in one direction (see LayeringTest's Javadoc)");

  @ArchTest
  static final ArchRule everyPackageHasALayer =
      classes()
          .that()
          .resideInAPackage("io.serval.client..")
          .should()
          .resideInAnyPackage(
              "io.serval.client",
              CLIENT + "rest..",
              CLIENT + "grpc..",
              CLIENT + "transport..",
              CLIENT + "retry..",
              CLIENT + "v2..")
          .because("a new package must be given its place in LayeringTest's layers");

  @ArchTest
  static final ArchRule aPlainLibrary =
      noClasses()
          .that()
          .resideInAPackage("io.serval.client..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.quarkus..",
              "io.smallrye..",
              "io.vertx..",
              "jakarta..",
              "io.serval.v2..",
              "io.serval.router..",
              "io.serval.operator..",
              "io.serval.predictor..",
              "io.serval.autoscaler..",
              "io.serval.cli..")
          .because("the client runs in other people's programs, with nothing of the server's");

  @ArchTest
  static final ArchRule retryRulesDoNoIo =
      noClasses()
          .that()
          .resideInAPackage(CLIENT + "retry..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.net..", "java.io..", "java.nio..", "io.grpc..", "io.netty..")
          .orShould()
          .callMethod(System.class, "nanoTime")
          .orShould()
          .callMethod(Thread.class, "sleep", long.class)
          .because("the retry rules are tested on a fake clock with a recording sleeper");
}

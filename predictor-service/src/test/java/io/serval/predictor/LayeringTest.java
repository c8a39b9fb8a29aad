package io.serval.predictor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * One direction between the predictor's packages, top to bottom:
 *
 * <pre>
 * api, health         (REST and gRPC endpoints, readiness)
 *   -> runtime        (loads the model at start, drains it at shutdown)
 *   -> serving        (the V2 operations on the served model, for both transports)
 *   -> metrics, config, tracing (OpenTelemetry spans of the engine)
 *   -> inference      (the engine: workers, warm-up, request preparation)
 *   -> batching, model (dynamic batching; fetching and loading the ONNX model)
 * </pre>
 *
 * A package may use only the packages below its own tier; packages of one tier are independent.
 */
@AnalyzeClasses(
    packages = "io.serval.predictor",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String P = "io.serval.predictor.";

  @ArchTest
  static final ArchRule oneDirection =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("api")
          .definedBy(P + "api..")
          .layer("health")
          .definedBy(P + "health..")
          .layer("runtime")
          .definedBy(P + "runtime..")
          .layer("serving")
          .definedBy(P + "serving..")
          .layer("metrics")
          .definedBy(P + "metrics..")
          .layer("config")
          .definedBy(P + "config..")
          .layer("tracing")
          .definedBy(P + "tracing..")
          .layer("inference")
          .definedBy(P + "inference..")
          .layer("batching")
          .definedBy(P + "batching..")
          .layer("model")
          .definedBy(P + "model..")
          .whereLayer("api")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("health")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("runtime")
          .mayOnlyBeAccessedByLayers("api", "health")
          .whereLayer("serving")
          .mayOnlyBeAccessedByLayers("api", "health", "runtime")
          .whereLayer("metrics")
          .mayOnlyBeAccessedByLayers("api", "health", "runtime", "serving")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers("api", "health", "runtime", "serving")
          .whereLayer("tracing")
          .mayOnlyBeAccessedByLayers("api", "health", "runtime", "serving")
          .whereLayer("inference")
          .mayOnlyBeAccessedByLayers(
              "api", "health", "runtime", "serving", "metrics", "config", "tracing")
          .whereLayer("batching")
          .mayOnlyBeAccessedByLayers(
              "api", "health", "runtime", "serving", "metrics", "config", "inference")
          .whereLayer("model")
          .mayOnlyBeAccessedByLayers(
              "api", "health", "runtime", "serving", "metrics", "config", "inference")
          .because("an arrow that runs back up ties a lower package to the shell above it");

  /** A new package must be given its place above, or the rule would not see it. */
  @ArchTest
  static final ArchRule everyClassInALayer =
      classes()
          .should()
          .resideInAnyPackage(
              P + "api..",
              P + "health..",
              P + "runtime..",
              P + "serving..",
              P + "metrics..",
              P + "config..",
              P + "tracing..",
              P + "inference..",
              P + "batching..",
              P + "model..")
          .because("every package has a place in LayeringTest's order");
}

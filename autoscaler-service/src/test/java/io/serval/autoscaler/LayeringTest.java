package io.serval.autoscaler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * One direction between the autoscaler's packages, top to bottom:
 *
 * <pre>
 * api, stats, security, simulation   (REST, the routers' gRPC stats, auth, the offline simulator)
 *   -> control                       (the tick loop, the decisions, their delivery)
 *   -> operator, telemetry           (the channel to the operator, metrics)
 *   -> config, scaling               (typed config; the pure scaling policy)
 *   -> aggregation                   (in-flight averages over time windows)
 * </pre>
 *
 * A package may use only the packages below its own tier; packages of one tier are independent.
 */
@AnalyzeClasses(
    packages = "io.serval.autoscaler",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String P = "io.serval.autoscaler.";

  @ArchTest
  static final ArchRule oneDirection =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("api")
          .definedBy(P + "api..")
          .layer("stats")
          .definedBy(P + "stats..")
          .layer("security")
          .definedBy(P + "security..")
          .layer("simulation")
          .definedBy(P + "simulation..")
          .layer("control")
          .definedBy(P + "control..")
          .layer("operator")
          .definedBy(P + "operator..")
          .layer("telemetry")
          .definedBy(P + "telemetry..")
          .layer("config")
          .definedBy(P + "config..")
          .layer("scaling")
          .definedBy(P + "scaling..")
          .layer("aggregation")
          .definedBy(P + "aggregation..")
          .whereLayer("api")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("stats")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("security")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("simulation")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("control")
          .mayOnlyBeAccessedByLayers("api", "stats", "security", "simulation")
          .whereLayer("operator")
          .mayOnlyBeAccessedByLayers("api", "stats", "security", "simulation", "control")
          .whereLayer("telemetry")
          .mayOnlyBeAccessedByLayers("api", "stats", "security", "simulation", "control")
          .whereLayer("config")
          .mayOnlyBeAccessedByLayers(
              "api", "stats", "security", "simulation", "control", "operator", "telemetry")
          .whereLayer("scaling")
          .mayOnlyBeAccessedByLayers(
              "api", "stats", "security", "simulation", "control", "operator", "telemetry")
          .whereLayer("aggregation")
          .mayOnlyBeAccessedByLayers(
              "api",
              "stats",
              "security",
              "simulation",
              "control",
              "operator",
              "telemetry",
              "config",
              "scaling")
          .because("an arrow that runs back up ties a lower package to the shell above it");

  /** A new package must be given its place above, or the rule would not see it. */
  @ArchTest
  static final ArchRule everyClassInALayer =
      classes()
          .should()
          .resideInAnyPackage(
              P + "api..",
              P + "stats..",
              P + "security..",
              P + "simulation..",
              P + "control..",
              P + "operator..",
              P + "telemetry..",
              P + "config..",
              P + "scaling..",
              P + "aggregation..")
          .because("every package has a place in LayeringTest's order");
}

package io.serval.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * One direction between the CLI's packages, top to bottom:
 *
 * <pre>
 * io.serval.cli (the commands only)
 *   -> platform              (serval up / down: the local platform's processes and files)
 *   -> rollout, batch        (following a deploy until it is ready or rolled back; following a
 *                            batch job with its progress display)
 *   -> output, logs, spec, env (tables and descriptions, log lines, spec line numbers,
 *                            the environments file of serval env)
 *   -> client                (HTTP and gRPC clients of the operator, router and autoscaler)
 *   -> exit                  (exit codes and the exception that carries one)
 * </pre>
 *
 * A package may use only the packages below its own tier; packages of one tier are independent.
 */
@AnalyzeClasses(packages = "io.serval.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String P = "io.serval.cli";

  @ArchTest
  static final ArchRule oneDirection =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("commands")
          .definedBy(P)
          .layer("platform")
          .definedBy(P + ".platform..")
          .layer("rollout")
          .definedBy(P + ".rollout..")
          .layer("batch")
          .definedBy(P + ".batch..")
          .layer("output")
          .definedBy(P + ".output..")
          .layer("logs")
          .definedBy(P + ".logs..")
          .layer("spec")
          .definedBy(P + ".spec..")
          .layer("env")
          .definedBy(P + ".env..")
          .layer("client")
          .definedBy(P + ".client..")
          .layer("exit")
          .definedBy(P + ".exit..")
          .whereLayer("commands")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("platform")
          .mayOnlyBeAccessedByLayers("commands")
          .whereLayer("rollout")
          .mayOnlyBeAccessedByLayers("commands", "platform")
          .whereLayer("batch")
          .mayOnlyBeAccessedByLayers("commands", "platform")
          .whereLayer("output")
          .mayOnlyBeAccessedByLayers("commands", "platform", "rollout", "batch")
          .whereLayer("logs")
          .mayOnlyBeAccessedByLayers("commands", "platform", "rollout", "batch")
          .whereLayer("spec")
          .mayOnlyBeAccessedByLayers("commands", "platform", "rollout", "batch")
          .whereLayer("env")
          .mayOnlyBeAccessedByLayers("commands", "platform", "rollout", "batch")
          .whereLayer("client")
          .mayOnlyBeAccessedByLayers(
              "commands", "platform", "rollout", "batch", "output", "logs", "spec", "env")
          .whereLayer("exit")
          .mayOnlyBeAccessedByLayers(
              "commands", "platform", "rollout", "batch", "output", "logs", "spec", "env", "client")
          .because("an arrow that runs back up ties a lower package to the commands above it");

  /** A new package must be given its place above, or the rule would not see it. */
  @ArchTest
  static final ArchRule everyClassInALayer =
      classes()
          .should()
          .resideInAnyPackage(
              P,
              P + ".platform..",
              P + ".rollout..",
              P + ".batch..",
              P + ".output..",
              P + ".logs..",
              P + ".spec..",
              P + ".env..",
              P + ".client..",
              P + ".exit..")
          .because("every package has a place in LayeringTest's order");
}

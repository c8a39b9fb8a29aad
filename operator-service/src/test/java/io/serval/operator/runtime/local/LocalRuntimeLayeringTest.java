package io.serval.operator.runtime.local;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;

/**
 * The local runtime in one direction: the shell (this package) → the adapters (process, probe,
 * record, logs) → the pure replica lifecycle. The lifecycle does no I/O of its own: no files,
 * sockets, processes, threads or clock; all of that reaches it through its interfaces.
 */
@AnalyzeClasses(
    packages = "io.serval.operator.runtime.local",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LocalRuntimeLayeringTest {

  @ArchTest
  static final ArchRule shellThenAdaptersThenLifecycle =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Shell")
          .definedBy("io.serval.operator.runtime.local")
          .layer("Adapters")
          .definedBy(
              "io.serval.operator.runtime.local.process..",
              "io.serval.operator.runtime.local.probe..",
              "io.serval.operator.runtime.local.record..",
              "io.serval.operator.runtime.local.logs..")
          .layer("Lifecycle")
          .definedBy("io.serval.operator.runtime.local.lifecycle..")
          .whereLayer("Shell")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Adapters")
          .mayOnlyBeAccessedByLayers("Shell")
          .whereLayer("Lifecycle")
          .mayOnlyBeAccessedByLayers("Shell", "Adapters")
          .because(
              "dependencies run one way, shell -> adapters -> lifecycle: adapters use the"
                  + " lifecycle's types, never the reverse");

  @ArchTest
  static final ArchRule theLifecycleDoesNoIo =
      noClasses()
          .that()
          .resideInAPackage("io.serval.operator.runtime.local.lifecycle..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.nio.file..",
              "java.net..",
              "java.util.concurrent..",
              "com.fasterxml..",
              "jakarta..",
              "io.quarkus..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(
              Process.class, ProcessHandle.class, ProcessBuilder.class, Thread.class, Clock.class)
          .because(
              "the replica lifecycle is pure: time comes in as an Instant, effects go out through"
                  + " ReplicaIo and ReplicaProcess");
}

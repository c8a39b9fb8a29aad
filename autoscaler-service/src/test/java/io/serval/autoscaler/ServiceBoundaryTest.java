package io.serval.autoscaler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Services meet only over the wire (gRPC, HTTP): none imports another service's classes. Shared
 * code lives in the small libraries (proto, v2-codec, security, spec-rules), which hold no service
 * logic.
 */
@AnalyzeClasses(
    packages = "io.serval.autoscaler",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ServiceBoundaryTest {

  @ArchTest
  static final ArchRule noOtherServiceIsImported =
      noClasses()
          .that()
          .resideInAPackage("io.serval.autoscaler..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.serval.operator..",
              "io.serval.router..",
              "io.serval.predictor..",
              "io.serval.cli..",
              "io.serval.bench..")
          .because("services meet only over the wire");
}

package io.serval.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * The operator's one direction of dependency (docs/architecture.md draws it), bottom to top:
 *
 * <pre>
 * config (io.serval.operator) → spec → revision → state → rollout → canary → control
 *   → runtime (the port) → status → runtime.local | runtime.kubernetes
 *   → routes | scaling | security | api → orchestration
 * </pre>
 *
 * Each layer may use only the layers below it; the two runtimes never use each other, and only
 * orchestration (which picks the runtime and wires who is told of a change) knows both.
 */
@AnalyzeClasses(
    packages = "io.serval.operator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  private static final String[] ORDER = {
    "Config", "Spec", "Revision", "State", "Rollout", "Canary", "Control", "RuntimePort", "Status"
  };

  @ArchTest static final ArchRule operatorLayers = layers();

  /**
   * Inside the Kubernetes runtime: the controller and runtime shell on top; syncing, reconciling,
   * endpoints and leadership below them; desired objects and status writing below those; the custom
   * resource model and config at the bottom.
   */
  @ArchTest
  static final ArchRule kubernetesRuntimeLayers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Shell")
          .definedBy("io.serval.operator.runtime.kubernetes")
          .layer("Workers")
          .definedBy(
              "io.serval.operator.runtime.kubernetes.sync..",
              "io.serval.operator.runtime.kubernetes.reconcile..",
              "io.serval.operator.runtime.kubernetes.endpoints..",
              "io.serval.operator.runtime.kubernetes.leader..")
          .layer("Objects")
          .definedBy(
              "io.serval.operator.runtime.kubernetes.desired..",
              "io.serval.operator.runtime.kubernetes.status..")
          .layer("Model")
          .definedBy(
              "io.serval.operator.runtime.kubernetes.crd..",
              "io.serval.operator.runtime.kubernetes.config..")
          .whereLayer("Shell")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Workers")
          .mayOnlyBeAccessedByLayers("Shell")
          .whereLayer("Objects")
          .mayOnlyBeAccessedByLayers("Shell", "Workers")
          .whereLayer("Model")
          .mayOnlyBeAccessedByLayers("Shell", "Workers", "Objects");

  /**
   * Who hears of a change is wired by plain calls in orchestration.ChangePropagation, so that the
   * order can be read; nobody fires CDI events (observing Quarkus' own start and stop is fine).
   */
  @ArchTest
  static final ArchRule noCdiEventsAreFired =
      noClasses()
          .that()
          .resideInAPackage("io.serval.operator..")
          .should()
          .dependOnClassesThat()
          .areAssignableTo(jakarta.enterprise.event.Event.class)
          .because("the order of a deploy must be readable from explicit calls");

  private static ArchRule layers() {
    LayeredArchitecture a =
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Config")
            .definedBy("io.serval.operator")
            .layer("Spec")
            .definedBy("io.serval.operator.spec..")
            .layer("Revision")
            .definedBy("io.serval.operator.revision..")
            .layer("State")
            .definedBy("io.serval.operator.state..")
            .layer("Rollout")
            .definedBy("io.serval.operator.rollout..")
            .layer("Canary")
            .definedBy("io.serval.operator.canary..")
            .layer("Control")
            .definedBy("io.serval.operator.control..")
            .layer("RuntimePort")
            .definedBy("io.serval.operator.runtime")
            .layer("Status")
            .definedBy("io.serval.operator.status..")
            .layer("LocalRuntime")
            .definedBy("io.serval.operator.runtime.local..")
            .layer("KubernetesRuntime")
            .definedBy("io.serval.operator.runtime.kubernetes..")
            .layer("Adapters")
            .definedBy(
                "io.serval.operator.routes..",
                "io.serval.operator.scaling..",
                "io.serval.operator.security..",
                "io.serval.operator.api..",
                "io.serval.operator.metrics..")
            .layer("Orchestration")
            .definedBy("io.serval.operator.orchestration..");
    a = a.whereLayer(ORDER[0]).mayNotAccessAnyLayer();
    for (int i = 1; i < ORDER.length; i++) {
      a = a.whereLayer(ORDER[i]).mayOnlyAccessLayers(below(i));
    }
    String[] core = below(ORDER.length);
    a =
        a.whereLayer("LocalRuntime")
            .mayOnlyAccessLayers(core)
            .whereLayer("KubernetesRuntime")
            .mayOnlyAccessLayers(core)
            .whereLayer("Adapters")
            .mayOnlyAccessLayers(core)
            .whereLayer("Orchestration")
            .mayOnlyAccessLayers(append(core, "LocalRuntime", "KubernetesRuntime", "Adapters"));
    return a;
  }

  private static String[] below(int i) {
    String[] out = new String[i];
    System.arraycopy(ORDER, 0, out, 0, i);
    return out;
  }

  private static String[] append(String[] a, String... more) {
    String[] out = new String[a.length + more.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}

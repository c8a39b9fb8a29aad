package io.serval.it.kube;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.serval.it.platform.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The parts of a cluster that turn Serval's Deployments into served endpoints, played on one
 * machine: the Deployment controller (pods for {@code spec.replicas}, the Deployment's status), the
 * kubelet (a pod's container as a real predictor process, its readiness probe, preStop, SIGTERM and
 * the grace period) and the EndpointSlice controller (slices with ready/serving/terminating
 * conditions for each Service's pods). Not played: scheduling, image pulls, networking (every pod
 * is 127.0.0.1 on ports of its own), cgroups and resource limits, container restarts (a pod whose
 * process dies is deleted and replaced), rolling updates of a changed pod template.
 *
 * <p>One loop thread owns all state; process starts, probes and stops run beside it and report back
 * to it.
 */
public final class TestKubelet implements AutoCloseable {

  /** The image name the operator is told to run; this kubelet runs the predictor jar for it. */
  public static final String PREDICTOR_IMAGE = "serval.test/predictor:kubelet";

  /** How long a pod may take to answer its readiness probe before it is replaced. */
  private static final Duration READY_BOUND = Duration.ofSeconds(120);

  /** The longest grace period honoured here, whatever the template says. */
  private static final Duration MAX_GRACE = Duration.ofSeconds(10);

  /**
   * What the predictor image holds, as host paths: its jar, its files by container path, and its
   * working directory (a container path among the files).
   */
  public record Image(Path jar, Map<String, Path> files, String workingDir) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Image image;
  private final Path dir;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("test-kubelet").unstarted(r));
  private final ExecutorService work = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicBoolean passQueued = new AtomicBoolean();
  private final Map<String, KubeletPod> pods = new ConcurrentHashMap<>();
  private final Map<String, EndpointSlice> writtenSlices = new HashMap<>();
  private final Map<String, DeploymentStatus> writtenStatus = new HashMap<>();
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<Service> services;
  private volatile boolean closed;

  private TestKubelet(KubernetesClient client, String namespace, Image image, Path dir) {
    this.client = client;
    this.namespace = namespace;
    this.image = image;
    this.dir = dir;
    ResourceEventHandler<HasMetadata> poke = handler();
    this.deployments =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "serval-operator")
            .inform(cast(poke), 30_000);
    this.services =
        client
            .services()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/managed-by", "serval-operator")
            .inform(cast(poke), 30_000);
    loop.scheduleWithFixedDelay(this::poke, 500, 500, TimeUnit.MILLISECONDS);
  }

  /**
   * @param dir where pods keep their logs and volumes
   */
  public static TestKubelet start(
      KubernetesClient client, String namespace, Image image, Path dir) {
    return new TestKubelet(client, namespace, image, dir);
  }

  /** One pod as the test sees it. */
  public record PodState(
      String name, String revision, PodView.Phase phase, long pid, int httpPort) {}

  /** The pods of an API (every revision), oldest first. */
  public List<PodState> pods(String api) {
    return pods.values().stream()
        .filter(p -> api.equals(p.labels.get("serving.serval.io/api")))
        .sorted(Comparator.comparing(p -> p.createdNanos))
        .map(
            p ->
                new PodState(
                    p.name,
                    p.labels.get("serving.serval.io/revision"),
                    p.phase,
                    p.process == null ? -1 : p.process.pid(),
                    p.ports.getOrDefault("http", -1)))
        .toList();
  }

  /** Live pod processes, whatever their state. */
  public List<ProcessHandle> processes() {
    return pods.values().stream()
        .map(p -> p.process)
        .filter(Objects::nonNull)
        .map(p -> ProcessHandle.of(p.pid()))
        .flatMap(java.util.Optional::stream)
        .toList();
  }

  /** Runs a pass soon; pokes while one is queued coalesce into it. */
  private void poke() {
    if (!closed && passQueued.compareAndSet(false, true)) {
      try {
        loop.execute(this::passSafely);
      } catch (RejectedExecutionException e) {
        passQueued.set(false);
      }
    }
  }

  private void passSafely() {
    passQueued.set(false);
    if (closed) {
      return;
    }
    try {
      pass();
    } catch (RuntimeException e) {
      System.out.println("[test-kubelet] pass failed, retrying: " + e);
    }
  }

  private void pass() {
    Map<String, Deployment> byName = new HashMap<>();
    for (Deployment d : deployments.getStore().list()) {
      byName.put(d.getMetadata().getName(), d);
    }
    // Pods whose Deployment is gone, and pods whose process died, go.
    for (KubeletPod p : List.copyOf(pods.values())) {
      if (p.phase == PodView.Phase.TERMINATING) {
        continue;
      }
      if (!byName.containsKey(p.deployment)) {
        terminate(p, "Deployment deleted");
      } else if (p.process != null && !p.process.alive()) {
        System.out.printf("[test-kubelet] %s: process exited, replacing the pod%n", p.name);
        p.phase = PodView.Phase.TERMINATING;
        removePod(p);
      }
    }
    // The Deployment controller: as many live pods as spec.replicas.
    for (Deployment d : byName.values()) {
      int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      List<KubeletPod> live =
          pods.values().stream()
              .filter(p -> p.deployment.equals(d.getMetadata().getName()))
              .filter(p -> p.phase != PodView.Phase.TERMINATING)
              // Scale-down takes not-ready pods first, then the youngest (as the ReplicaSet
              // controller ranks them).
              .sorted(
                  Comparator.comparing((KubeletPod p) -> p.phase == PodView.Phase.READY)
                      .thenComparing(p -> -p.createdNanos))
              .toList();
      for (int i = live.size(); i < desired; i++) {
        create(d);
      }
      for (int i = 0; i < live.size() - desired; i++) {
        terminate(live.get(i), "scaled to " + desired);
      }
    }
    syncSlices();
    for (Deployment d : byName.values()) {
      writeStatus(d);
    }
  }

  private void create(Deployment d) {
    Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
    if (!PREDICTOR_IMAGE.equals(c.getImage())) {
      throw new IllegalStateException(
          d.getMetadata().getName() + ": the test kubelet runs only " + PREDICTOR_IMAGE);
    }
    String name = d.getMetadata().getName() + "-" + UUID.randomUUID().toString().substring(0, 5);
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ContainerPort p : c.getPorts()) {
      ports.put(p.getName(), FreePorts.next());
    }
    Map<String, String> labels =
        new LinkedHashMap<>(d.getSpec().getTemplate().getMetadata().getLabels());
    KubeletPod pod = new KubeletPod(name, d.getMetadata().getName(), labels, ports, c);
    Long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
    pod.grace = grace == null ? MAX_GRACE : min(Duration.ofSeconds(grace), MAX_GRACE);
    pod.preStop = preStop(c);
    pods.put(name, pod);
    writePod(pod, false);
    Map<String, Path> mounts = new LinkedHashMap<>(image.files());
    Path podDir = dir.resolve(name);
    if (c.getVolumeMounts() != null) {
      for (VolumeMount m : c.getVolumeMounts()) {
        mounts.put(m.getMountPath(), podDir.resolve("volumes").resolve(m.getName()));
        podDir.resolve("volumes").resolve(m.getName()).toFile().mkdirs();
      }
    }
    Path workingDir = mounts.getOrDefault(image.workingDir(), podDir);
    work.execute(
        () -> {
          PodProcess process;
          try {
            process =
                PodProcess.start(
                    name, c, image.jar(), ports, mounts, workingDir, dir.resolve(name + ".log"));
          } catch (RuntimeException e) {
            System.out.printf("[test-kubelet] %s: cannot start: %s%n", name, e);
            pod.startFailed = true;
            loop.execute(() -> removePod(pod));
            return;
          }
          pod.process = process;
          boolean ready;
          try {
            await(name + " ready")
                .atMost(READY_BOUND)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> closed || !process.alive() || process.probeReady());
            ready = !closed && process.alive() && pod.phase == PodView.Phase.STARTING;
          } catch (ConditionTimeoutException e) {
            System.out.printf("[test-kubelet] %s: not ready within %s%n", name, READY_BOUND);
            ready = false;
          }
          if (ready) {
            loop.execute(
                () -> {
                  if (pod.phase == PodView.Phase.STARTING) {
                    pod.phase = PodView.Phase.READY;
                    writePod(pod, true);
                    poke();
                  }
                });
          } else {
            loop.execute(() -> terminate(pod, "not ready"));
          }
        });
  }

  /**
   * The pod's deletion: its endpoint turns terminating at once (routers stop sending to it), the
   * preStop hook's time passes, then SIGTERM, SIGKILL after the grace period, and the pod goes.
   */
  private void terminate(KubeletPod pod, String why) {
    if (pod.phase == PodView.Phase.TERMINATING) {
      return;
    }
    System.out.printf("[test-kubelet] %s: terminating (%s)%n", pod.name, why);
    pod.phase = PodView.Phase.TERMINATING;
    poke();
    Runnable stop =
        () ->
            work.execute(
                () -> {
                  awaitStarted(pod);
                  if (pod.process != null) {
                    pod.process.terminate(pod.grace);
                  }
                  loop.execute(() -> removePod(pod));
                });
    loop.schedule(stop, pod.preStop.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void awaitStarted(KubeletPod pod) {
    // A pod deleted while its process is being started: wait for the start to end.
    await().atMost(Duration.ofSeconds(30)).until(() -> pod.process != null || pod.startFailed());
  }

  private void removePod(KubeletPod pod) {
    pods.remove(pod.name);
    try {
      client.pods().inNamespace(namespace).withName(pod.name).delete();
    } catch (KubernetesClientException e) {
      System.out.printf("[test-kubelet] %s: cannot delete the pod: %s%n", pod.name, e);
    }
    poke();
  }

  private void writePod(KubeletPod pod, boolean ready) {
    Pod p =
        new PodBuilder()
            .withNewMetadata()
            .withName(pod.name)
            .withNamespace(namespace)
            .withLabels(pod.labels)
            .endMetadata()
            .withNewSpec()
            .withContainers(pod.container)
            .endSpec()
            .withNewStatus()
            .withPhase("Running")
            .withPodIP("127.0.0.1")
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus()
            .build();
    try {
      client.pods().inNamespace(namespace).resource(p).createOr(x -> x.update());
    } catch (KubernetesClientException e) {
      System.out.printf("[test-kubelet] %s: cannot write the pod: %s%n", pod.name, e);
    }
  }

  private void syncSlices() {
    List<PodView> views =
        pods.values().stream().map(p -> new PodView(p.name, p.labels, p.ports, p.phase)).toList();
    Map<String, EndpointSlice> desired = PodSlices.of(services.getStore().list(), views);
    for (var e : desired.entrySet()) {
      EndpointSlice before = writtenSlices.get(e.getKey());
      if (before == null || !sameContent(before, e.getValue())) {
        EndpointSlice s = e.getValue();
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace(namespace)
            .resource(s)
            .createOr(x -> x.update());
        writtenSlices.put(e.getKey(), s);
      }
    }
    for (String name : new ArrayList<>(writtenSlices.keySet())) {
      if (!desired.containsKey(name)) {
        client.discovery().v1().endpointSlices().inNamespace(namespace).withName(name).delete();
        writtenSlices.remove(name);
      }
    }
  }

  private static boolean sameContent(EndpointSlice a, EndpointSlice b) {
    return a.getEndpoints().equals(b.getEndpoints())
        && a.getPorts().equals(b.getPorts())
        && a.getMetadata().getLabels().equals(b.getMetadata().getLabels());
  }

  /** The Deployment controller's status: what the pods of this Deployment are. */
  private void writeStatus(Deployment d) {
    String name = d.getMetadata().getName();
    List<KubeletPod> mine =
        pods.values().stream()
            .filter(p -> p.deployment.equals(name) && p.phase != PodView.Phase.TERMINATING)
            .toList();
    int ready = (int) mine.stream().filter(p -> p.phase == PodView.Phase.READY).count();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(mine.size())
            .withUpdatedReplicas(mine.size())
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUnavailableReplicas(mine.size() - ready)
            .build();
    if (status.equals(writtenStatus.get(name)) && status.equals(d.getStatus())) {
      return;
    }
    try {
      client
          .apps()
          .deployments()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(
              x -> {
                x.setStatus(status);
                return x;
              });
      writtenStatus.put(name, status);
    } catch (KubernetesClientException e) {
      // Deleted meanwhile, or a conflict: the next pass writes it again.
    }
  }

  private static Duration preStop(Container c) {
    // The operator's preStop is "sleep N": the time routers get to drop the endpoint.
    if (c.getLifecycle() == null
        || c.getLifecycle().getPreStop() == null
        || c.getLifecycle().getPreStop().getExec() == null) {
      return Duration.ZERO;
    }
    List<String> cmd = c.getLifecycle().getPreStop().getExec().getCommand();
    if (cmd.size() == 2 && cmd.getFirst().equals("sleep")) {
      return Duration.ofSeconds(Long.parseLong(cmd.get(1)));
    }
    throw new IllegalStateException("the test kubelet cannot run the preStop hook " + cmd);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Stops every pod (SIGTERM, then SIGKILL after the grace period) and the watches. */
  @Override
  public void close() {
    closed = true;
    deployments.close();
    services.close();
    loop.shutdownNow();
    List<Thread> stops = new ArrayList<>();
    for (KubeletPod p : pods.values()) {
      stops.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    if (p.process != null) {
                      p.process.terminate(MAX_GRACE);
                    }
                  }));
    }
    for (Thread t : stops) {
      try {
        t.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    work.shutdownNow();
  }

  private ResourceEventHandler<HasMetadata> handler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(HasMetadata obj) {
        poke();
      }

      @Override
      public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
        poke();
      }

      @Override
      public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
        poke();
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> ResourceEventHandler<T> cast(
      ResourceEventHandler<HasMetadata> h) {
    return (ResourceEventHandler<T>) (ResourceEventHandler<?>) h;
  }

  /** A pod's state, written only on the loop thread (phase and process read elsewhere). */
  private static final class KubeletPod {
    final String name;
    final String deployment;
    final Map<String, String> labels;
    final Map<String, Integer> ports;
    final Container container;
    final long createdNanos = System.nanoTime();
    volatile PodView.Phase phase = PodView.Phase.STARTING;
    volatile PodProcess process;
    volatile boolean startFailed;
    Duration grace;
    Duration preStop;

    KubeletPod(
        String name,
        String deployment,
        Map<String, String> labels,
        Map<String, Integer> ports,
        Container container) {
      this.name = name;
      this.deployment = deployment;
      this.labels = labels;
      this.ports = ports;
      this.container = container;
    }

    boolean startFailed() {
      return startFailed;
    }
  }
}

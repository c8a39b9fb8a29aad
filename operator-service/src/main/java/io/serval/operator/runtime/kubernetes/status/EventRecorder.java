package io.serval.operator.runtime.kubernetes.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.serval.security.UriRedaction;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records core/v1 Events on Serval's custom resources (kubectl describe shows them). An Event that
 * cannot be written is logged and dropped: events inform, they never block reconciling.
 */
public final class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  static final String COMPONENT = "serval-operator";

  private final KubernetesClient client;
  private final String namespace;
  private final String instance;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  public EventRecorder(KubernetesClient client, String namespace, String instance, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.instance = instance;
    this.clock = clock;
  }

  public void record(HasMetadata about, EventNote note) {
    String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant());
    String name =
        about.getMetadata().getName()
            + "."
            + Long.toHexString(clock.millis())
            + Long.toHexString(sequence.incrementAndGet());
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(namespace)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(namespace)
                          .withUid(about.getMetadata().getUid())
                          .withResourceVersion(about.getMetadata().getResourceVersion())
                          .build())
                  .withType(note.type())
                  .withReason(note.reason())
                  .withMessage(UriRedaction.redactIn(note.message()))
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .withReportingComponent(COMPONENT)
                  .withReportingInstance(instance)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "%s: cannot record event %s (%s): %s",
          about.getMetadata().getName(),
          note.reason(),
          UriRedaction.redactIn(note.message()),
          e.getMessage());
    }
  }
}

package io.serval.operator.runtime.local.record;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.serval.operator.runtime.local.lifecycle.Replica;
import io.serval.operator.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The replicas' records, {dir}/{api}/{replica}.json, each written atomically whenever its replica
 * starts or settles, so that an operator started later can take over the processes still running.
 */
public final class RecordStore {

  private static final Logger LOG = Logger.getLogger(RecordStore.class);

  private final Path dir;
  private final ObjectMapper json =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /**
   * @param dir where the records are kept ({state-dir}/replicas)
   */
  public RecordStore(Path dir) {
    this.dir = dir;
  }

  /** A recorded replica whose process still runs: the same pid and the same start instant. */
  public record Live(ReplicaRecord record, ProcessHandle process) {}

  /** Writes the record of a launched (or adopted) replica. */
  public void save(Replica r) {
    ReplicaRecord rec =
        new ReplicaRecord(
            r.id(),
            r.api(),
            r.revision(),
            r.process().pid(),
            r.process().startedAt(),
            r.ports().http(),
            r.ports().grpc(),
            r.restarts());
    try {
      AtomicFiles.write(file(r.api(), r.id()), json.writeValueAsBytes(rec));
    } catch (IOException e) {
      LOG.errorf("cannot write replica record of %s: %s", r.id(), e.getMessage());
    }
  }

  public void delete(Replica r) {
    try {
      AtomicFiles.delete(file(r.api(), r.id()));
    } catch (IOException e) {
      LOG.errorf("cannot delete replica record of %s: %s", r.id(), e.getMessage());
    }
  }

  /**
   * The recorded replicas whose processes still run; the records of the others (gone, or a pid
   * recycled by another process) are deleted.
   */
  public List<Live> adoptable() {
    List<Live> live = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return live;
    }
    try (var walk = Files.walk(dir, 2)) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json")).toList()) {
        ReplicaRecord rec;
        try {
          rec = json.readValue(p.toFile(), ReplicaRecord.class);
        } catch (IOException e) {
          LOG.warnf("ignoring unreadable replica record %s: %s", p, e.getMessage());
          continue;
        }
        Optional<ProcessHandle> h = ProcessHandle.of(rec.pid());
        boolean same =
            h.isPresent()
                && h.get().isAlive()
                && h.get()
                    .info()
                    .startInstant()
                    .map(s -> s.equals(rec.processStart()))
                    .orElse(false);
        if (!same) {
          AtomicFiles.delete(p);
          continue;
        }
        live.add(new Live(rec, h.get()));
      }
    } catch (IOException e) {
      LOG.errorf("cannot read replica records in %s: %s", dir, e.getMessage());
    }
    return live;
  }

  private Path file(String api, String replicaId) {
    return dir.resolve(api).resolve(replicaId + ".json");
  }
}

package io.serval.operator.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's durable state under one directory: apis/{name}.json, splitters/{name}.json and
 * routes-version. Every write is atomic ({@link AtomicFiles}), so a restart finds either the old or
 * the new record, never a torn one.
 */
public final class StateStore {

  private final Path dir;
  private final Path apis;
  private final Path splitters;
  private final ObjectMapper json =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  public StateStore(Path dir) {
    this.dir = dir.toAbsolutePath();
    this.apis = this.dir.resolve("apis");
    this.splitters = this.dir.resolve("splitters");
    try {
      Files.createDirectories(apis);
      Files.createDirectories(splitters);
      AtomicFiles.removeLeftovers(apis);
      AtomicFiles.removeLeftovers(splitters);
      AtomicFiles.removeLeftovers(this.dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot use state directory " + this.dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Map<String, ApiRecord> loadApis() {
    return load(apis, ApiRecord.class);
  }

  public Map<String, SplitterRecord> loadSplitters() {
    return load(splitters, SplitterRecord.class);
  }

  public void save(ApiRecord record) {
    write(apis.resolve(record.name() + ".json"), record);
  }

  public void save(SplitterRecord record) {
    write(splitters.resolve(record.name() + ".json"), record);
  }

  public void deleteApi(String name) {
    delete(apis.resolve(name + ".json"));
  }

  public void deleteSplitter(String name) {
    delete(splitters.resolve(name + ".json"));
  }

  public long loadRoutesVersion() {
    Path p = dir.resolve("routes-version");
    try {
      return Files.exists(p) ? Long.parseLong(Files.readString(p).trim()) : 0L;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  public void saveRoutesVersion(long version) {
    try {
      AtomicFiles.write(
          dir.resolve("routes-version"), Long.toString(version).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write routes version in " + dir, e);
    }
  }

  private <T> Map<String, T> load(Path folder, Class<T> type) {
    Map<String, T> out = new LinkedHashMap<>();
    try (var files = Files.list(folder)) {
      for (Path p :
          files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
        String name = p.getFileName().toString().replaceFirst("\\.json$", "");
        try {
          out.put(name, json.readValue(p.toFile(), type));
        } catch (IOException e) {
          // Atomic writes never leave a torn file: this one was edited by hand. Refuse to guess.
          throw new IllegalStateException("cannot read state file " + p + ": " + e.getMessage(), e);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
    return out;
  }

  private void write(Path target, Object value) {
    try {
      AtomicFiles.write(target, json.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private void delete(Path target) {
    try {
      AtomicFiles.delete(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + target, e);
    }
  }
}

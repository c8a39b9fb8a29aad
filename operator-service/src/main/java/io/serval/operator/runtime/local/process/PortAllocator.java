package io.serval.operator.runtime.local.process;

import io.serval.operator.runtime.local.lifecycle.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free ports for replicas: asks the OS for an ephemeral port and skips ports our own replicas hold.
 * The port is free when chosen; a replica that loses a race for it dies and is restarted on new
 * ports.
 */
public final class PortAllocator {

  private static final int ATTEMPTS = 20;

  private PortAllocator() {}

  /** An HTTP and a gRPC port, free on {@code host}, neither of them in {@code taken}. */
  public static Ports pair(String host, Set<Integer> taken) {
    Set<Integer> all = new HashSet<>(taken);
    int http = free(host, all);
    all.add(http);
    return new Ports(http, free(host, all));
  }

  static int free(String host, Set<Integer> taken) {
    for (int i = 0; i < ATTEMPTS; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
        s.setReuseAddress(true);
        int port = s.getLocalPort();
        if (!taken.contains(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on " + host, e);
      }
    }
    throw new IllegalStateException("no free port on " + host + " after " + ATTEMPTS + " tries");
  }
}

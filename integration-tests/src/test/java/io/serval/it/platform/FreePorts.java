package io.serval.it.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the services under test, never the platform's defaults (8070-8091), so
 * the suite does not clash with a developer's running platform. A port handed out once is not
 * handed out again by this JVM.
 */
public final class FreePorts {

  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  public static synchronized int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free loopback port", e);
      }
      boolean platformDefault = port >= 8000 && port <= 8100;
      if (!platformDefault && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free loopback port after 100 attempts");
  }

  /** Whether something listens on the loopback port (used to check the suite left none taken). */
  public static boolean inUse(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}

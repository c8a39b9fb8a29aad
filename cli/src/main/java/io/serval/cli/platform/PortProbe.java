package io.serval.cli.platform;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Collection;
import java.util.List;

/** Whether a TCP port can be listened on (on every interface, as a clash anywhere would block). */
public final class PortProbe {

  private PortProbe() {}

  public static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      // like the services' servers: a socket of a closed connection (TIME_WAIT) is no clash
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static List<Integer> busy(Collection<Integer> ports) {
    return ports.stream().filter(p -> !free(p)).toList();
  }
}

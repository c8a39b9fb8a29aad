package io.serval.router.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback TCP relay in front of a fake predictor that can die like a SIGKILLed process: {@link
 * #kill()} resets every connection (no GOAWAY, no RST_STREAM, no status) and refuses new ones. A
 * gRPC server's own shutdownNow answers its open streams with CANCELLED instead.
 */
public final class KillableRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "killable-relay");
            t.setDaemon(true);
            return t;
          });
  private volatile boolean killed;

  public KillableRelay(String targetAddress) {
    String[] hostPort = targetAddress.split(":");
    this.target = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.execute(this::accept);
  }

  public String address() {
    return "127.0.0.1:" + listener.getLocalPort();
  }

  private void accept() {
    while (!killed) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        if (killed) {
          reset(client);
          reset(upstream);
          return;
        }
        threads.execute(() -> pump(client, upstream));
        threads.execute(() -> pump(upstream, client));
      } catch (IOException closedOrRefused) {
        // kill() closed the listener, or the predictor is gone: nothing more to relay.
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[16 * 1024];
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException gone) {
      // One side was reset or closed: the other pump ends too.
    }
  }

  /** Resets every relayed connection and refuses new ones, as a crashed process would. */
  public void kill() {
    killed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(KillableRelay::reset);
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0);
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    kill();
    threads.shutdownNow();
  }
}

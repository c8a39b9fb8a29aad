package io.serval.router.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** The current route table, swapped atomically; listeners learn of each new table. */
public final class RouteTableHolder {
  private final AtomicReference<RouteTable> current = new AtomicReference<>(RouteTable.EMPTY);
  private final List<Consumer<RouteTable>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean loaded;

  public RouteTable current() {
    return current.get();
  }

  /** True once a snapshot arrived (from the operator or the routes file). */
  public boolean loaded() {
    return loaded;
  }

  public void onSwap(Consumer<RouteTable> listener) {
    listeners.add(listener);
  }

  public void swap(RouteTable table) {
    current.set(table);
    loaded = true;
    for (Consumer<RouteTable> l : listeners) {
      l.accept(table);
    }
  }
}

package io.serval.router.rest;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the router holds at once, across every connection: each chunk is reserved
 * as it arrives and the whole reservation is released when its request is over (answered, refused,
 * failed or abandoned). Past the budget a request is refused (503) rather than buffered, so memory
 * stays bounded however many clients send large bodies at once.
 */
public final class BodyBudget {
  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  /**
   * @param capacity bytes; at least 1
   */
  public BodyBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a body budget needs at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** Reserves {@code bytes} when they fit; false (and nothing reserved) when they do not. */
  public boolean tryReserve(long bytes) {
    long now;
    do {
      now = used.get();
      if (bytes > capacity - now) {
        return false;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return true;
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  /** Whether {@code bytes} would fit now (no reservation). */
  public boolean fits(long bytes) {
    return bytes <= capacity - used.get();
  }

  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }
}

package io.serval.store;

/** Where an async request is in its life; the names are the ones `GET` on its location reports. */
public enum AsyncState {
  /** Accepted and durable, not yet taken by a dispatcher. */
  PENDING,
  /** Taken by a dispatcher under a lease; taken again by another when the lease runs out. */
  RUNNING,
  /** Answered; the V2 response is kept until the result expires. */
  SUCCEEDED,
  /** Given up on, with a reason. */
  FAILED,
  /** Cancelled while pending. */
  CANCELLED;

  /** Whether nothing more happens to a request in this state but its expiry. */
  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}

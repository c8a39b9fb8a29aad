package io.serval.router.batch;

import io.serval.store.ClaimedChunk;
import io.serval.store.ItemOutcome;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * A chunk this router holds: which of its items have been read from the input, and the outcomes so
 * far, held until every item has one and they are committed together. Pure.
 */
final class ChunkWork {
  private final ClaimedChunk claim;
  private final List<ItemOutcome> outcomes = new ArrayList<>();
  private final BitSet recorded = new BitSet();
  private int read;

  ChunkWork(ClaimedChunk claim) {
    this.claim = claim;
  }

  ClaimedChunk claim() {
    return claim;
  }

  /** Whether items remain to be read. */
  boolean unread() {
    return read < claim.plan().items();
  }

  /** The index of the next item to read; counts it as read. */
  long nextIndex() {
    if (!unread()) {
      throw new IllegalStateException("chunk " + claim.plan().chunk() + " is read through");
    }
    return claim.plan().firstItem() + read++;
  }

  /** Records an item's outcome; false if the item is not this chunk's or already has one. */
  boolean record(ItemOutcome o) {
    long first = claim.plan().firstItem();
    if (o.index() < first || o.index() >= first + claim.plan().items()) {
      return false;
    }
    int at = (int) (o.index() - first);
    if (recorded.get(at)) {
      return false;
    }
    recorded.set(at);
    outcomes.add(o);
    return true;
  }

  /** Whether every item has an outcome. */
  boolean complete() {
    return outcomes.size() == claim.plan().items();
  }

  List<ItemOutcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** The outcomes so far in index order: the order of the chunk's results lines. */
  List<ItemOutcome> outcomesInOrder() {
    List<ItemOutcome> sorted = new ArrayList<>(outcomes);
    sorted.sort(Comparator.comparingLong(ItemOutcome::index));
    return sorted;
  }

  /** Failed items so far. */
  List<ItemOutcome> failures() {
    return outcomes.stream().filter(o -> !o.succeeded()).toList();
  }
}

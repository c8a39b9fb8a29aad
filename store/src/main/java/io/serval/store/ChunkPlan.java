package io.serval.store;

/**
 * One chunk of a job's input, as planned when the input is read through.
 *
 * @param chunk its number, from 0
 * @param firstItem the index (0-based input line) of its first item
 * @param items how many items it holds
 * @param offset the byte offset of its first line in the input, so that a holder starts reading
 *     there instead of from the top
 */
public record ChunkPlan(int chunk, long firstItem, int items, long offset) {
  public ChunkPlan {
    if (chunk < 0 || firstItem < 0 || items < 1 || offset < 0) {
      throw new IllegalArgumentException(
          "bad chunk " + chunk + " (" + firstItem + ", " + items + ", " + offset + ")");
    }
  }
}

package io.serval.router.wiring;

import io.serval.router.config.RouterConfig;
import io.serval.router.dispatch.InferenceDispatcher;
import java.time.Duration;

/**
 * Checks and applies the settings that share an API's slots between realtime and background work
 * (serval.router.async.max-background-wait, realtime-window, realtime-headroom): a value out of its
 * range stops the router at start, naming the property.
 */
final class FairnessSettings {
  static final Duration MIN_WINDOW = Duration.ofSeconds(1);
  static final Duration MAX_WINDOW = Duration.ofHours(1);
  static final int MAX_HEADROOM = 1000;

  private FairnessSettings() {}

  static void apply(RouterConfig.Async async, InferenceDispatcher dispatcher) {
    check(async.maxBackgroundWait(), async.realtimeWindow(), async.realtimeHeadroom());
    dispatcher.setBackgroundMaxWait(async.maxBackgroundWait());
    dispatcher.setRealtimeReserve(async.realtimeWindow(), async.realtimeHeadroom());
  }

  /**
   * @throws IllegalArgumentException naming the first property out of its range
   */
  static void check(Duration maxBackgroundWait, Duration realtimeWindow, int realtimeHeadroom) {
    if (maxBackgroundWait.isNegative()) {
      throw new IllegalArgumentException(
          "serval.router.async.max-background-wait must not be negative, got " + maxBackgroundWait);
    }
    if (realtimeWindow.compareTo(MIN_WINDOW) < 0 || realtimeWindow.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "serval.router.async.realtime-window must be between 1s and 1h, got " + realtimeWindow);
    }
    if (realtimeHeadroom < 0 || realtimeHeadroom > MAX_HEADROOM) {
      throw new IllegalArgumentException(
          "serval.router.async.realtime-headroom must be between 0 and "
              + MAX_HEADROOM
              + ", got "
              + realtimeHeadroom);
    }
  }
}

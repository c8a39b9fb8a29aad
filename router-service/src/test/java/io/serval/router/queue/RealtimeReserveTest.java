package io.serval.router.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RealtimeReserveTest {
  private static final Duration WINDOW = Duration.ofSeconds(30);
  private static final Duration BOUND = Duration.ofSeconds(2);

  private final FakeTicker ticker = new FakeTicker();
  private final RealtimeReserve reserve = new RealtimeReserve(WINDOW, 1, BOUND);

  private void demand(int n) {
    reserve.demand(ticker.nanos(), n);
  }

  private int room(int usableSlots, int free, int backgroundHeld) {
    return reserve.backgroundRoom(ticker.nanos(), usableSlots, free, backgroundHeld);
  }

  @Test
  void anApiWithoutRealtimeTrafficGivesBackgroundWorkEverySlot() {
    assertThat(reserve.reserved(ticker.nanos())).isZero();
    assertThat(room(8, 8, 0)).isEqualTo(8);
    assertThat(room(8, 5, 3)).isEqualTo(5);
  }

  @Test
  void theReserveFollowsThePeakOfTheWindowPlusTheHeadroom() {
    demand(1);
    assertThat(reserve.reserved(ticker.nanos())).isEqualTo(2);
    demand(3);
    ticker.advance(Duration.ofSeconds(5));
    demand(1);
    assertThat(reserve.peak(ticker.nanos())).isEqualTo(3);
    assertThat(reserve.reserved(ticker.nanos())).isEqualTo(4);
    demand(0);
    assertThat(reserve.reserved(ticker.nanos()))
        .as("no realtime request now, but the window saw three")
        .isEqualTo(4);
  }

  @Test
  void backgroundWorkGetsTheUsableSlotsAboveTheReserveLessWhatItHolds() {
    demand(2);
    demand(1);
    // 8 slots, 3 reserved (peak 2 + 1); realtime holds one, so 7 are free.
    assertThat(room(8, 7, 0)).isEqualTo(5);
    assertThat(room(8, 4, 3)).isEqualTo(2);
    assertThat(room(8, 1, 3)).as("never more than is free").isEqualTo(1);
    assertThat(room(8, 2, 5)).isZero();
  }

  @Test
  void aPeakIsForgottenOnceTheWindowHasPassed() {
    demand(4);
    demand(1);
    // The window slides by a tenth of itself: a peak is forgotten 27 to 30 s after it ended.
    ticker.advance(Duration.ofSeconds(26));
    assertThat(reserve.peak(ticker.nanos())).isEqualTo(4);
    ticker.advance(Duration.ofSeconds(4));
    assertThat(reserve.peak(ticker.nanos())).as("30 s after the burst").isEqualTo(1);
    demand(0);
    ticker.advance(Duration.ofSeconds(26));
    assertThat(reserve.reserved(ticker.nanos())).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(4));
    assertThat(reserve.reserved(ticker.nanos()))
        .as("no realtime request within the window: nothing kept")
        .isZero();
    assertThat(room(4, 4, 0)).isEqualTo(4);
  }

  @Test
  void aDemandThatLastsLongerThanTheWindowIsStillReserved() {
    demand(2);
    ticker.advance(Duration.ofMinutes(10));
    assertThat(reserve.peak(ticker.nanos())).isEqualTo(2);
    assertThat(reserve.reserved(ticker.nanos())).isEqualTo(3);
  }

  @Test
  void underARealtimeLoadThatReservesEverySlotBackgroundWorkTakesOneSlotPerBound() {
    demand(1);
    assertThat(room(2, 1, 0)).as("nothing of it was let in yet: the floor at once").isEqualTo(1);
    reserve.backgroundAdmitted(ticker.nanos());
    assertThat(room(2, 0, 1)).as("one in flight").isZero();
    ticker.advance(Duration.ofMillis(5));
    assertThat(room(2, 1, 0)).as("finished, but within the bound").isZero();
    ticker.advance(BOUND.minusMillis(6));
    assertThat(room(2, 1, 0)).isZero();
    ticker.advance(Duration.ofMillis(1));
    assertThat(room(2, 1, 0)).as("the bound has passed").isEqualTo(1);
    assertThat(room(2, 0, 0))
        .as("even with no free slot: it waits in the queue's background lane")
        .isEqualTo(1);
    assertThat(room(2, 1, 1)).as("not while some of it is in flight or waiting").isZero();
    assertThat(room(0, 0, 0)).as("not without a replica").isZero();
  }

  @Test
  void aNewWindowStartsFromTheDemandAsItIs() {
    demand(5);
    demand(2);
    reserve.configure(Duration.ofSeconds(10), 0, BOUND);
    assertThat(reserve.peak(ticker.nanos())).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(11));
    demand(0);
    assertThat(reserve.peak(ticker.nanos())).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(10));
    assertThat(reserve.peak(ticker.nanos())).isZero();
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> new RealtimeReserve(Duration.ZERO, 1, BOUND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window");
    assertThatThrownBy(() -> new RealtimeReserve(WINDOW, -1, BOUND))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headroom");
    assertThatThrownBy(() -> new RealtimeReserve(WINDOW, 1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wait");
  }
}

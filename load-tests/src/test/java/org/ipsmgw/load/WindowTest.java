package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowTest {
  @Test
  void theUserGoesOnWhileThereIsRoomAndWaitsForAnAnswerWhenFull() {
    Window w = new Window(2);
    List<String> ran = new ArrayList<>();
    w.opened(() -> ran.add("a"));
    assertEquals(List.of("a"), ran, "one in flight of two: on at once");
    w.opened(() -> ran.add("b"));
    assertEquals(List.of("a"), ran, "two in flight: parked");
    w.closed();
    assertEquals(List.of("a", "b"), ran, "an answer frees a slot");
    assertEquals(1, w.inFlight());
  }

  @Test
  void whenIdleWaitsForTheLastAnswer() {
    Window w = new Window(4);
    List<String> ran = new ArrayList<>();
    w.opened(() -> { });
    w.opened(() -> { });
    w.whenIdle(() -> ran.add("idle"));
    w.closed();
    assertEquals(List.of(), ran);
    w.closed();
    assertEquals(List.of("idle"), ran);
    w.whenIdle(() -> ran.add("again"));
    assertEquals(List.of("idle", "again"), ran, "already idle: at once");
  }
}

package org.ipsmgw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The shared command table matches as Pekko's per-entity builder does: first case in the order
 * added, any-state cases before the state types added after them, a state type's catch-all
 * last; and every call reaches the entity it is given.
 */
class CommandTableTest {
  sealed interface State permits Idle, Working {}

  sealed interface Working extends State permits Busy {}

  record Idle() implements State {}

  record Busy() implements Working {}

  sealed interface Command permits Ping, Work, Other {}

  record Ping() implements Command {}

  record Work() implements Command {}

  record Other() implements Command {}

  /** What each entity was asked to do, by which case. */
  static final class Entity {
    final List<String> calls = new ArrayList<>();

    <T> T record(String what) {
      calls.add(what);
      return null;
    }
  }

  private static final CommandTable<Entity, Command, Object, State> TABLE =
      CommandTable.<Entity, Command, Object, State>builder(State.class)
          .forAnyState()
          .on(Ping.class, (e, s, c) -> e.record("any:ping"))
          .forState(Idle.class)
          .on(Work.class, (e, s, c) -> e.record("idle:work"))
          .on(Ping.class, (e, s, c) -> e.record("idle:ping, never: any-state comes first"))
          .otherwise((e, s, c) -> e.record("idle:other " + c.getClass().getSimpleName()))
          .forState(Busy.class)
          .on(Work.class, (e, s, c) -> e.record("busy:work"))
          .build();

  @Test
  void casesMatchInTheOrderTheyWereAdded() {
    Entity a = new Entity();
    TABLE.handle(a, new Idle(), new Ping());
    TABLE.handle(a, new Idle(), new Work());
    TABLE.handle(a, new Idle(), new Other());
    TABLE.handle(a, new Busy(), new Work());
    TABLE.handle(a, new Busy(), new Ping());
    assertEquals(List.of("any:ping", "idle:work", "idle:other Other", "busy:work", "any:ping"),
        a.calls);
  }

  @Test
  void eachCallReachesTheEntityItIsGivenWhenTheResolutionIsRemembered() {
    Entity a = new Entity();
    Entity b = new Entity();
    TABLE.handle(a, new Idle(), new Work());
    TABLE.handle(b, new Idle(), new Work());
    TABLE.handle(b, new Idle(), new Work());
    assertEquals(List.of("idle:work"), a.calls);
    assertEquals(List.of("idle:work", "idle:work"), b.calls);
  }

  @Test
  void aStateTypeMatchesItsSubtypes() {
    CommandTable<Entity, Command, Object, State> table =
        CommandTable.<Entity, Command, Object, State>builder(State.class)
            .forState(Working.class)
            .otherwise((e, s, c) -> e.record("working"))
            .build();
    Entity a = new Entity();
    table.handle(a, new Busy(), new Other());
    assertEquals(List.of("working"), a.calls);
  }

  @Test
  void aCommandNoCaseTakesIsAProgrammingErrorNamedWithItsState() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TABLE.handle(new Entity(), new Busy(), new Other()));
    assertEquals("no handler for Other in state Busy", e.getMessage());
  }
}

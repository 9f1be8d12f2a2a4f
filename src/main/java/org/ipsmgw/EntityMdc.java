package org.ipsmgw;

import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The {@link LogContext} keys of one entity (its session id, SMS user) on every line it logs.
 */
public final class EntityMdc {
  private EntityMdc() {}

  /**
   * {@code behavior} with {@code mdc} set around each message and signal it handles. An
   * event-sourced entity runs its persist callbacks ({@code thenRun}, replies) on the journal's
   * answer, which is not one of its commands; {@code Behaviors.withMdc(Command.class, …)} would
   * leave those lines bare, so the interceptor takes every message.
   */
  @SuppressWarnings("unchecked")
  public static <T> Behavior<T> around(Map<String, String> mdc, Behavior<T> behavior) {
    Behavior<Object> any = (Behavior<Object>) (Behavior<?>) behavior;
    return Behaviors.withMdc(Object.class, mdc, any).narrow();
  }
}

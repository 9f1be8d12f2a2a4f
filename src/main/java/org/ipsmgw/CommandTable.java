package org.ipsmgw;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * An event-sourced entity type's command handlers, built once for every entity of the type. Pekko's
 * {@code newCommandHandlerWithReplyBuilder()} builds its table per entity, with a case object and
 * two wrapping lambdas per handler: about 5 KB of every idle chat, where 100,000 idle chats must
 * fit in a 2 GiB heap. Here each handler is given the entity, so one table serves all of them,
 * and the entity's own handler is one lambda.
 *
 * <p>Matching is Pekko's: the first case, in the order added, whose state type and command type
 * the state and the command are instances of; its resolution is remembered per pair of classes.
 *
 * @param <E> the entity, whose handler objects the cases call
 * @param <C> the command type
 * @param <V> the event type
 * @param <S> the state type
 */
public final class CommandTable<E, C, V, S> {

  /** One command's handling, for the entity it is given. */
  @FunctionalInterface
  public interface Handler<E, T, K, V, S> {
    ReplyEffect<V, S> handle(E entity, T state, K command);
  }

  private record Case(Class<?> state, Class<?> command, Handler<?, ?, ?, ?, ?> handler) {
    boolean matches(Object s, Object c) {
      return state.isInstance(s) && (command == null || command.isInstance(c));
    }
  }

  private final List<Case> cases;
  private final Map<Class<?>, Map<Class<?>, Handler<?, ?, ?, ?, ?>>> resolved =
      new ConcurrentHashMap<>();

  private CommandTable(List<Case> cases) {
    this.cases = List.copyOf(cases);
  }

  public static <E, C, V, S> Builder<E, C, V, S> builder(Class<S> stateType) {
    return new Builder<>(stateType);
  }

  /**
   * @throws IllegalStateException for a command no case takes in this state, as Pekko's table
   *     does (a programming error: every entity ends its table with a catch-all)
   */
  @SuppressWarnings("unchecked")
  public ReplyEffect<V, S> handle(E entity, S state, C command) {
    Handler<?, ?, ?, ?, ?> h = resolved
        .computeIfAbsent(state.getClass(), k -> new ConcurrentHashMap<>())
        .computeIfAbsent(command.getClass(), k -> resolve(state, command));
    return ((Handler<E, S, C, V, S>) h).handle(entity, state, command);
  }

  private Handler<?, ?, ?, ?, ?> resolve(S state, C command) {
    for (Case c : cases) {
      if (c.matches(state, command)) {
        return c.handler();
      }
    }
    throw new IllegalStateException("no handler for " + command.getClass().getSimpleName()
        + " in state " + state.getClass().getSimpleName());
  }

  /** Adds cases in matching order; {@link #build} freezes them. */
  public static final class Builder<E, C, V, S> {
    private final Class<S> stateType;
    private final List<Case> cases = new ArrayList<>();

    private Builder(Class<S> stateType) {
      this.stateType = stateType;
    }

    /** Cases for every state. */
    public StateCases<E, C, V, S, S> forAnyState() {
      return new StateCases<>(this, stateType);
    }

    /** Cases for states of type {@code type}. */
    public <T extends S> StateCases<E, C, V, S, T> forState(Class<T> type) {
      return new StateCases<>(this, type);
    }

    public CommandTable<E, C, V, S> build() {
      return new CommandTable<>(cases);
    }
  }

  /** The cases of one state type. */
  public static final class StateCases<E, C, V, S, T extends S> {
    private final Builder<E, C, V, S> builder;
    private final Class<T> state;

    private StateCases(Builder<E, C, V, S> builder, Class<T> state) {
      this.builder = builder;
      this.state = state;
    }

    public <K extends C> StateCases<E, C, V, S, T> on(Class<K> command,
        Handler<E, T, K, V, S> handler) {
      builder.cases.add(new Case(state, command, handler));
      return this;
    }

    /** Every other command in this state. */
    public Builder<E, C, V, S> otherwise(Handler<E, T, C, V, S> handler) {
      builder.cases.add(new Case(state, null, handler));
      return builder;
    }

    /** The next state's cases. */
    public <U extends S> StateCases<E, C, V, S, U> forState(Class<U> type) {
      return builder.forState(type);
    }

    public CommandTable<E, C, V, S> build() {
      return builder.build();
    }
  }
}

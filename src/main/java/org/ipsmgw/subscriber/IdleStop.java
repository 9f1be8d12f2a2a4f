package org.ipsmgw.subscriber;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.subscriber.SmsSubscriberCommand.IdleCheck;

/**
 * Asks the shard to stop an SMS user's entity that had nothing to do for a while. With
 * remember-entities on, Pekko passivates no idle entity, so every SMS user with a chat kept a
 * running actor (about 3 KB of heap) for as long as the chat lasted, most of them idle; its next
 * SMS or invitation starts it again from its snapshot and events. Not while an MO is being handed
 * over or reassembled: their timers and waiting edges live in this incarnation only.
 */
final class IdleStop {
  private static final String TIMER = "idle-stop";

  private final SubscriberContext ctx;
  private final Duration after;
  private final Consumer<ActorRef<SmsSubscriberCommand>> passivate;
  /** A command other than the check came since the last check. */
  private boolean touched;

  /** @param after zero: never */
  IdleStop(SubscriberContext ctx, Duration after,
      Consumer<ActorRef<SmsSubscriberCommand>> passivate) {
    this.ctx = ctx;
    this.after = after;
    this.passivate = passivate;
  }

  /** Once recovered: a check every {@code after}, so it stops between one and two of them idle. */
  void start() {
    if (!after.isZero()) {
      ctx.timers().startTimerWithFixedDelay(TIMER, new IdleCheck(), after);
    }
  }

  void touched() {
    touched = true;
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> check(SubscriberState state, boolean busy) {
    if (touched || busy || !state.assemblies().isEmpty()) {
      touched = false;
      return ctx.effect().noReply();
    }
    ctx.timers().cancel(TIMER);
    passivate.accept(ctx.actor().getSelf());
    return ctx.effect().noReply();
  }
}

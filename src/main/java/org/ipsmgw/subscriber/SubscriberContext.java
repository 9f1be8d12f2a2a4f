package org.ipsmgw.subscriber;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.EntityLog;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoAssemblyDue;

/**
 * What the SmsSubscriber's handlers share: whose subscriber it is, its settings and the entities
 * it hands MO SMS to, its actor and timers, the effect factory, and its log prefix.
 *
 * @param pagers null when MO SMS to a number with no chat are dropped rather than paged
 * @param observer told of correlation-pool use, for metrics
 */
record SubscriberContext(String msisdn, Supplier<OperatorPolicy> policy, MoSettings mo,
    Function<String, RecipientRef<ChatSessionCommand>> sessions,
    Function<String, RecipientRef<PagerCommand>> pagers, Clock clock,
    ActorContext<SmsSubscriberCommand> actor, TimerScheduler<SmsSubscriberCommand> timers,
    EffectFactories<SmsSubscriberEvent, SubscriberState> effect, SubscriberObserver observer) {

  void info(String format, Object... args) {
    log().info(format, args);
  }

  void warn(String format, Object... args) {
    log().warn(format, args);
  }

  private EntityLog log() {
    return new EntityLog(actor.getLog(), "subscriber", msisdn);
  }

  /** The assembly {@code key} is looked at again at {@code due} (now, if that has passed). */
  void armTimer(String key, Instant due) {
    Duration delay = Duration.between(clock.instant(), due);
    timers.startSingleTimer(key, new MoAssemblyDue(key), delay.isNegative() ? Duration.ZERO : delay);
  }

  /** Answers {@code ack} to whoever waits for the MO; a timer's hand-over has no one. */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> ack(ActorRef<MoAck> replyTo, MoAck ack) {
    return replyTo == null ? effect.noReply() : effect.reply(replyTo, ack);
  }

  /** As {@link #ack(ActorRef, MoAck)}, once {@code effect} is persisted. */
  static ReplyEffect<SmsSubscriberEvent, SubscriberState> thenAck(
      EffectBuilder<SmsSubscriberEvent, SubscriberState> effect, ActorRef<MoAck> replyTo,
      MoAck ack) {
    return replyTo == null ? effect.thenNoReply() : effect.thenReply(replyTo, s -> ack);
  }
}

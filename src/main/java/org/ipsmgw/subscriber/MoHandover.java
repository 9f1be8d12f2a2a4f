package org.ipsmgw.subscriber;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.RandomIds;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerKey;
import org.ipsmgw.pager.PagerReply;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.ChatSessionCommand.SmsFromUser;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoDeadline;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoHandedOver;
import org.ipsmgw.subscriber.SmsSubscriberCommand.OpenChat;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoTakenLate;

/**
 * Where a whole MO goes: to the chat its number is correlated with; with no chat, to the pager
 * conversation with that number, or, when policy wants a chat, into a new SMS-originated chat.
 * The SMSC is acknowledged only once the receiver has persisted it; a stored assembly is closed
 * then, and kept (its timer retries) while the receiver does not answer.
 *
 * <p>The SMPP edge waits for an MO until its deadline, then tells the SMSC to resend it. The
 * receiver may still take it after that (a chat moving between nodes buffers the ask): the
 * subscriber keeps waiting for it ({@code mo-late-wait}), and when it is taken late, remembers
 * the parts the SMSC will resend ({@link MoTakenLate}) so each resend is acknowledged and not
 * delivered again. A resend that arrives while the hand-over is still under way waits for that
 * hand-over instead of starting a second one.
 */
final class MoHandover {
  /** A failed hand-over of a due assembly is tried again after this long. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  /** One hand-over the SMPP edge waits for, and the answers it owes. */
  private static final class Tracked {
    final Map<Long, Waiter> waiters = new LinkedHashMap<>();
    /** Fingerprints of the parts whose edge was answered retry at their deadline. */
    final List<String> refused = new ArrayList<>();
  }

  private record Waiter(ActorRef<MoAck> replyTo, String part) {}

  private final SubscriberContext ctx;
  /**
   * In memory: a subscriber that restarts forgets them, and its edges time out and answer retry;
   * a receiver that took such an MO then sees it again (the window the README states).
   */
  private final Map<String, Tracked> tracked = new HashMap<>();
  private long nextWaiter;
  /** Its shard asked it to stop: it does once no hand-over is under way. */
  private boolean stopWhenIdle;

  MoHandover(SubscriberContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Hands a whole MO over for the SMPP edge waiting on {@code replyTo} until {@code deadline}
   * (null: the hand-over timeout from now). The same MO already under way (the SMSC resent it)
   * is not handed over twice: this edge waits for that hand-over too.
   *
   * @param key the stored assembly, or null for a single SMS
   * @param part the fingerprint of the part the edge waits for
   */
  void handOver(SubscriberState state, String to, String text, Instant receivedAt, String key,
      ActorRef<MoAck> replyTo, String part, Instant deadline) {
    String id = key != null ? "assembly|" + key : part;
    Tracked t = tracked.get(id);
    boolean underWay = t != null;
    if (!underWay) {
      t = new Tracked();
      tracked.put(id, t);
    }
    long waiter = ++nextWaiter;
    t.waiters.put(waiter, new Waiter(replyTo, part));
    Instant due = deadline != null ? deadline
        : ctx.clock().instant().plus(ctx.mo().handoverTimeout());
    Duration delay = Duration.between(ctx.clock().instant(), due);
    ctx.timers().startSingleTimer(timerKey(waiter), new MoDeadline(id, waiter),
        delay.isNegative() ? Duration.ZERO : delay);
    if (underWay) {
      ctx.info("MO resent while its hand-over is under way; waiting for that one");
      return;
    }
    Duration wait = ctx.mo().lateWait().compareTo(ctx.mo().handoverTimeout()) > 0
        ? ctx.mo().lateWait() : ctx.mo().handoverTimeout();
    ask(state, to, text, receivedAt, key, null, id, wait, deadline);
  }

  /** A timer's hand-over of a due assembly: nobody waits for its answer. */
  void handOverUnwaited(SubscriberState state, String to, String text, Instant receivedAt,
      String key) {
    ask(state, to, text, receivedAt, key, null, null, ctx.mo().handoverTimeout(), null);
  }

  /**
   * Asks the receiver to take the MO; its answer comes back as {@link MoHandedOver} (or, from a
   * pager conversation that wants a chat, {@link OpenChat}).
   */
  private void ask(SubscriberState state, String to, String text, Instant receivedAt, String key,
      ActorRef<MoAck> replyTo, String id, Duration timeout, Instant deadline) {
    // An anonymous sender's alias names no chat: the SMS goes to its pager conversation.
    Optional<String> session = state.sessionFor(to).filter(s -> !PagerAliases.isAlias(s));
    if (session.isPresent()) {
      ctx.actor().ask(CommandReply.class, ctx.sessions().apply(session.get()), timeout,
          ref -> new SmsFromUser(text, receivedAt, handoverId(key, receivedAt),
              key == null ? deadline : null, ref),
          (reply, failure) -> new MoHandedOver(key, replyTo, Handover.of(reply, failure), id));
      return;
    }
    if (ctx.pagers() == null || Msisdn.normalise(to).isEmpty()) {
      ctx.info("MO SMS to {} matches no chat; dropped ({} chars)", to, text.length());
      ctx.actor().getSelf().tell(new MoHandedOver(key, replyTo, new Handover.Taken(), id));
      return;
    }
    ctx.actor().ask(PagerReply.class, ctx.pagers().apply(new PagerKey(ctx.msisdn(), to).id()),
        timeout, ref -> new PagerCommand.FromSms(text, receivedAt, ref),
        (reply, failure) -> reply instanceof PagerReply.StartChat
            ? new OpenChat(key, to, text, receivedAt, replyTo, id)
            : new MoHandedOver(key, replyTo, Handover.of(reply, failure), id));
  }

  /**
   * A stored assembly is handed over again after this entity recovers, with the same id, so its
   * chat takes it once. A single SMS has no stored identity: an SMSC resend of one looks like the
   * user sending it again, so it gets none.
   */
  private static String handoverId(String key, Instant firstPartAt) {
    return key == null ? null : key + "@" + firstPartAt.toEpochMilli();
  }

  /** The edge stops waiting now: it is answered retry, and the SMSC will resend the part. */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> deadline(SubscriberState state,
      MoDeadline cmd) {
    Tracked t = tracked.get(cmd.tracked());
    Waiter w = t == null ? null : t.waiters.remove(cmd.waiter());
    if (w == null) {
      return ctx.effect().noReply();
    }
    t.refused.add(w.part());
    ctx.warn("MO not taken by its chat by the SMPP edge's deadline; the SMSC will resend it");
    return ctx.ack(w.replyTo(), MoAck.retry("chat did not answer by the deadline"));
  }

  boolean idle() {
    return tracked.isEmpty();
  }

  int underWay() {
    return tracked.size();
  }

  void stopWhenIdle() {
    stopWhenIdle = true;
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> handedOver(SubscriberState state,
      MoHandedOver cmd) {
    ReplyEffect<SmsSubscriberEvent, SubscriberState> effect = settle(state, cmd);
    if (stopWhenIdle && tracked.isEmpty()) {
      // Handled after this answer's events are persisted and its edges told.
      ctx.actor().getSelf().tell(new SmsSubscriberCommand.Stop());
    }
    return effect;
  }

  private ReplyEffect<SmsSubscriberEvent, SubscriberState> settle(SubscriberState state,
      MoHandedOver cmd) {
    Tracked t = cmd.tracked() == null ? null : tracked.remove(cmd.tracked());
    List<ActorRef<MoAck>> waiting = new ArrayList<>();
    if (cmd.replyTo() != null) {
      waiting.add(cmd.replyTo());
    }
    if (t != null) {
      t.waiters.forEach((waiter, w) -> {
        ctx.timers().cancel(timerKey(waiter));
        waiting.add(w.replyTo());
      });
    }
    boolean stored = cmd.key() != null && state.assemblies().containsKey(cmd.key());
    if (cmd.outcome() instanceof Handover.Unanswered u) {
      ctx.warn("MO not yet taken by its chat ({}); the SMSC or a timer will retry", u.reason());
      if (stored) {
        ctx.armTimer(cmd.key(), ctx.clock().instant().plus(RETRY));
      }
      MoAck retry = MoAck.retry("chat did not answer: " + u.reason());
      waiting.forEach(r -> r.tell(retry));
      return ctx.effect().noReply();
    }
    if (cmd.outcome() instanceof Handover.Dropped d) {
      ctx.info("MO refused by its chat ({} {}); dropped", d.refusal().status(),
          d.refusal().reason());
    }
    List<SmsSubscriberEvent> events = new ArrayList<>();
    if (stored) {
      events.add(new MoAssemblyClosed(cmd.key()));
    }
    if (t != null && waiting.isEmpty() && !t.refused.isEmpty()) {
      // Every edge was told to resend: the SMSC will, and each resend must not deliver again.
      Instant now = ctx.clock().instant();
      events.add(new MoTakenLate(List.copyOf(t.refused), now,
          now.plus(ctx.mo().resendWindow())));
      ctx.info("MO taken by its chat after the SMSC was told to resend it; its resend will be "
          + "acknowledged without delivering it again");
    }
    if (events.isEmpty()) {
      waiting.forEach(r -> r.tell(MoAck.ACCEPTED));
      return ctx.effect().noReply();
    }
    return ctx.effect().persist(events)
        .thenRun(s -> waiting.forEach(r -> r.tell(MoAck.ACCEPTED)))
        .thenNoReply();
  }

  /**
   * Opens an SMS-originated chat: the CPM user's number becomes the chat's correlation number
   * (stored first, so the user's next SMS to it finds the chat), then the chat invites the CPM
   * user. The MO is acknowledged once the chat has stored it.
   */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> openChat(SubscriberState state,
      OpenChat cmd) {
    Duration timeout = cmd.tracked() == null ? ctx.mo().handoverTimeout() : ctx.mo().lateWait();
    if (state.sessionFor(cmd.to()).isPresent()) {
      // Opened meanwhile (a resent MO): the text goes to that chat.
      ask(state, cmd.to(), cmd.text(), cmd.receivedAt(), cmd.key(), cmd.replyTo(), cmd.tracked(),
          timeout, null);
      return ctx.effect().noReply();
    }
    String sessionId = RandomIds.sessionId() + "@ipsmgw";
    return ctx.effect().persist(new CorrelationReserved(sessionId, cmd.to()))
        .thenRun(s -> {
          ctx.info("[session {}] SMS to CPM user {} opens the chat", sessionId, cmd.to());
          ctx.actor().ask(CommandReply.class, ctx.sessions().apply(sessionId), timeout,
              ref -> new ChatSessionCommand.Originate(ctx.msisdn(), cmd.to(), cmd.text(),
                  cmd.receivedAt(), ref),
              (reply, failure) -> new MoHandedOver(cmd.key(), cmd.replyTo(),
                  Handover.of(reply, failure), cmd.tracked()));
        })
        .thenNoReply();
  }

  private static String timerKey(long waiter) {
    return "mo-deadline-" + waiter;
  }
}

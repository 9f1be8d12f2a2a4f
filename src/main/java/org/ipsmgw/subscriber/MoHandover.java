package org.ipsmgw.subscriber;

import java.time.Duration;
import java.time.Instant;
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
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoHandedOver;
import org.ipsmgw.subscriber.SmsSubscriberCommand.OpenChat;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;

/**
 * Where a whole MO goes: to the chat its number is correlated with; with no chat, to the pager
 * conversation with that number, or, when policy wants a chat, into a new SMS-originated chat.
 * The SMSC is acknowledged only once the receiver has persisted it; a stored assembly is closed
 * then, and kept (its timer retries) while the receiver does not answer.
 */
final class MoHandover {
  /** A failed hand-over of a due assembly is tried again after this long. */
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final SubscriberContext ctx;

  MoHandover(SubscriberContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Asks the receiver to take the MO; its answer comes back as {@link MoHandedOver} (or, from a
   * pager conversation that wants a chat, {@link OpenChat}).
   *
   * @param key the stored assembly, or null for a single SMS
   * @param replyTo who waits for the MO's acknowledgement, or null (a timer handed it over)
   */
  void handOver(SubscriberState state, String to, String text, Instant receivedAt, String key,
      ActorRef<MoAck> replyTo) {
    // An anonymous sender's alias names no chat: the SMS goes to its pager conversation.
    Optional<String> session = state.sessionFor(to).filter(id -> !PagerAliases.isAlias(id));
    if (session.isPresent()) {
      ctx.actor().ask(CommandReply.class, ctx.sessions().apply(session.get()),
          ctx.mo().handoverTimeout(), ref -> new SmsFromUser(text, receivedAt, ref),
          (reply, failure) -> new MoHandedOver(key, replyTo, Handover.of(reply, failure)));
      return;
    }
    if (ctx.pagers() == null || Msisdn.normalise(to).isEmpty()) {
      ctx.info("MO SMS to {} matches no chat; dropped ({} chars)", to, text.length());
      ctx.actor().getSelf().tell(new MoHandedOver(key, replyTo, new Handover.Taken()));
      return;
    }
    ctx.actor().ask(PagerReply.class, ctx.pagers().apply(new PagerKey(ctx.msisdn(), to).id()),
        ctx.mo().handoverTimeout(), ref -> new PagerCommand.FromSms(text, receivedAt, ref),
        (reply, failure) -> reply instanceof PagerReply.StartChat
            ? new OpenChat(key, to, text, receivedAt, replyTo)
            : new MoHandedOver(key, replyTo, Handover.of(reply, failure)));
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> handedOver(SubscriberState state,
      MoHandedOver cmd) {
    boolean stored = cmd.key() != null && state.assemblies().containsKey(cmd.key());
    if (cmd.outcome() instanceof Handover.Unanswered u) {
      ctx.warn("MO not yet taken by its chat ({}); the SMSC or a timer will retry", u.reason());
      if (stored) {
        ctx.armTimer(cmd.key(), ctx.clock().instant().plus(RETRY));
      }
      return ctx.ack(cmd.replyTo(), MoAck.retry("chat did not answer: " + u.reason()));
    }
    if (cmd.outcome() instanceof Handover.Dropped d) {
      ctx.info("MO refused by its chat ({} {}); dropped", d.refusal().status(),
          d.refusal().reason());
    }
    if (!stored) {
      return ctx.ack(cmd.replyTo(), MoAck.ACCEPTED);
    }
    return SubscriberContext.thenAck(ctx.effect().persist(new MoAssemblyClosed(cmd.key())),
        cmd.replyTo(), MoAck.ACCEPTED);
  }

  /**
   * Opens an SMS-originated chat: the CPM user's number becomes the chat's correlation number
   * (stored first, so the user's next SMS to it finds the chat), then the chat invites the CPM
   * user. The MO is acknowledged once the chat has stored it.
   */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> openChat(SubscriberState state,
      OpenChat cmd) {
    if (state.sessionFor(cmd.to()).isPresent()) {
      // Opened meanwhile (a resent MO): the text goes to that chat.
      handOver(state, cmd.to(), cmd.text(), cmd.receivedAt(), cmd.key(), cmd.replyTo());
      return ctx.effect().noReply();
    }
    String sessionId = RandomIds.sessionId() + "@ipsmgw";
    return ctx.effect().persist(new CorrelationReserved(sessionId, cmd.to()))
        .thenRun(s -> {
          ctx.info("[session {}] SMS to CPM user {} opens the chat", sessionId, cmd.to());
          ctx.actor().ask(CommandReply.class, ctx.sessions().apply(sessionId),
              ctx.mo().handoverTimeout(),
              ref -> new ChatSessionCommand.Originate(ctx.msisdn(), cmd.to(), cmd.text(),
                  cmd.receivedAt(), ref),
              (reply, failure) -> new MoHandedOver(cmd.key(), cmd.replyTo(),
                  Handover.of(reply, failure)));
        })
        .thenNoReply();
  }
}

package org.ipsmgw.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.session.ChatSessionCommand.DeliveryReport;
import org.ipsmgw.session.ChatSessionEvent.DeliveryReported;
import org.ipsmgw.session.ChatSessionEvent.InvitationRejected;

/**
 * What becomes of each SMS the chat sent, in any state that has messages in flight: the SMSC's
 * ids on acceptance (logged, so a receipt can be traced to its message), its refusal, and the
 * delivery receipts, which the CPM sender learns of as it asked (IMDN, failure REPORT).
 */
final class DeliveryHandlers {
  private final SessionContext ctx;

  DeliveryHandlers(SessionContext ctx) {
    this.ctx = ctx;
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onSubmitted(ChatSessionState state,
      ChatSessionCommand.SmsSubmitted cmd) {
    return record(state, List.of(cmd)).thenNoReply();
  }

  /** The SMPP edge's batch of acceptances: recorded in one write, then answered. */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onSubmittedBatch(ChatSessionState state,
      ChatSessionCommand.SmsSubmittedBatch cmd) {
    return record(state, cmd.submitted())
        .thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /** Persists the acceptances of messages still in flight (nothing for the others). */
  private EffectBuilder<ChatSessionEvent, ChatSessionState> record(ChatSessionState state,
      List<ChatSessionCommand.SmsSubmitted> submitted) {
    List<ChatSessionEvent.SmsSubmitted> accepted = new ArrayList<>();
    for (ChatSessionCommand.SmsSubmitted s : submitted) {
      if (inFlight(state, s.messageRef()).isPresent()) {
        accepted.add(new ChatSessionEvent.SmsSubmitted(s.messageRef(), List.copyOf(s.smscIds()),
            ctx.now()));
      }
    }
    if (accepted.isEmpty()) {
      return ctx.effect().none();
    }
    List<ChatSessionEvent> events = new ArrayList<>(accepted);
    List<String> forgotten = translation(state)
        .map(t -> t.beyondAwaited(accepted.stream().map(ChatSessionEvent.SmsSubmitted::messageRef)
            .collect(java.util.stream.Collectors.toSet()), ctx.settings.failureReceiptsAwaited()))
        .orElse(List.of());
    if (!forgotten.isEmpty()) {
      events.add(new ChatSessionEvent.FailureReceiptsForgotten(forgotten, ctx.now()));
    }
    return ctx.persist(state, List.copyOf(events))
        .thenRun(s -> {
          // Their number is bounded by max-sms-parts; the log cuts each short.
          accepted.forEach(e -> ctx.log("SMS {} accepted by the SMSC as {}", e.messageRef(),
              e.smscIds()));
          if (!forgotten.isEmpty()) {
            ctx.log(AwaitedReceipts.FORGOTTEN_LOG, AwaitedReceipts.forgottenLogArgs(forgotten,
                ctx.settings.failureReceiptsAwaited()));
          }
        });
  }

  ReplyEffect<ChatSessionEvent, ChatSessionState> onSubmitFailed(ChatSessionState state,
      ChatSessionCommand.SmsSubmitFailed cmd) {
    Optional<MessageRecord> message = inFlight(state, cmd.messageRef());
    if (message.isEmpty()) {
      return ctx.effect().noReply();
    }
    var failed = new ChatSessionEvent.SmsSubmitFailed(cmd.messageRef(), cmd.reason(), ctx.now());
    if (state instanceof AwaitingReply && cmd.messageRef().equals(Translation.INVITATION_REF)) {
      // The SMS user can never answer an invitation that was not sent.
      return ctx.persist(state, List.of(failed,
              new InvitationRejected(503, "Invitation SMS not accepted by the SMSC", ctx.now())))
          .thenRun(s -> {
            ctx.log("invitation SMS failed: {}", cmd.reason());
            ctx.respond(s, 503, "Service Unavailable", null);
            ctx.finish(s);
          })
          .thenNoReply();
    }
    return ctx.persist(state, failed).thenRun(s -> {
      ctx.log("SMS {} failed at the SMSC: {}", cmd.messageRef(), cmd.reason());
      notifyOutcome(s, message.get(), false);
    }).thenNoReply();
  }

  /**
   * Records one part's receipt and answers the SMPP edge once it is persisted, which only then
   * acknowledges it to the SMSC. A receipt that overtook SmsSubmitted finds its message by the
   * reference the edge indexed, and records the submission first. One with nothing to record
   * (its message settled, or unknown) is answered at once: the SMSC resent it, or it is not ours.
   */
  ReplyEffect<ChatSessionEvent, ChatSessionState> onDeliveryReport(ChatSessionState state,
      DeliveryReport cmd) {
    Optional<Translation> translation = translation(state);
    Optional<MessageRecord> message = translation.flatMap(t -> t.bySmscId(cmd.smscId()));
    List<ChatSessionEvent> events = new ArrayList<>();
    if (message.isEmpty() && cmd.messageRef() != null && cmd.messageIds().contains(cmd.smscId())) {
      message = translation.flatMap(t -> t.byRef(cmd.messageRef()))
          .filter(m -> m.status() == MessageStatus.PENDING)
          .map(m -> m.submitted(cmd.messageIds()));
      message.ifPresent(m -> events.add(new ChatSessionEvent.SmsSubmitted(cmd.messageRef(),
          List.copyOf(cmd.messageIds()), ctx.now())));
    }
    if (message.isEmpty()) {
      ctx.log("receipt for SMSC id {} matches no message in flight; nothing to record",
          cmd.smscId());
      return cmd.replyTo() == null ? ctx.effect().noReply()
          : ctx.effect().reply(cmd.replyTo(), SessionContext.ACCEPTED);
    }
    MessageRecord before = message.get();
    MessageStatus after = before.receipt(cmd.smscId(), cmd.delivered()).status();
    events.add(new DeliveryReported(before.ref(), cmd.smscId(), cmd.delivered(), ctx.now()));
    boolean early = events.size() > 1;
    var effect = ctx.persist(state, events)
        .thenRun(s -> {
          if (early) {
            ctx.log("SMS {} accepted by the SMSC as {} (learnt from its receipt)", before.ref(),
                before.smscIds());
          }
          ctx.log("receipt for {} part {}: {}", before.ref(), cmd.smscId(),
              cmd.delivered() ? "delivered" : "failed");
          if (after.isFinal() && !before.status().isFinal()) {
            notifyOutcome(s, before, after == MessageStatus.DELIVERED);
          }
        });
    return cmd.replyTo() == null ? effect.thenNoReply()
        : effect.thenReply(cmd.replyTo(), s -> SessionContext.ACCEPTED);
  }

  /**
   * What the CPM sender asked to learn of its message's fate: an IMDN if it asked for this
   * outcome, and for a failure after the MSRP 200 a failure REPORT (RFC 4975 §7.1.4). The
   * persisted outcome made it owed ({@link Translation#notices}): it goes to the attached MSRP
   * connection now, or to the next one that attaches, until the CPM side confirms it.
   */
  private void notifyOutcome(ChatSessionState state, MessageRecord message, boolean delivered) {
    if (state instanceof Active active) {
      active.translation().notice(message.ref()).ifPresent(n -> ctx.notifyCpm(active, n));
    }
  }

  private static Optional<Translation> translation(ChatSessionState state) {
    if (state instanceof AwaitingReply a) {
      return Optional.of(a.translation());
    }
    if (state instanceof Active a) {
      return Optional.of(a.translation());
    }
    return Optional.empty();
  }

  private static Optional<MessageRecord> inFlight(ChatSessionState state, String ref) {
    return translation(state).flatMap(t -> t.byRef(ref));
  }
}

package org.ipsmgw.subscriber;

import java.util.Optional;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.policy.DecisionSource;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.policy.InvitationDecision;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AdmitInvitation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReleaseCorrelation;
import org.ipsmgw.subscriber.SmsSubscriberCommand.RouteMo;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReleased;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;

/**
 * The correlation numbers of the user's chats: an invitation is decided and, unless rejected,
 * given a number the user's SMS to which find the chat; a closed chat frees its number.
 */
final class CorrelationPool {
  private final SubscriberContext ctx;

  CorrelationPool(SubscriberContext ctx) {
    this.ctx = ctx;
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> admit(SubscriberState state,
      AdmitInvitation cmd) {
    OperatorPolicy current = ctx.policy().get();
    InvitationDecision decision = current.decide(state.preferenceIfSet(), cmd.anonymous());
    String reserved = state.correlations().get(cmd.sessionId());
    if (reserved != null) {
      // A repeat after policy turned to REJECT gets no number: a rejection carries none.
      return ctx.effect().reply(cmd.replyTo(),
          new Admission(decision, decision.rejects() ? null : reserved));
    }
    if (decision.rejects()) {
      ctx.info("[session {}] invitation decided REJECT by {}", cmd.sessionId(),
          decision.source());
      return ctx.effect().reply(cmd.replyTo(), new Admission(decision, null));
    }
    Optional<String> number = current.correlation()
        .choose(cmd.cpmMsisdn(), cmd.anonymous(), state.numbersInUse());
    if (number.isEmpty()) {
      ctx.observer().exhausted();
      ctx.warn("[session {}] correlation pool exhausted ({} chats active)", cmd.sessionId(),
          state.correlations().size());
      InvitationDecision exhausted = new InvitationDecision(InvitationAction.REJECT,
          DecisionSource.OPERATOR, 503, "No free correlation number");
      return ctx.effect().reply(cmd.replyTo(), new Admission(exhausted, null));
    }
    return ctx.effect().persist(new CorrelationReserved(cmd.sessionId(), number.get()))
        .thenRun(s -> ctx.observer().reserved((int) s.numbersInUse().stream()
            .filter(current.correlation().pool()::contains).count()))
        .thenRun(s -> ctx.info("[session {}] invitation decided {} by {}, correlation number {}",
            cmd.sessionId(), decision.action(), decision.source(), number.get()))
        .thenReply(cmd.replyTo(), s -> new Admission(decision, number.get()));
  }

  /** Told by the chat when it ends; idempotent, answered by nothing. */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> release(SubscriberState state,
      ReleaseCorrelation cmd) {
    if (!state.correlations().containsKey(cmd.sessionId())) {
      return ctx.effect().noReply();
    }
    return ctx.effect().persist(new CorrelationReleased(cmd.sessionId()))
        .thenRun(s -> ctx.info("[session {}] correlation number released", cmd.sessionId()))
        .thenNoReply();
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> route(SubscriberState state, RouteMo cmd) {
    Optional<String> to = Msisdn.normalise(cmd.to());
    Optional<String> session = to.flatMap(state::sessionFor);
    MoRoute route = session.<MoRoute>map(MoRoute.ToSession::new)
        .orElseGet(() -> new MoRoute.NoSession(ctx.msisdn(), to.orElse(cmd.to())));
    return ctx.effect().reply(cmd.replyTo(), route);
  }
}

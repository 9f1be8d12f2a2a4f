package org.ipsmgw.subscriber;

import java.util.Optional;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.subscriber.SmsSubscriberCommand.AssignPagerAlias;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;

/**
 * Pool numbers for anonymous CPM senders' pager messages. An alias is kept as a correlation whose
 * key names the sender, so the number is never handed to a chat, and an SMS to it finds the
 * sender's pager conversation.
 */
final class PagerAliases {
  private static final String PREFIX = "pager-alias#";

  private final SubscriberContext ctx;

  PagerAliases(SubscriberContext ctx) {
    this.ctx = ctx;
  }

  /** Whether a correlation key is an alias's rather than a chat's session id. */
  static boolean isAlias(String correlationKey) {
    return correlationKey.startsWith(PREFIX);
  }

  ReplyEffect<SmsSubscriberEvent, SubscriberState> assign(SubscriberState state,
      AssignPagerAlias cmd) {
    OperatorPolicy current = ctx.policy().get();
    if (!current.anonymityAllowed()) {
      return ctx.effect().reply(cmd.replyTo(),
          new PagerAlias.Refused(new Refusal(403, "Anonymous interworking not allowed")));
    }
    String key = PREFIX + cmd.cpmIdentity();
    String known = state.correlations().get(key);
    if (known != null) {
      return ctx.effect().reply(cmd.replyTo(), new PagerAlias.Assigned(known));
    }
    Optional<String> free = current.correlation().choose(null, true, state.numbersInUse());
    if (free.isEmpty()) {
      ctx.warn("no pool number left for an anonymous pager sender");
      return ctx.effect().reply(cmd.replyTo(),
          new PagerAlias.Refused(new Refusal(503, "No correlation number free")));
    }
    return ctx.effect().persist(new CorrelationReserved(key, free.get()))
        .thenReply(cmd.replyTo(), s -> new PagerAlias.Assigned(free.get()));
  }
}

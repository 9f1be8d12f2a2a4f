package org.ipsmgw.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.ipsmgw.session.ChatSessionEvent.CpmMessageAccepted;

/**
 * Takes the CPM user's chat messages into a running chat, one or a batch at a time. Each new one
 * gets the next message reference; all of a batch are persisted in one journal write, and only
 * then answered and handed to the SMPP edge, in order. One the chat took already (sent again
 * because its 200 was lost), or twice in one batch, is answered as taken and not sent again; an
 * empty one is refused.
 */
final class CpmIntake {
  /** What a batch comes to: the events to persist, and each message's outcome in order. */
  record Plan(List<CpmMessageAccepted> accepted, List<CpmMessagesReply.Outcome> outcomes) {
    List<ChatSessionEvent> events() {
      return List.copyOf(accepted);
    }
  }

  private final SessionContext ctx;

  CpmIntake(SessionContext ctx) {
    this.ctx = ctx;
  }

  Plan plan(Active state, List<CpmText> texts) {
    Translation t = state.translation();
    Set<String> inBatch = new HashSet<>();
    List<CpmMessageAccepted> accepted = new ArrayList<>();
    List<CpmMessagesReply.Outcome> outcomes = new ArrayList<>();
    Instant now = ctx.now();
    for (CpmText m : texts) {
      if (m.text() == null || m.text().isEmpty()) {
        ctx.log("refused CPM message (MSRP {}): 400 Empty message", m.msrpMessageId());
        outcomes.add(new CpmMessagesReply.Outcome(400, "Empty message"));
        continue;
      }
      String id = Translation.msrpId(m.msrpMessageId());
      if (t.took(id) || (id != null && !inBatch.add(id))) {
        // The client sent it again because our 200 did not reach it (a node died, a write was
        // late): it is stored, or is in this very write, and on its way already.
        ctx.log("CPM message (MSRP {}) sent again; taken already, not sent to SMS again",
            m.msrpMessageId());
        outcomes.add(CpmMessagesReply.Outcome.ACCEPTED);
        continue;
      }
      accepted.add(new CpmMessageAccepted(t.messageRefAfter(accepted.size()), m.msrpMessageId(),
          m.imdnMessageId(), m.text(), m.receipt(), m.failureReport(), now));
      outcomes.add(CpmMessagesReply.Outcome.ACCEPTED);
    }
    return new Plan(accepted, outcomes);
  }

  /** Persists what the plan accepted (nothing when it accepted none), then sends it on. */
  EffectBuilder<ChatSessionEvent, ChatSessionState> take(Active state, Plan plan) {
    if (plan.accepted().isEmpty()) {
      return ctx.effect().none();
    }
    return ctx.persist(state, plan.events()).thenRun(s -> sendOn((Active) s, plan.accepted()));
  }

  private void sendOn(Active active, List<CpmMessageAccepted> accepted) {
    for (CpmMessageAccepted m : accepted) {
      ctx.log("CPM message {} (MSRP {}) to SMS, {} chars", m.messageRef(), m.msrpMessageId(),
          m.text().length());
      ctx.submit(active, m.messageRef(), m.text(),
          active.translation().byRef(m.messageRef()).orElseThrow().registered());
    }
    ctx.timers.armIdle(active, ctx.policy().idleTimeout());
  }
}

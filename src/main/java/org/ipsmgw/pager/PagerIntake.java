package org.ipsmgw.pager;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.pager.PagerCommand.FromCpm;
import org.ipsmgw.pager.PagerEvent.CpmMessageStored;
import org.ipsmgw.pager.PagerEvent.NoticeOwed;
import org.ipsmgw.session.CpmMessagesReply.Outcome;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.Refusal;
import org.ipsmgw.session.SmsLimit;

/**
 * What the CPM user's MESSAGEs, one or a batch, come to in a conversation: each new one gets
 * the next message reference (and, when asked, an interworking notice owed), all of them in one
 * journal write; one the conversation took already, or twice in one batch (sent again because
 * its 202 was lost), is answered as taken and not sent again; one too long for SMS is refused.
 */
final class PagerIntake {
  /** A message taken: its reference, and the interworking notice it owes, or null. */
  record Taken(String ref, FromCpm message, PagerNotice interworking) {}

  /** The events to persist, the messages they take, and each message's outcome in order. */
  record Plan(List<PagerEvent> events, List<Taken> taken, List<Outcome> outcomes) {}

  private final SmsLimit limit;
  private final Clock clock;

  PagerIntake(SmsLimit limit, Clock clock) {
    this.limit = limit;
    this.clock = clock;
  }

  /** @param repeated told of each message taken already, for the log */
  Plan plan(PagerState state, List<FromCpm> messages, java.util.function.Consumer<FromCpm>
      repeated) {
    PagerState s = state;
    List<PagerEvent> events = new ArrayList<>();
    List<Taken> taken = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    for (FromCpm m : messages) {
      if (s.tookFromCpm(m.imdnMessageId())) {
        repeated.accept(m);
        outcomes.add(Outcome.ACCEPTED);
        continue;
      }
      Optional<Refusal> tooLong = limit.tooLong(m.text());
      if (tooLong.isPresent()) {
        outcomes.add(new Outcome(tooLong.get().status(), tooLong.get().reason()));
        continue;
      }
      String ref = s.nextMessageRef();
      List<PagerEvent> these = new ArrayList<>();
      these.add(new CpmMessageStored(ref, m.cpmIdentity(), m.ids(), m.text(),
          m.imdnMessageId(), m.receipt(), clock.instant()));
      PagerNotice interworking = m.interworking()
          ? PagerNotice.about(PagerMessage.pending(ref, Direction.TO_SMS, m.text(),
              m.imdnMessageId(), m.receipt(), m.ids(), null), m.cpmIdentity(),
              Imdn.Kind.INTERWORKING, "legacy-sms", clock.instant())
          : null;
      if (interworking != null) {
        these.add(new NoticeOwed(interworking, clock.instant()));
      }
      for (PagerEvent e : these) {
        // The next message of the batch sees this one: its reference, its imdn.Message-ID.
        s = s.apply(e);
      }
      events.addAll(these);
      taken.add(new Taken(ref, m, interworking));
      outcomes.add(Outcome.ACCEPTED);
    }
    return new Plan(events, taken, outcomes);
  }
}

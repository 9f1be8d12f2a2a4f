package org.ipsmgw.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the node's metrics learn of one persisted change: the chat messages it accepted and the
 * lifecycle transition it made. Called after persist only, so a write the journal refused is
 * never counted.
 */
final class Transitions {
  private Transitions() {}

  static void observe(SessionObserver observer, ChatSessionState from, ChatSessionState to,
      List<ChatSessionEvent> events, Instant now) {
    for (ChatSessionEvent event : events) {
      if (event instanceof ChatSessionEvent.CpmMessageAccepted) {
        observer.message(Direction.TO_SMS);
      } else if (event instanceof ChatSessionEvent.SmsMessageAccepted
          || event instanceof ChatSessionEvent.ReplyAccepted r && r.firstMessage() != null) {
        observer.message(Direction.TO_CPM);
      }
    }
    if (from.stateName().equals(to.stateName())) {
      return;
    }
    if (from instanceof InvitedState) {
      observer.left(from.stateName());
    }
    observer.entered(to.stateName());
    if ((from instanceof Deciding || from instanceof AwaitingReply) && to instanceof InvitedState i
        && !(to instanceof AwaitingReply)) {
      observer.answered(to.stateName(), Duration.between(i.invitation().receivedAt(), now));
    }
    if (to instanceof Ended e) {
      observer.ended(to.stateName());
      if (e.cause() == EndCause.NO_ACK) {
        observer.unacknowledged();
      }
    }
  }
}

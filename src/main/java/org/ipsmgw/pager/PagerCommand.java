package org.ipsmgw.pager;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.CpmIdentifiers;
import org.ipsmgw.session.CpmMessagesReply;
import org.ipsmgw.session.ReceiptRequest;

/** Commands of a {@link PagerConversation}. */
public sealed interface PagerCommand extends CborSerializable {

  /**
   * A CPM standalone message (SIP MESSAGE) for the SMS user. Accepted once stored; the SIP edge
   * answers 202 on that.
   *
   * @param cpmIdentity the sender's URI, where replies and IMDNs go
   */
  record FromCpm(String cpmIdentity, CpmIdentifiers ids, String text, String imdnMessageId,
      ReceiptRequest receipt, boolean interworking, ActorRef<CommandReply> replyTo)
      implements PagerCommand {

    /** A message that asks for no interworking notification. */
    public FromCpm(String cpmIdentity, CpmIdentifiers ids, String text, String imdnMessageId,
        ReceiptRequest receipt, ActorRef<CommandReply> replyTo) {
      this(cpmIdentity, ids, text, imdnMessageId, receipt, false, replyTo);
    }
  }

  /**
   * MESSAGEs that came while the conversation stored the ones before: stored in one journal
   * write, answered once it is done, one outcome each in their order. Each message's own
   * {@code replyTo} is not used (null).
   */
  record FromCpmBatch(List<FromCpm> messages, ActorRef<CpmMessagesReply> replyTo)
      implements PagerCommand {
    public FromCpmBatch {
      messages = List.copyOf(messages);
    }
  }

  /** An SMS from the SMS user to the CPM user's number, with no chat between them. */
  record FromSms(String text, Instant receivedAt, ActorRef<PagerReply> replyTo)
      implements PagerCommand {}

  /** The SMPP edge's confirmation of a submit; told, answered by nothing. */
  record SmsSubmitted(String messageRef, List<String> smscIds) implements PagerCommand {}

  record SmsSubmitFailed(String messageRef, String reason) implements PagerCommand {}

  /** The SMPP edge of a leaving node kept it unsent: the next incarnation submits it. */
  record SmsHeld(String messageRef) implements PagerCommand {}

  /**
   * Sharding stops the conversation (passivation, hand-off): at once unless an SMS it gave the
   * SMPP edge is unanswered; then once answered, or after the hand-off wait.
   */
  record Stop() implements PagerCommand {}

  /** The last awaited answer came, or the wait is over: the conversation stops now. */
  enum StopNow implements PagerCommand { INSTANCE }

  /** Its own timer: it was idle {@code ipsmgw.pager.passivate-after} ago; it leaves if still. */
  enum LeaveIfIdle implements PagerCommand { INSTANCE }

  /**
   * A delivery receipt for one part, answered Accepted once recorded (or with nothing to record).
   *
   * @param messageRef the message the SMPP edge indexed the id under, or null: finds the message
   *     when the receipt overtook SmsSubmitted
   * @param messageIds the ids of all the message's parts in part order (with messageRef)
   * @param replyTo who acknowledges the receipt, or null
   */
  record DeliveryReport(String smscId, boolean delivered, String messageRef,
      List<String> messageIds, ActorRef<CommandReply> replyTo) implements PagerCommand {

    /** A receipt matched by its id alone, answered to nobody. */
    public DeliveryReport(String smscId, boolean delivered) {
      this(smscId, delivered, null, List.of(), null);
    }
  }

  /** The CPM side's final response to a MESSAGE the gateway sent (408 when none came). */
  record SipAnswered(String messageRef, int status) implements PagerCommand {}

  /**
   * Told to itself once recovered: sends again what has no recorded answer. Handled after the
   * commands that came during recovery, so a woken conversation whose waking command is the
   * answer to what it sent before it stopped records that answer first and does not resend.
   *
   * @param messageRefs the messages pending when recovery ended; one stored by a command handled
   *     since has just been sent, and is not sent again
   * @param noticeRefs the notices owed when recovery ended, likewise
   */
  record ResendOwed(java.util.Set<String> messageRefs, java.util.Set<String> noticeRefs)
      implements PagerCommand {}

  /** The whole state, for tests. */
  record Get(ActorRef<PagerState> replyTo) implements PagerCommand {}
}

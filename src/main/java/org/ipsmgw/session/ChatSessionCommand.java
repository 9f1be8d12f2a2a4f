package org.ipsmgw.session;

import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.subscriber.Admission;

/** Commands of the ChatSession entity: from the edges, the admin API, and its own timers. */
public sealed interface ChatSessionCommand {

  /**
   * Commands whose sender waits for a reply; every reply family {@code R} admits a
   * {@link Refusal}.
   */
  interface WithReply<R> {
    ActorRef<R> replyTo();
  }

  /** Commands sent by edges and other nodes; serialized when the entity lives elsewhere. */
  sealed interface External extends ChatSessionCommand, CborSerializable {}

  /** A CPM chat INVITE (or its retransmission). */
  record Invite(Invitation invitation, ActorRef<CommandReply> replyTo)
      implements External, WithReply<CommandReply> {}

  /** The CPM side's ACK to our 200 OK: the dialog is confirmed. */
  record AckReceived() implements External {}

  /** A re-INVITE from the CPM side: its Contact is the dialog's new remote target. */
  record RefreshTarget(String remoteTarget, ActorRef<TargetReply> replyTo)
      implements External, WithReply<TargetReply> {}

  /** CANCEL of the pending INVITE. */
  record Cancel(ActorRef<CloseReply> replyTo) implements External, WithReply<CloseReply> {}

  /** BYE from the CPM user. */
  record Bye(ActorRef<CloseReply> replyTo) implements External, WithReply<CloseReply> {}

  /**
   * An MSRP connection names this chat's MSRP session: may it carry the chat's messages, and
   * between whom. When it may, {@code connection} is attached to the chat (in memory), which
   * sends it what it owes the CPM user from then on ({@link MediaCommand}).
   */
  record BindMedia(String msrpSessionId, ActorRef<MediaCommand> connection,
      ActorRef<BindReply> replyTo) implements External, WithReply<BindReply> {}

  /**
   * An MO SMS from the SMS user to this session's correlation number (already reassembled).
   *
   * @param handoverId the SmsSubscriber's id of this hand-over, the same when a recovered
   *     subscriber hands the message over again (null: the chat cannot recognise a repeat)
   * @param deadline when the SMPP edge stops waiting and answers the SMSC "retry" (null: none
   *     waits): a chat that gets the SMS later (it was restarting, or moving to another node)
   *     refuses it unstored, since the SMSC will send it again
   */
  record SmsFromUser(String text, Instant receivedAt, String handoverId, Instant deadline,
      ActorRef<CommandReply> replyTo) implements External, WithReply<CommandReply> {

    public SmsFromUser(String text, Instant receivedAt, ActorRef<CommandReply> replyTo) {
      this(text, receivedAt, null, null, replyTo);
    }
  }

  /**
   * A chat message from the CPM user (MSRP SEND with CPIM text).
   *
   * @param failureReport the sender wants a failure REPORT if the SMS fails later
   */
  record CpmMessage(String msrpMessageId, String imdnMessageId, String text,
      ReceiptRequest receipt, boolean failureReport, ActorRef<CommandReply> replyTo)
      implements External, WithReply<CommandReply> {

    /** A message whose sender wants no failure REPORT (Failure-Report: no). */
    public CpmMessage(String msrpMessageId, String imdnMessageId, String text,
        ReceiptRequest receipt, ActorRef<CommandReply> replyTo) {
      this(msrpMessageId, imdnMessageId, text, receipt, false, replyTo);
    }
  }

  /**
   * The MSRP edge delivered an SMS user's message, or the notice about a CPM user's message, to
   * the CPM side (MSRP 200 received).
   */
  record MsrpDelivered(String messageRef) implements External {}

  /** The SMSC accepted every part of a message; {@code smscIds} in part order. */
  record SmsSubmitted(String messageRef, List<String> smscIds) implements External {}

  /** The SMSC refused a message, or the retry budget ran out. */
  record SmsSubmitFailed(String messageRef, String reason) implements External {}

  /**
   * A delivery receipt for one part, answered Accepted once recorded (or when there is nothing
   * to record: the message is settled or unknown), so the SMPP edge acknowledges it only then.
   *
   * @param messageRef the message the SMPP edge indexed the id under, or null: finds the message
   *     when the receipt overtook SmsSubmitted
   * @param messageIds the ids of all the message's parts in part order (with messageRef)
   * @param replyTo who acknowledges the receipt, or null
   */
  record DeliveryReport(String smscId, boolean delivered, String messageRef,
      List<String> messageIds, ActorRef<CommandReply> replyTo) implements External {

    /** A receipt matched by its id alone, answered to nobody. */
    public DeliveryReport(String smscId, boolean delivered) {
      this(smscId, delivered, null, List.of(), null);
    }
  }

  /** Operator ends the session (admin API). */
  record End(String reason, ActorRef<CommandReply> replyTo)
      implements External, WithReply<CommandReply> {}

  /**
   * Open a chat toward a CPM user for an SMS user's text (SMS-originated conversation); the
   * subscriber has reserved {@code cpmMsisdn} as the chat's correlation number.
   */
  record Originate(String smsMsisdn, String cpmMsisdn, String text, Instant receivedAt,
      ActorRef<CommandReply> replyTo) implements External, WithReply<CommandReply> {}

  /** The SIP edge's news of the gateway's INVITE: 2xx (answered) or a final error. */
  record OriginationOutcome(int status, String reason, String remoteParty, String remoteTag,
      String remoteTarget, List<String> routeSet) implements External {}

  /** What an operator sees of the chat (admin API), without message texts. */
  record Summarize(ActorRef<SessionSummary> replyTo) implements External {}

  /**
   * The whole state, for tests that prove a state survives recovery on another node. No edge
   * uses it: edges get what they need in each command's reply.
   */
  record Get(ActorRef<ChatSessionState> replyTo) implements External {}

  /** The SmsSubscriber's answer to the admission request (or its failure). */
  record AdmissionAnswered(Admission admission, String failure) implements ChatSessionCommand {}

  /** Timer: the reply window of the invitation SMS has ended. */
  enum ReplyWindowElapsed implements ChatSessionCommand { INSTANCE }

  /** Timer: time to repeat the 180 while the invitation waits. */
  enum RefreshProvisional implements ChatSessionCommand { INSTANCE }

  /** Timer: the idle timeout may have been reached. */
  enum IdleCheck implements ChatSessionCommand { INSTANCE }

  /** Timer: the 200's ACK deadline passed. */
  enum AckDeadline implements ChatSessionCommand { INSTANCE }

  /** Timer: an INVITE refused 503 can no longer come again (its transaction is over). */
  enum RetryWindowOver implements ChatSessionCommand { INSTANCE }

  /**
   * The SIP edge's news that the gateway's re-INVITE of this chat failed: an error final
   * response (status and reason as received, cut short), 408 when it timed out, 503 when it
   * could not be sent. The chat has no media path left.
   */
  record ReInviteFailed(int status, String reason) implements External {}

  /** Watch: the MSRP connection attached to the chat has ended; the chat stops sending to it. */
  record MediaDetached(ActorRef<MediaCommand> connection) implements ChatSessionCommand {}

  /**
   * The attached MSRP connection is about to end in order (its peer closed it, or the gateway
   * closed it on the peer's bad input): the chat stops watching it and answers Accepted before
   * the connection stops, so the watch's {@link MediaDetached} afterwards only ever means the
   * connection was lost with its node, and only that re-INVITEs.
   */
  record MediaClosed(ActorRef<MediaCommand> connection, ActorRef<CommandReply> replyTo)
      implements External, WithReply<CommandReply> {}

  /**
   * Sharding's stop message (hand-off to another node, rebalance, passivation): a running chat
   * stops once every SMS it gave the SMPP edge has its answer recorded, so the incarnation that
   * takes over does not submit again what the SMSC already took; at the latest after
   * {@code ipsmgw.session.hand-off-wait}. An ended chat, and a leaving node's, stop at once.
   */
  record Stop() implements ChatSessionCommand {}

  /** The SMPP edge did not send this SMS (its node is leaving) and will not answer for it. */
  record SmsHeld(String messageRef) implements ChatSessionCommand {}

  /**
   * The answers a stop waited for are in, or (timer) {@code ipsmgw.session.hand-off-wait} is
   * over and those still missing are given up: stop now.
   */
  enum StopNow implements ChatSessionCommand { INSTANCE }

  /**
   * Chat messages from the CPM user that its MSRP connection took while the chat was storing the
   * ones before (one journal write for them all); answered one outcome each, in order.
   */
  record CpmMessages(List<CpmText> messages, ActorRef<CpmMessagesReply> replyTo)
      implements External, WithReply<CpmMessagesReply> {
    public CpmMessages {
      messages = List.copyOf(messages);
    }
  }

  /**
   * The SMSC accepted these of the chat's SMS while the chat was recording the acceptances
   * before (one journal write for them all); answered once they are recorded.
   */
  record SmsSubmittedBatch(List<SmsSubmitted> submitted, ActorRef<CommandReply> replyTo)
      implements External, WithReply<CommandReply> {
    public SmsSubmittedBatch {
      submitted = List.copyOf(submitted);
    }
  }
}

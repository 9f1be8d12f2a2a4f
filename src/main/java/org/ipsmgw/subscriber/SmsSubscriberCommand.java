package org.ipsmgw.subscriber;

import org.apache.pekko.actor.typed.ActorRef;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationAction;

/** Commands of the SmsSubscriber entity. */
public sealed interface SmsSubscriberCommand extends CborSerializable {

  /**
   * Decides an invitation from policy and this user's preference and, unless rejected, reserves a
   * correlation number for it. Idempotent per session id: a repeat gets the same number.
   *
   * @param cpmMsisdn the CPM user's number, or null
   */
  record AdmitInvitation(String sessionId, String cpmMsisdn, boolean anonymous,
      ActorRef<Admission> replyTo) implements SmsSubscriberCommand {}

  /**
   * A pool number to show an anonymous CPM sender's pager messages from (never its own number);
   * the same sender keeps the same number, and the SMS user's replies to it find the sender.
   */
  record AssignPagerAlias(String cpmIdentity, ActorRef<PagerAlias> replyTo)
      implements SmsSubscriberCommand {}

  /** Frees the session's correlation number; idempotent, told (nothing answers it). */
  record ReleaseCorrelation(String sessionId) implements SmsSubscriberCommand {}

  /** Finds the chat an MO SMS to {@code to} belongs to. */
  record RouteMo(String to, ActorRef<MoRoute> replyTo) implements SmsSubscriberCommand {}

  record SetPreference(InvitationAction invitation, ActorRef<PreferenceView> replyTo)
      implements SmsSubscriberCommand {}

  record ClearPreference(ActorRef<PreferenceView> replyTo) implements SmsSubscriberCommand {}

  record GetPreference(ActorRef<PreferenceView> replyTo) implements SmsSubscriberCommand {}

  /**
   * The whole state, for tests that check what the subscriber holds. No edge uses it: the admin
   * API asks for the preference alone.
   */
  record GetSubscriber(ActorRef<SubscriberState> replyTo) implements SmsSubscriberCommand {}

  /**
   * An MO SMS part from this subscriber to {@code to} (a single SMS is part 1 of 1). Answered
   * once the part is durable: stored, or persisted by the chat it belongs to; answered retry,
   * with nothing stored or handed over, when it arrives after {@code deadline}.
   *
   * @param deadline when the SMPP edge stops waiting for the answer (it then tells the SMSC to
   *     resend), or null: the subscriber's own hand-over timeout decides
   */
  record ReceiveMo(String to, MoPart part, java.time.Instant deadline, ActorRef<MoAck> replyTo)
      implements SmsSubscriberCommand {

    public ReceiveMo(String to, MoPart part, ActorRef<MoAck> replyTo) {
      this(to, part, null, replyTo);
    }
  }

  /**
   * Internal: how the hand-over of a whole MO to its chat or pager conversation ended.
   *
   * @param key the assembly to close, or null for a single SMS
   * @param replyTo who waits for the MO's acknowledgement, or null (a timer handed it over, or
   *     the hand-over is tracked under {@code tracked})
   * @param tracked the hand-over's key among those the SMPP edge waits for, or null
   */
  record MoHandedOver(String key, ActorRef<MoAck> replyTo, Handover outcome, String tracked)
      implements SmsSubscriberCommand {

    public MoHandedOver(String key, ActorRef<MoAck> replyTo, Handover outcome) {
      this(key, replyTo, outcome, null);
    }
  }

  /**
   * Internal: an MO with no chat and no pager conversation, which policy turns into a chat with
   * the CPM user at {@code to}.
   */
  record OpenChat(String key, String to, String text, java.time.Instant receivedAt,
      ActorRef<MoAck> replyTo, String tracked) implements SmsSubscriberCommand {}

  /** Internal timer: the SMPP edge stops waiting for this MO's answer now. */
  record MoDeadline(String tracked, long waiter) implements SmsSubscriberCommand {}

  /** Internal timer: an assembly's time is up (or it needs another hand-over attempt). */
  record MoAssemblyDue(String key) implements SmsSubscriberCommand {}

  /**
   * From its shard, which hands the subscriber to another node (a graceful leave, a rebalance)
   * or passivates it. It stops at once unless an MO it handed to a chat still awaits the answer:
   * then it stops after that answer, so the SMPP edge is told what the chat did and the SMSC's
   * resend is recognised (at most {@code mo-late-wait}, the hand-over's own timeout).
   */
  record Stop() implements SmsSubscriberCommand {}

  /** Its own timer: whether it had nothing to do since the last one ({@link IdleStop}). */
  record IdleCheck() implements SmsSubscriberCommand {}
}

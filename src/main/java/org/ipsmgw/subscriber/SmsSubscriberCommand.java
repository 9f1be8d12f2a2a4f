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
   * once the part is durable: stored, or persisted by the chat it belongs to.
   */
  record ReceiveMo(String to, MoPart part, ActorRef<MoAck> replyTo)
      implements SmsSubscriberCommand {}

  /**
   * Internal: how the hand-over of a whole MO to its chat or pager conversation ended.
   *
   * @param key the assembly to close, or null for a single SMS
   * @param replyTo who waits for the MO's acknowledgement, or null (a timer handed it over)
   */
  record MoHandedOver(String key, ActorRef<MoAck> replyTo, Handover outcome)
      implements SmsSubscriberCommand {}

  /**
   * Internal: an MO with no chat and no pager conversation, which policy turns into a chat with
   * the CPM user at {@code to}.
   */
  record OpenChat(String key, String to, String text, java.time.Instant receivedAt,
      ActorRef<MoAck> replyTo) implements SmsSubscriberCommand {}

  /** Internal timer: an assembly's time is up (or it needs another hand-over attempt). */
  record MoAssemblyDue(String key) implements SmsSubscriberCommand {}
}

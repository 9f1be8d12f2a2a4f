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

  /** Frees the session's correlation number; idempotent. */
  record ReleaseCorrelation(String sessionId) implements SmsSubscriberCommand {}

  /** Finds the chat an MO SMS to {@code to} belongs to. */
  record RouteMo(String to, ActorRef<MoRoute> replyTo) implements SmsSubscriberCommand {}

  record SetPreference(InvitationAction invitation, ActorRef<SubscriberState> replyTo)
      implements SmsSubscriberCommand {}

  record ClearPreference(ActorRef<SubscriberState> replyTo) implements SmsSubscriberCommand {}

  record GetSubscriber(ActorRef<SubscriberState> replyTo) implements SmsSubscriberCommand {}
}

package org.ipsmgw.subscriber;

import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationAction;

/** Events of the SmsSubscriber entity. */
public sealed interface SmsSubscriberEvent extends CborSerializable {
  record CorrelationReserved(String sessionId, String correlationMsisdn)
      implements SmsSubscriberEvent {}

  record CorrelationReleased(String sessionId) implements SmsSubscriberEvent {}

  record PreferenceSet(InvitationAction invitation) implements SmsSubscriberEvent {}

  record PreferenceCleared() implements SmsSubscriberEvent {}

  /** One part of a concatenated MO SMS, stored until the rest arrives. */
  record MoPartStored(String sender, String to, MoPart part) implements SmsSubscriberEvent {}

  /** A concatenated MO was handed to its chat, or dropped: its parts are no longer kept. */
  record MoAssemblyClosed(String key) implements SmsSubscriberEvent {}
}

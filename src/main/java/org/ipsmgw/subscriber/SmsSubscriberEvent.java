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
}

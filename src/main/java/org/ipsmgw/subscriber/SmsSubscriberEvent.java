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

  /**
   * MO parts the SMSC was told to resend (no answer by the deadline) but whose message their
   * chat then took: the SMSC's resend of each is acknowledged without delivering it again, once,
   * until {@code expiresAt}.
   *
   * @param parts fingerprints ({@link MoFingerprint}), no text
   */
  record MoTakenLate(java.util.List<String> parts, java.time.Instant at,
      java.time.Instant expiresAt) implements SmsSubscriberEvent {}

  /** The SMSC's resend of a part taken late arrived and was acknowledged: not recognised again. */
  record MoResendRecognised(String part) implements SmsSubscriberEvent {}
}

package org.ipsmgw.session;

/** Outbound port toward the SMSC; the SMPP gateway implements it. */
public interface SmsPort {
  void submit(SmsSubmission submission);
}

package org.ipsmgw.session;

import java.util.Optional;

/**
 * Whether a CPM text fits the SMS it must become. The SMS edge knows (encoding, concatenation,
 * the policy's max-sms-parts); the CPM edges ask before anything is persisted, so a text the
 * SMSC path would refuse is refused where it came in.
 */
public interface SmsLimit {

  /** Empty when the text may go; else the 413 refusal to answer its sender with. */
  Optional<Refusal> tooLong(String text);
}

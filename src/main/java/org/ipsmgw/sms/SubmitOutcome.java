package org.ipsmgw.sms;

import java.util.List;
import org.ipsmgw.session.SmsSubmission;

/** Where the result of a submission goes: its chat session, or a test's recorder. */
public interface SubmitOutcome {
  /** The SMSC accepted every part; {@code smscIds} in part order. */
  void submitted(SmsSubmission submission, List<String> smscIds);

  void failed(SmsSubmission submission, String reason);

  /**
   * Not sent, and no answer will follow: the node is leaving, and the submission stays pending
   * in its session, which submits it again from the node it moves to.
   */
  default void held(SmsSubmission submission) {}
}

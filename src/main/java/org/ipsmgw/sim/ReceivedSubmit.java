package org.ipsmgw.sim;

import java.time.Instant;
import java.util.Map;
import org.ipsmgw.sms.SmsTextDecoder;

/**
 * A submit_sm as the simulated SMSC received it, kept for assertions.
 *
 * @param status the command_status it was answered with (0 = accepted with {@code messageId})
 * @param tlvs optional parameters by tag, raw values
 */
public record ReceivedSubmit(String systemId, String source, int sourceTon, String destination,
    int esmClass, int dataCoding, int registeredDelivery, byte[] shortMessage,
    Map<Short, byte[]> tlvs, String messageId, int status, Instant at) {

  public boolean accepted() {
    return status == 0;
  }

  /** The user data without its UDH, when esm_class has UDHI set. */
  public byte[] userData() {
    byte[] sm = tlvs.containsKey(MESSAGE_PAYLOAD) ? tlvs.get(MESSAGE_PAYLOAD) : shortMessage;
    if ((esmClass & 0x40) == 0 || sm.length == 0) {
      return sm;
    }
    int udh = (sm[0] & 0xFF) + 1;
    return java.util.Arrays.copyOfRange(sm, Math.min(udh, sm.length), sm.length);
  }

  /**
   * The text of this part, decoded by its data_coding (GSM 7-bit unpacked, as SMPP carries it, or
   * UCS-2), or null when the data_coding is one the gateway never uses.
   */
  public String text() {
    byte[] ud = userData();
    try {
      return SmsTextDecoder.decode(dataCoding, ud, 0, ud.length, false, 0);
    } catch (IllegalArgumentException undecodable) {
      return null;
    }
  }

  static final short MESSAGE_PAYLOAD = 0x0424;
}

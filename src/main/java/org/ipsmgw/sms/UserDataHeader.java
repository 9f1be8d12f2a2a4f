package org.ipsmgw.sms;

import java.util.Optional;

/** The user data header of an SMS (3GPP TS 23.040 §9.2.3.24): building and reading concat IEs. */
public final class UserDataHeader {
  private static final int IEI_CONCAT_8 = 0x00;
  private static final int IEI_CONCAT_16 = 0x08;

  private UserDataHeader() {}

  /** {@code 05 00 03 ref total seq} or {@code 06 08 04 refHi refLo total seq}. */
  public static byte[] concat(int reference, int total, int seq, boolean sixteenBit) {
    if (sixteenBit) {
      return new byte[] {0x06, IEI_CONCAT_16, 0x04, (byte) (reference >> 8), (byte) reference,
          (byte) total, (byte) seq};
    }
    return new byte[] {0x05, IEI_CONCAT_8, 0x03, (byte) reference, (byte) total, (byte) seq};
  }

  /** UDHL + 1: octets the header takes at the start of the user data. */
  public static int headerLength(byte[] shortMessage) {
    if (shortMessage.length == 0) {
      throw new IllegalArgumentException("malformed user data header: no octets");
    }
    return (shortMessage[0] & 0xFF) + 1;
  }

  /**
   * The concat IE of a UDH, if it has a usable one. Unknown IEs are skipped; total 0, seq 0 or
   * seq above total make the IE ignored, as 23.040 says.
   */
  public static Optional<ConcatInfo> findConcat(byte[] shortMessage) {
    int end = headerLength(shortMessage);
    if (end > shortMessage.length) {
      throw new IllegalArgumentException("malformed user data header: length " + (end - 1)
          + " runs past the " + shortMessage.length + " octets of user data");
    }
    ConcatInfo found = null;
    int at = 1;
    while (at < end) {
      if (at + 1 >= end) {
        throw new IllegalArgumentException("malformed user data header: truncated IE at " + at);
      }
      int iei = shortMessage[at] & 0xFF;
      int len = shortMessage[at + 1] & 0xFF;
      int data = at + 2;
      if (data + len > end) {
        throw new IllegalArgumentException("malformed user data header: IE 0x"
            + Integer.toHexString(iei) + " of " + len + " octets runs past the header");
      }
      if (iei == IEI_CONCAT_8 && len == 3) {
        found = usable(shortMessage[data] & 0xFF, shortMessage[data + 1] & 0xFF,
            shortMessage[data + 2] & 0xFF, false, found);
      } else if (iei == IEI_CONCAT_16 && len == 4) {
        int ref = ((shortMessage[data] & 0xFF) << 8) | (shortMessage[data + 1] & 0xFF);
        found = usable(ref, shortMessage[data + 2] & 0xFF, shortMessage[data + 3] & 0xFF, true,
            found);
      }
      at = data + len;
    }
    return Optional.ofNullable(found);
  }

  private static ConcatInfo usable(int ref, int total, int seq, boolean sixteen,
      ConcatInfo before) {
    if (total == 0 || seq == 0 || seq > total) {
      return before;
    }
    return new ConcatInfo(ref, total, seq, sixteen);
  }
}

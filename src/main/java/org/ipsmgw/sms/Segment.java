package org.ipsmgw.sms;

import java.util.Arrays;

/**
 * One SMS of a message.
 *
 * @param userDataHeader the UDH (with its length octet), or null when the part has none
 * @param payload the encoded text of this part, without the UDH
 * @param text the characters this part carries
 */
public record Segment(int seq, int total, byte[] userDataHeader, byte[] payload, String text) {

  /** short_message as submitted: UDH then payload. */
  public byte[] shortMessage() {
    if (userDataHeader == null) {
      return payload.clone();
    }
    byte[] out = Arrays.copyOf(userDataHeader, userDataHeader.length + payload.length);
    System.arraycopy(payload, 0, out, userDataHeader.length, payload.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Segment s && seq == s.seq && total == s.total
        && Arrays.equals(userDataHeader, s.userDataHeader) && Arrays.equals(payload, s.payload)
        && text.equals(s.text);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * seq + Arrays.hashCode(payload)) + text.hashCode();
  }

  @Override
  public String toString() {
    return "Segment[" + seq + "/" + total + ", udh=" + (userDataHeader == null ? "none"
        : java.util.HexFormat.of().formatHex(userDataHeader)) + ", " + payload.length
        + " octets]";
  }
}

package org.ipsmgw.sms;

import java.util.List;

/** A text encoded and cut into SMS parts that share one concatenation reference. */
public record EncodedMessage(SmsEncoding encoding, ConcatenationMode mode, int reference,
    List<Segment> segments) {

  public EncodedMessage {
    segments = List.copyOf(segments);
  }

  public int partCount() {
    return segments.size();
  }

  /** Parts carry a UDH: esm_class gets the UDHI bit 0x40. */
  public boolean udhIndicator() {
    return segments.stream().anyMatch(s -> s.userDataHeader() != null);
  }
}

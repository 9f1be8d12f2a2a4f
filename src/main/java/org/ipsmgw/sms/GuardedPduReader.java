package org.ipsmgw.sms;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.bean.Command;

/**
 * Checks the shape of every deliver_sm before jsmpp decodes it. jsmpp 3.0.2 throws on a body cut
 * short (ArrayIndexOutOfBounds in its decomposer) and then answers nothing, so the SMSC would wait
 * and retry forever. A malformed deliver_sm is therefore replaced by an empty one that carries
 * the reason in a private TLV; {@link MoDecoder} answers it ESME_RINVCMDLEN with one log line.
 */
final class GuardedPduReader extends DefaultPDUReader {
  /** Vendor-specific TLV tag (SMPP 3.4 §5.3.2: 0x1400-0x3FFF) for "this PDU was malformed". */
  static final short MALFORMED_TAG = 0x1401;
  private static final int DELIVER_SM = 0x05;
  private static final int HEADER = 16;

  @Override
  public byte[] readPDU(DataInputStream in, Command header) throws IOException {
    byte[] pdu = super.readPDU(in, header);
    if (header.getCommandId() != DELIVER_SM) {
      return pdu;
    }
    String problem = deliverSmProblem(pdu);
    if (problem == null) {
      return pdu;
    }
    byte[] replaced = placeholder(header, problem);
    header.setCommandLength(replaced.length);
    return replaced;
  }

  /** Null when the body walks cleanly: mandatory fields, short_message, then whole TLVs. */
  static String deliverSmProblem(byte[] pdu) {
    ByteBuffer b = ByteBuffer.wrap(pdu, HEADER, Math.max(0, pdu.length - HEADER));
    String[] cStrings = {"service_type", "source_addr", "destination_addr",
        "schedule_delivery_time", "validity_period"};
    int[] maxLength = {6, 21, 21, 17, 17};
    int next = 0;
    // Field order of SMPP 3.4 §4.6.1: C-strings (s), single octets (o).
    for (char field : "soosoosooossoooo".toCharArray()) {
      if (field == 'o') {
        if (!b.hasRemaining()) {
          return "body ends before its fixed fields";
        }
        b.get();
      } else {
        int start = b.position();
        while (b.hasRemaining() && b.get() != 0) {
          if (b.position() - start > maxLength[next]) {
            return cStrings[next] + " longer than " + maxLength[next];
          }
        }
        if (b.get(b.position() - 1) != 0 || b.position() == start) {
          return cStrings[next] + " is not terminated";
        }
        next++;
      }
    }
    if (!b.hasRemaining()) {
      return "body ends before sm_length";
    }
    int smLength = b.get() & 0xFF;
    if (smLength > b.remaining()) {
      return "sm_length " + smLength + " exceeds the " + b.remaining() + " octets left";
    }
    b.position(b.position() + smLength);
    while (b.hasRemaining()) {
      if (b.remaining() < 4) {
        return "a TLV header is cut short";
      }
      b.getShort();
      int length = b.getShort() & 0xFFFF;
      if (length > b.remaining()) {
        return "a TLV of " + length + " octets exceeds the " + b.remaining() + " left";
      }
      b.position(b.position() + length);
    }
    return null;
  }

  private static byte[] placeholder(Command header, String problem) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    // Empty service_type, source and destination, zero octets, empty times, sm_length 0.
    body.writeBytes(new byte[17]);
    byte[] reason = problem.getBytes(StandardCharsets.US_ASCII);
    body.write(MALFORMED_TAG >> 8);
    body.write(MALFORMED_TAG & 0xFF);
    body.write(reason.length >> 8);
    body.write(reason.length & 0xFF);
    body.writeBytes(reason);
    byte[] b = body.toByteArray();
    return ByteBuffer.allocate(HEADER + b.length).putInt(HEADER + b.length)
        .putInt(header.getCommandId()).putInt(header.getCommandStatus())
        .putInt(header.getSequenceNumber()).put(b).array();
  }
}

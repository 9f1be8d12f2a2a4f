package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jsmpp.bean.Command;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.util.DefaultDecomposer;
import org.junit.jupiter.api.Test;

/** The deliver_sm shape check that stands between the SMSC's bytes and jsmpp's decoder. */
class GuardedPduReaderTest {

  /** A well-formed deliver_sm: addresses, "hi", and a message_state TLV. */
  private static byte[] deliverSm() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0}); // service_type ""
    body.writeBytes(new byte[] {1, 1});
    body.writeBytes("447700900777\0".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(new byte[] {1, 1});
    body.writeBytes("447700900555\0".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(new byte[] {0, 0, 0}); // esm_class, protocol_id, priority_flag
    body.writeBytes(new byte[] {0, 0}); // schedule_delivery_time "", validity_period ""
    body.writeBytes(new byte[] {0, 0, 0, 0}); // registered_delivery .. sm_default_msg_id
    body.writeBytes(new byte[] {2, 'h', 'i'}); // sm_length, short_message
    body.writeBytes(new byte[] {0x04, 0x27, 0x00, 0x01, 0x02}); // message_state = DELIVERED
    return pdu(0x05, 7, body.toByteArray());
  }

  private static byte[] pdu(int id, int seq, byte[] body) {
    return ByteBuffer.allocate(16 + body.length).putInt(16 + body.length).putInt(id).putInt(0)
        .putInt(seq).put(body).array();
  }

  @Test
  void wellFormedDeliverSmPasses() {
    assertNull(GuardedPduReader.deliverSmProblem(deliverSm()));
  }

  @Test
  void everyTruncationOfTheBodyIsFound() {
    byte[] whole = deliverSm();
    for (int cut = 16; cut < whole.length; cut++) {
      byte[] truncated = Arrays.copyOf(whole, cut);
      // A cut right after sm_length's short_message (before the TLV) is a valid PDU.
      if (cut == whole.length - 5) {
        assertNull(GuardedPduReader.deliverSmProblem(truncated), "cut at " + cut);
      } else {
        assertNotNull(GuardedPduReader.deliverSmProblem(truncated), "cut at " + cut);
      }
    }
  }

  @Test
  void overlongAddressAndOversizedLengthsAreFound() {
    byte[] longAddress = pdu(0x05, 1, ("\0\1\1" + "1".repeat(30) + "\0").getBytes(
        StandardCharsets.US_ASCII));
    assertTrue(GuardedPduReader.deliverSmProblem(longAddress).contains("source_addr"));
    byte[] whole = deliverSm();
    byte[] bigSm = whole.clone();
    bigSm[whole.length - 8] = (byte) 200; // sm_length
    assertTrue(GuardedPduReader.deliverSmProblem(bigSm).contains("sm_length"));
    byte[] bigTlv = whole.clone();
    bigTlv[whole.length - 2] = 0x09; // TLV length 9, 1 octet left
    assertTrue(GuardedPduReader.deliverSmProblem(bigTlv).contains("TLV"));
  }

  @Test
  void malformedDeliverSmIsReplacedByOneJsmppDecodesWithTheReason() throws Exception {
    byte[] bad = pdu(0x05, 42, new byte[] {0, 1});
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bad));
    GuardedPduReader reader = new GuardedPduReader();
    Command header = reader.readPDUHeader(in);
    byte[] replaced = reader.readPDU(in, header);
    assertEquals(replaced.length, header.getCommandLength());
    DeliverSm sm = new DefaultDecomposer().deliverSm(replaced);
    assertEquals(42, sm.getSequenceNumber());
    OptionalParameter reason = sm.getOptionalParameter(GuardedPduReader.MALFORMED_TAG);
    assertEquals("body ends before its fixed fields", new String(
        ((OptionalParameter.OctetString) reason).getValue(), StandardCharsets.US_ASCII));
  }

  @Test
  void otherPdusAndGoodDeliverSmPassUnchanged() throws Exception {
    byte[] good = deliverSm();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(good));
    GuardedPduReader reader = new GuardedPduReader();
    Command header = reader.readPDUHeader(in);
    assertTrue(Arrays.equals(good, reader.readPDU(in, header)));
  }
}

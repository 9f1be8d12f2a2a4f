package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.ipsmgw.subscriber.MoPart;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.OptionalParameters;
import org.jsmpp.extra.ProcessRequestException;
import org.junit.jupiter.api.Test;

/** Reading MO deliver_sm: every concatenation form, every accepted data_coding, every refusal. */
class MoDecoderTest {
  private static final Instant AT = Instant.parse("2026-11-24T12:00:00Z");
  private final MoDecoder unpacked = new MoDecoder(false);

  private static DeliverSm sm(int esm, int dcs, byte[] shortMessage, OptionalParameter... tlvs) {
    DeliverSm sm = new DeliverSm();
    sm.setSourceAddr("447700900777");
    sm.setDestAddress("447700900555");
    sm.setEsmClass((byte) esm);
    sm.setDataCoding((byte) dcs);
    sm.setShortMessage(shortMessage);
    sm.setOptionalParameters(tlvs);
    return sm;
  }

  private static byte[] concat(byte[] udh, byte[] text) {
    byte[] out = new byte[udh.length + text.length];
    System.arraycopy(udh, 0, out, 0, udh.length);
    System.arraycopy(text, 0, out, udh.length, text.length);
    return out;
  }

  @Test
  void singleGsmSmsIsPartOneOfOneWithE164Addresses() throws Exception {
    IncomingMo mo = unpacked.decode(sm(0, 0, Gsm7Alphabet.encode("YES €5")), AT);
    assertEquals("+447700900777", mo.sender());
    assertEquals("+447700900555", mo.recipient());
    assertEquals(new MoPart("single", 1, 1, "YES €5", AT), mo.part());
  }

  @Test
  void udhWithAn8BitReferenceGivesThePart() throws Exception {
    byte[] data = concat(UserDataHeader.concat(0x2A, 3, 2, false), Gsm7Alphabet.encode("middle"));
    MoPart part = unpacked.decode(sm(0x40, 0, data), AT).part();
    assertEquals(new MoPart("udh8:42", 3, 2, "middle", AT), part);
  }

  @Test
  void udhWithA16BitReferenceInUcs2GivesThePart() throws Exception {
    byte[] text = "Привет".getBytes(StandardCharsets.UTF_16BE);
    byte[] data = concat(UserDataHeader.concat(0x1234, 2, 1, true), text);
    MoPart part = unpacked.decode(sm(0x40, 8, data), AT).part();
    assertEquals(new MoPart("udh16:4660", 2, 1, "Привет", AT), part);
  }

  @Test
  void sarTlvsGiveThePart() throws Exception {
    MoPart part = unpacked.decode(sm(0, 0, Gsm7Alphabet.encode("tail"),
        OptionalParameters.newSarMsgRefNum((short) 300), OptionalParameters.newSarTotalSegments(2),
        OptionalParameters.newSarSegmentSeqnum(2)), AT).part();
    assertEquals(new MoPart("sar:300", 2, 2, "tail", AT), part);
  }

  @Test
  void messagePayloadCarriesAWholeLongText() throws Exception {
    String text = "long ".repeat(100);
    MoPart part = unpacked.decode(sm(0, 0, new byte[0], new OptionalParameter.OctetString(
        OptionalParameter.Tag.MESSAGE_PAYLOAD.code(), Gsm7Alphabet.encode(text))), AT).part();
    assertEquals(new MoPart("single", 1, 1, text, AT), part);
  }

  @Test
  void packedGsmAfterAUdhSkipsTheFillBit() throws Exception {
    byte[] udh = UserDataHeader.concat(7, 2, 1, false);
    byte[] packed = Gsm7Alphabet.pack(Gsm7Alphabet.encode("packed text"), 1);
    MoPart part = new MoDecoder(true).decode(sm(0x40, 0, concat(udh, packed)), AT).part();
    assertEquals("packed text", part.text());
    assertEquals(2, part.total());
  }

  @Test
  void asciiAndLatin1AreRead() throws Exception {
    assertEquals("plain`", unpacked.decode(sm(0, 1, "plain`".getBytes(
        StandardCharsets.US_ASCII)), AT).part().text());
    assertEquals("café", unpacked.decode(sm(0, 3, "café".getBytes(
        StandardCharsets.ISO_8859_1)), AT).part().text());
  }

  private void refused(int status, String reason, DeliverSm sm) {
    ProcessRequestException e = assertThrows(ProcessRequestException.class,
        () -> unpacked.decode(sm, AT));
    assertEquals(status, e.getErrorCode(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void unreadableInputIsRefusedWithItsStatus() {
    DeliverSm alpha = sm(0, 0, new byte[] {0x41});
    alpha.setSourceAddr("INFO");
    refused(SMPPConstant.STAT_ESME_RINVSRCADR, "INFO", alpha);
    DeliverSm shortCode = sm(0, 0, new byte[] {0x41});
    shortCode.setDestAddress("123");
    refused(SMPPConstant.STAT_ESME_RINVDSTADR, "123", shortCode);
    refused(SMPPConstant.STAT_ESME_RINVMSGLEN, "odd", sm(0, 8, new byte[] {0, 0x41, 0}));
    refused(SMPPConstant.STAT_ESME_RINVDCS, "0x04", sm(0, 4, new byte[] {1, 2}));
    refused(SMPPConstant.STAT_ESME_RINVMSGLEN, "user data header", sm(0x40, 0,
        new byte[] {0x05, 0x00, 0x03}));
    refused(SMPPConstant.STAT_ESME_RINVMSGLEN, "both", sm(0, 0, new byte[] {0x41},
        new OptionalParameter.OctetString(OptionalParameter.Tag.MESSAGE_PAYLOAD.code(),
            new byte[] {0x42})));
    refused(SMPPConstant.STAT_ESME_RINVMSGLEN, "message_payload", sm(0, 0, new byte[0],
        new OptionalParameter.OctetString(OptionalParameter.Tag.MESSAGE_PAYLOAD.code(),
            new byte[MoDecoder.MAX_PAYLOAD_OCTETS + 1])));
    refused(SMPPConstant.STAT_ESME_RMISSINGTLV, "together", sm(0, 0, new byte[] {0x41},
        OptionalParameters.newSarMsgRefNum((short) 1)));
    refused(SMPPConstant.STAT_ESME_RINVTLVVAL, "out of range", sm(0, 0, new byte[] {0x41},
        OptionalParameters.newSarMsgRefNum((short) 1), OptionalParameters.newSarTotalSegments(2),
        OptionalParameters.newSarSegmentSeqnum(3)));
  }
}

package org.ipsmgw.sms;

import java.time.Instant;
import java.util.Optional;
import org.ipsmgw.subscriber.MoPart;
import org.ipsmgw.subscriber.Msisdn;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;

/**
 * Reads an MO deliver_sm into an {@link IncomingMo}: addresses normalised to E.164, concatenation
 * taken from a UDH (IEI 0x00 / 0x08) or the sar_* TLVs, the text from short_message or
 * message_payload decoded by data_coding. What cannot be read is refused with the SMPP status
 * that tells the SMSC why, and never half-delivered.
 */
final class MoDecoder {
  /** The most one SMS can carry in message_payload: 255 parts of 140 octets. */
  static final int MAX_PAYLOAD_OCTETS = 255 * 140;
  private static final int MAX_SHORT_MESSAGE_OCTETS = 254;
  private static final int ESM_UDHI = 0x40;
  private static final String SINGLE = "single";

  private final boolean gsm7Packed;

  MoDecoder(boolean gsm7Packed) {
    this.gsm7Packed = gsm7Packed;
  }

  IncomingMo decode(DeliverSm sm, Instant receivedAt) throws ProcessRequestException {
    OptionalParameter malformed = sm.getOptionalParameter(GuardedPduReader.MALFORMED_TAG);
    if (malformed != null) {
      throw refuse(SMPPConstant.STAT_ESME_RINVCMDLEN, "malformed deliver_sm: "
          + new String(((OptionalParameter.OctetString) malformed).getValue(),
              java.nio.charset.StandardCharsets.US_ASCII));
    }
    String sender = Msisdn.normalise(sm.getSourceAddr()).orElseThrow(() -> refuse(
        SMPPConstant.STAT_ESME_RINVSRCADR,
        "source_addr '" + sm.getSourceAddr() + "' is not an E.164 number"));
    String recipient = Msisdn.normalise(sm.getDestAddress()).orElseThrow(() -> refuse(
        SMPPConstant.STAT_ESME_RINVDSTADR,
        "destination_addr '" + sm.getDestAddress() + "' is not an E.164 number"));
    byte[] data = userData(sm);
    int offset = 0;
    int fillBits = 0;
    Optional<MoPart> concat;
    if ((sm.getEsmClass() & ESM_UDHI) != 0) {
      try {
        offset = UserDataHeader.headerLength(data);
        if (offset > data.length) {
          throw new IllegalArgumentException("UDH length " + offset + " exceeds the "
              + data.length + " octets of user data");
        }
        concat = UserDataHeader.findConcat(data).map(c -> new MoPart(
            (c.sixteenBit() ? "udh16:" : "udh8:") + c.reference(), c.total(), c.seq(), "",
            receivedAt));
      } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
        throw refuse(SMPPConstant.STAT_ESME_RINVMSGLEN, "malformed user data header: "
            + e.getMessage());
      }
      fillBits = gsm7Packed ? (7 - (offset * 8) % 7) % 7 : 0;
    } else {
      concat = sarConcat(sm, receivedAt);
    }
    String text;
    try {
      text = SmsTextDecoder.decode(sm.getDataCoding() & 0xFF, data, offset, data.length - offset,
          gsm7Packed, fillBits);
    } catch (IllegalArgumentException e) {
      boolean coding = String.valueOf(e.getMessage()).contains("data_coding");
      throw refuse(coding ? SMPPConstant.STAT_ESME_RINVDCS : SMPPConstant.STAT_ESME_RINVMSGLEN,
          "cannot decode the text: " + e.getMessage());
    }
    MoPart part = concat.filter(c -> c.total() > 1)
        .orElse(new MoPart(SINGLE, 1, 1, "", receivedAt));
    return new IncomingMo(sender, recipient,
        new MoPart(part.reference(), part.total(), part.seq(), text, receivedAt));
  }

  private static byte[] userData(DeliverSm sm) throws ProcessRequestException {
    byte[] shortMessage = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
    OptionalParameter payload = sm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
    if (shortMessage.length > MAX_SHORT_MESSAGE_OCTETS) {
      throw refuse(SMPPConstant.STAT_ESME_RINVMSGLEN, "short_message of " + shortMessage.length
          + " octets exceeds " + MAX_SHORT_MESSAGE_OCTETS);
    }
    if (payload == null) {
      return shortMessage;
    }
    if (shortMessage.length > 0) {
      throw refuse(SMPPConstant.STAT_ESME_RINVMSGLEN,
          "short_message and message_payload are both present");
    }
    byte[] value = ((OptionalParameter.OctetString) payload).getValue();
    if (value.length > MAX_PAYLOAD_OCTETS) {
      throw refuse(SMPPConstant.STAT_ESME_RINVMSGLEN, "message_payload of " + value.length
          + " octets exceeds " + MAX_PAYLOAD_OCTETS);
    }
    return value;
  }

  private static Optional<MoPart> sarConcat(DeliverSm sm, Instant receivedAt)
      throws ProcessRequestException {
    OptionalParameter ref = sm.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM);
    OptionalParameter total = sm.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS);
    OptionalParameter seq = sm.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM);
    if (ref == null && total == null && seq == null) {
      return Optional.empty();
    }
    if (ref == null || total == null || seq == null) {
      throw refuse(SMPPConstant.STAT_ESME_RMISSINGTLV,
          "sar_msg_ref_num, sar_total_segments and sar_segment_seqnum must come together");
    }
    int reference = ((OptionalParameter.Short) ref).getValue() & 0xFFFF;
    int count = ((OptionalParameter.Byte) total).getValue() & 0xFF;
    int number = ((OptionalParameter.Byte) seq).getValue() & 0xFF;
    if (count == 0 || number == 0 || number > count) {
      throw refuse(SMPPConstant.STAT_ESME_RINVTLVVAL,
          "sar segment " + number + " of " + count + " is out of range");
    }
    // "sar:" keeps SAR references apart from UDH ones of the same number.
    return Optional.of(new MoPart("sar:" + reference, count, number, "", receivedAt));
  }

  static ProcessRequestException refuse(int status, String why) {
    return new ProcessRequestException(why, status);
  }
}

package org.ipsmgw.cpim;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ipsmgw.session.ReceiptRequest;

/** The CPIM messages the gateway sends, and what a received one asks of it. */
public final class CpimMessages {
  private static final String NS_IMDN = "imdn <" + CpimMessage.IMDN_NS + ">";

  private CpimMessages() {}

  /**
   * An SMS user's text for the CPM user (23.204 §6.14): From {@code <tel:+E164>}, DateTime of the
   * SMS, a new imdn.Message-ID.
   */
  public static CpimMessage chat(String fromMsisdn, String toUri, OffsetDateTime sentAt,
      String imdnMessageId, String text) {
    List<Map.Entry<String, String>> h = new ArrayList<>(List.of(
        CpimCodec.header("From", "<tel:" + fromMsisdn + ">"),
        CpimCodec.header("To", "<" + toUri + ">"),
        CpimCodec.header("DateTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(sentAt)),
        CpimCodec.header("NS", NS_IMDN),
        CpimCodec.header("imdn.Message-ID", imdnMessageId)));
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return new CpimMessage(h, List.of(
        CpimCodec.header("Content-Type", "text/plain;charset=UTF-8"),
        CpimCodec.header("Content-Length", String.valueOf(body.length))), body);
  }

  /** An IMDN about one of the CPM user's messages, sent on the SMS user's behalf. */
  public static CpimMessage notification(String fromMsisdn, String toUri,
      OffsetDateTime now, String imdnMessageId, Imdn imdn) {
    byte[] body = ImdnXml.write(imdn).getBytes(StandardCharsets.UTF_8);
    return new CpimMessage(List.of(
        CpimCodec.header("From", "<tel:" + fromMsisdn + ">"),
        CpimCodec.header("To", "<" + toUri + ">"),
        CpimCodec.header("DateTime", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now)),
        CpimCodec.header("NS", NS_IMDN),
        CpimCodec.header("imdn.Message-ID", imdnMessageId)), List.of(
        CpimCodec.header("Content-Type", ImdnXml.CONTENT_TYPE),
        CpimCodec.header("Content-Disposition", "notification"),
        CpimCodec.header("Content-Length", String.valueOf(body.length))), body);
  }

  /**
   * Which delivery receipts the sender's Disposition-Notification asks of the SMSC: a positive one
   * needs receipts either way (0x01), a negative-only one failures only (0x02).
   */
  public static ReceiptRequest receiptRequest(CpimMessage m) {
    Set<String> asked = m.dispositionNotification();
    if (asked.contains("positive-delivery")) {
      return ReceiptRequest.SUCCESS_AND_FAILURE;
    }
    return asked.contains("negative-delivery") ? ReceiptRequest.FAILURE_ONLY
        : ReceiptRequest.NONE;
  }

  /** The sender asked to learn that the recipient is on SMS (OMA CPM interworking request). */
  public static boolean wantsInterworkingNotice(CpimMessage m) {
    return m.dispositionNotification().contains("interworking");
  }
}

package org.ipsmgw.cpim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Set;
import org.ipsmgw.session.ReceiptRequest;
import org.junit.jupiter.api.Test;

/** message/cpim as RCS clients send it, and as the gateway builds it. */
class CpimTest {
  private static final String FROM_CLIENT = "From: <sip:+447700900555@ims.example>\r\n"
      + "To: <tel:+447700900777>\r\n"
      + "DateTime: 2026-11-24T10:24:11.270+00:00\r\n"
      + "NS: imdn <urn:ietf:params:imdn>\r\n"
      + "imdn.Message-ID: Msg-7Fa9\r\n"
      + "imdn.Disposition-Notification: positive-delivery, display\r\n"
      + "\r\n"
      + "Content-Type: text/plain;charset=UTF-8\r\n"
      + "Content-Length: 12\r\n"
      + "\r\n"
      + "Grüße 😀";

  @Test
  void readsAClientMessage() {
    CpimMessage m = CpimCodec.parse(FROM_CLIENT.getBytes(StandardCharsets.UTF_8));
    assertEquals("<sip:+447700900555@ims.example>", m.header("From").orElseThrow());
    assertEquals("text/plain", m.contentType());
    assertEquals("Grüße 😀", m.bodyText());
    assertEquals("Msg-7Fa9", m.imdnMessageId().orElseThrow());
    assertEquals(Set.of("positive-delivery", "display"), m.dispositionNotification());
    assertEquals(ReceiptRequest.SUCCESS_AND_FAILURE, CpimMessages.receiptRequest(m));
  }

  @Test
  void anyImdnPrefixIsHonoured() {
    String other = FROM_CLIENT.replace("NS: imdn <", "NS: x <").replace("imdn.", "x.")
        .replace("positive-delivery, display", "negative-delivery;x=1");
    CpimMessage m = CpimCodec.parse(other.getBytes(StandardCharsets.UTF_8));
    assertEquals("Msg-7Fa9", m.imdnMessageId().orElseThrow());
    assertEquals(ReceiptRequest.FAILURE_ONLY, CpimMessages.receiptRequest(m));
  }

  @Test
  void headerNamesAreCaseSensitiveAsRfc3862Says() {
    CpimMessage m = CpimCodec.parse(FROM_CLIENT.replace("imdn.Message-ID", "imdn.message-id")
        .getBytes(StandardCharsets.UTF_8));
    assertTrue(m.imdnMessageId().isEmpty());
  }

  @Test
  void noNamespaceMeansNoNotifications() {
    CpimMessage m = CpimCodec.parse(("From: <tel:+1>\r\n\r\nContent-Type: text/plain\r\n\r\nhi")
        .getBytes(StandardCharsets.UTF_8));
    assertNull(m.imdnPrefix());
    assertEquals(ReceiptRequest.NONE, CpimMessages.receiptRequest(m));
    assertEquals("hi", m.bodyText(), "no Content-Length: the rest is the body");
  }

  @Test
  void bareLineFeedsAreTolerated() {
    CpimMessage m = CpimCodec.parse(FROM_CLIENT.replace("\r\n", "\n")
        .getBytes(StandardCharsets.UTF_8));
    assertEquals("Grüße 😀", m.bodyText());
  }

  @Test
  void brokenCpimIsRefusedWithAReason() {
    IllegalArgumentException noEnd = assertThrows(IllegalArgumentException.class,
        () -> CpimCodec.parse("From: <tel:+1>\r\n".getBytes(StandardCharsets.UTF_8)));
    assertTrue(noEnd.getMessage().contains("empty line"), noEnd.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CpimCodec.parse(
        "no colon here\r\n\r\n\r\n".getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class, () -> CpimCodec.parse(
        "From: <tel:+1>\r\n\r\nContent-Length: 99\r\n\r\nshort".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aRefusalQuotesThePeersLineEscapedAndCutShort() {
    String line = "secret chat text without a colon ".repeat(200) + "\u0007";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CpimCodec.parse((line + "\r\n\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().length() < 200, e.getMessage());
    assertTrue(e.getMessage().contains("secret chat text") && e.getMessage().contains("…"),
        e.getMessage());
  }

  @Test
  void gatewayChatMessageCarriesTelFromDateTimeAndMessageId() {
    CpimMessage m = CpimMessages.chat("+447700900777", "sip:+447700900555@ims.example",
        OffsetDateTime.parse("2026-11-24T12:00:05Z"), "gw-1", "Yes, I'm here");
    byte[] wire = CpimCodec.write(m);
    CpimMessage back = CpimCodec.parse(wire);
    assertEquals(m, back);
    assertEquals("<tel:+447700900777>", back.header("From").orElseThrow());
    assertEquals("2026-11-24T12:00:05Z", back.header("DateTime").orElseThrow());
    assertEquals("gw-1", back.imdnMessageId().orElseThrow());
    assertEquals("Yes, I'm here", back.bodyText());
  }

  @Test
  void gatewayNotificationIsAnImdnDocument() {
    Imdn delivered = new Imdn("Msg-7Fa9", "2026-11-24T10:24:11.270+00:00", "tel:+447700900777",
        Imdn.Kind.DELIVERY, "delivered");
    CpimMessage m = CpimMessages.notification("+447700900777", "sip:+447700900555@ims.example",
        OffsetDateTime.parse("2026-11-24T12:00:06Z"), "gw-2", delivered);
    CpimMessage back = CpimCodec.parse(CpimCodec.write(m));
    assertEquals(ImdnXml.CONTENT_TYPE, back.contentType());
    assertEquals("notification", back.contentHeader("Content-Disposition").orElseThrow());
    assertEquals(delivered, ImdnXml.parse(back.bodyText()));
  }

  @Test
  void isComposingIsRecognisedAndNeverBecomesSms() {
    assertTrue(MessageTypes.isComposing("application/im-iscomposing+xml; charset=utf-8"));
    assertFalse(MessageTypes.becomesSms("application/im-iscomposing+xml"));
    assertTrue(MessageTypes.becomesSms("text/plain;charset=UTF-8"));
    assertFalse(MessageTypes.becomesSms(MessageTypes.SMS_OVER_IP));
  }
}

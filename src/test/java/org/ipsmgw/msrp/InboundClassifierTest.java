package org.ipsmgw.msrp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ipsmgw.session.ReceiptRequest;
import org.ipsmgw.session.Refusal;
import org.junit.jupiter.api.Test;

/**
 * What a complete inbound message is: text (bare or in CPIM) becomes a chat message with its
 * IMDN id, receipt request and interworking wish; isComposing and IMDNs are consumed; any other
 * type is 415, unreadable CPIM 400, a text over the SMS limit 413, each with the status and wire
 * comment the MSRP edge has always answered with.
 */
class InboundClassifierTest {
  private static final String TOO_LONG = "Message too long for SMS (11 parts, at most 10)";

  /** Texts the limit was asked about; "long" texts are over it. */
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final InboundClassifier classifier = new InboundClassifier(text -> {
    asked.add(text);
    return text.startsWith("long") ? Optional.of(new Refusal(413, TOO_LONG)) : Optional.empty();
  });

  private static MessageAssembler.Complete message(String contentType, String body) {
    return new MessageAssembler.Complete("msrp-1", contentType,
        body.getBytes(StandardCharsets.UTF_8), new ReportFlags(false, "yes"));
  }

  private static String cpim(String imdnHeaders, String contentType, String body) {
    return "From: <sip:+447700900555@ims.example>\r\nTo: <tel:+447700900777>\r\n"
        + "DateTime: 2026-11-24T12:00:00Z\r\n" + imdnHeaders + "\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "\r\n" + body;
  }

  private static final String NS = "NS: imdn <urn:ietf:params:imdn>\r\n";

  private InboundMessage classify(String contentType, String body) {
    return classifier.classify(message(contentType, body));
  }

  @Test
  void cpimTextIsAChatMessageWithItsImdnIdAndReceiptRequest() {
    InboundMessage m = classify("message/cpim", cpim(NS + "imdn.Message-ID: imdn-7\r\n"
        + "imdn.Disposition-Notification: positive-delivery, display\r\n",
        "text/plain;charset=UTF-8", "Grüße 😀"));
    assertEquals(new InboundMessage.ChatText("Grüße 😀", "imdn-7",
        ReceiptRequest.SUCCESS_AND_FAILURE, false), m);
    assertEquals(List.of("Grüße 😀"), asked, "the limit counts the text, not the envelope");
  }

  @Test
  void negativeDeliveryAsksForFailuresOnly() {
    InboundMessage m = classify("Message/CPIM", cpim(NS + "imdn.Message-ID: imdn-8\r\n"
        + "imdn.Disposition-Notification: negative-delivery\r\n", "text/plain", "hi"));
    assertEquals(new InboundMessage.ChatText("hi", "imdn-8", ReceiptRequest.FAILURE_ONLY,
        false), m);
  }

  @Test
  void cpimWithoutAnImdnIdIsKnownByItsMsrpMessageId() {
    InboundMessage m = classify("message/cpim", cpim("", "text/plain", "no ids"));
    assertEquals(new InboundMessage.ChatText("no ids", "msrp-1", ReceiptRequest.NONE, false), m);
  }

  @Test
  void anInterworkingRequestIsKeptOnlyWithAnImdnIdToName() {
    String asks = "imdn.Disposition-Notification: display, interworking\r\n";
    InboundMessage with = classify("message/cpim",
        cpim(NS + "imdn.Message-ID: imdn-iw\r\n" + asks, "text/plain", "where?"));
    assertEquals(new InboundMessage.ChatText("where?", "imdn-iw", ReceiptRequest.NONE, true),
        with);
    InboundMessage without = classify("message/cpim", cpim(NS + asks, "text/plain", "where?"));
    assertEquals(new InboundMessage.ChatText("where?", "msrp-1", ReceiptRequest.NONE, false),
        without);
  }

  @Test
  void bareTextIsAChatMessageWithoutReceipts() {
    assertEquals(new InboundMessage.ChatText("plain", "msrp-1", ReceiptRequest.NONE, false),
        classify("text/plain; charset=UTF-8", "plain"));
  }

  @Test
  void isComposingBareOrInCpimIsConsumed() {
    String xml = "<?xml version='1.0'?><isComposing xmlns='urn:ietf:params:xml:ns:im-iscomposing'>"
        + "<state>active</state></isComposing>";
    assertEquals(new InboundMessage.Composing(),
        classify("application/im-iscomposing+xml", xml));
    assertEquals(new InboundMessage.Composing(), classify("message/cpim",
        cpim("", "application/im-iscomposing+xml", xml)));
    assertTrue(asked.isEmpty(), "nothing to count");
  }

  @Test
  void anImdnFromTheCpmSideIsConsumed() {
    String imdn = "<?xml version='1.0'?><imdn xmlns='urn:ietf:params:xml:ns:imdn'>"
        + "<message-id>sms-1</message-id><display-notification><status><displayed/></status>"
        + "</display-notification></imdn>";
    assertEquals(new InboundMessage.Notification(), classify("message/cpim",
        cpim(NS + "imdn.Message-ID: n-1\r\n", "message/imdn+xml", imdn)));
    assertTrue(asked.isEmpty(), "an IMDN never becomes an SMS");
  }

  @Test
  void otherTypesAre415BareOrInCpimOrUntyped() {
    for (InboundMessage m : List.of(classify("image/png", "\u0001\u0002"),
        classify("message/cpim", cpim("", "image/jpeg", "jpeg")),
        classify("message/cpim", cpim("", null, "what is it?")),
        classify("", "no type"),
        classify("application/vnd.3gpp.sms", "sms over ip"))) {
      InboundMessage.Unsupported u = assertInstanceOf(InboundMessage.Unsupported.class, m);
      assertEquals(415, u.status());
      assertEquals("Unsupported media type", MsrpStatus.comment(u.status()));
    }
    assertEquals("unsupported type 'image/png'",
        ((InboundMessage.Refused) classify("Image/PNG", "x")).reason());
    assertTrue(asked.isEmpty());
  }

  @Test
  void unreadableCpimIs400() {
    InboundMessage m = classify("message/cpim", "From: <tel:+1>\r\nno empty line ends these");
    InboundMessage.BadCpim bad = assertInstanceOf(InboundMessage.BadCpim.class, m);
    assertEquals(400, bad.status());
    assertEquals("Unintelligible", MsrpStatus.comment(bad.status()));
    assertEquals("bad CPIM: CPIM message headers do not end with an empty line", bad.reason());
    InboundMessage length = classify("message/cpim", "From: <tel:+1>\r\n\r\n"
        + "Content-Type: text/plain\r\nContent-Length: 99\r\n\r\nshort");
    assertEquals(400, assertInstanceOf(InboundMessage.BadCpim.class, length).status());
  }

  @Test
  void aTextOverTheSmsLimitIs413WithTheLimitsReason() {
    for (InboundMessage m : List.of(classify("text/plain", "long bare text"),
        classify("message/cpim", cpim(NS + "imdn.Message-ID: i\r\n", "text/plain",
            "long cpim text")))) {
      InboundMessage.TooLong t = assertInstanceOf(InboundMessage.TooLong.class, m);
      assertEquals(413, t.status());
      assertEquals("Message too large", MsrpStatus.comment(t.status()));
      assertEquals(TOO_LONG, t.reason());
    }
    assertEquals(List.of("long bare text", "long cpim text"), asked);
  }
}

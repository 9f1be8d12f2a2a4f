package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import javax.sip.SipFactory;
import javax.sip.header.ContentLengthHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import org.junit.jupiter.api.Test;

/** The CPM client's request text, as the RI's message factory reads it. */
class SipRequestTextTest {
  private static Request parse(String text) throws Exception {
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    return factory.createMessageFactory().createRequest(text);
  }

  @Test
  void aBodyIsCountedInUtf8OctetsWithItsContentType() throws Exception {
    String text = SipRequestText.start("MESSAGE", "sip:+447700900777@127.0.0.1:5060", "udp",
        "127.0.0.1:5070", "c1@127.0.0.1", "<sip:+447700900555@127.0.0.1>;tag=t1",
        "<tel:+447700900777>", 3).header("Conversation-ID", "conv-1")
        .body("text/plain", "Καλημέρα 🍕");
    Request r = parse(text);
    assertEquals("Καλημέρα 🍕".getBytes(StandardCharsets.UTF_8).length,
        ((ContentLengthHeader) r.getHeader(ContentLengthHeader.NAME)).getContentLength());
    assertEquals("Καλημέρα 🍕", new String(r.getRawContent(), StandardCharsets.UTF_8));
    ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
    assertEquals("UDP", via.getTransport());
    assertTrue(via.getBranch().startsWith("z9hG4bK"), via.getBranch());
    assertTrue(text.contains("\r\nConversation-ID: conv-1\r\n"), text);
  }

  @Test
  void noBodyMeansNoContentTypeAndLengthZero() throws Exception {
    String text = SipRequestText.start("ACK", "sip:gw@127.0.0.1", "tcp", "127.0.0.1:5070",
        "c2@127.0.0.1", "<sip:a@127.0.0.1>;tag=t", "<tel:+447700900777>;tag=u", 1)
        .lines(null).body("application/sdp", null);
    assertFalse(text.contains("Content-Type"), text);
    assertTrue(text.endsWith("Content-Length: 0\r\n\r\n"), text);
    assertEquals(Request.ACK, parse(text).getMethod());
  }
}

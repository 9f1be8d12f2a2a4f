package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import javax.sip.SipFactory;
import javax.sip.message.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behind the SIP front: a chat's ACK and BYE carry the 200's Record-Route as their route set
 * (reversed, RFC 3261 §12.1.2), and {@code load.sip-port} takes the three nodes' ports when there
 * is no front.
 */
class SipRoutesTest {
  private static Response ok(String recordRoutes) throws Exception {
    SipFactory f = SipFactory.getInstance();
    f.setPathName("gov.nist");
    String text = "SIP/2.0 200 OK\r\n"
        + "Via: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
        + recordRoutes
        + "From: <sip:+447710000001@127.0.0.1>;tag=a\r\n"
        + "To: <tel:+447720000001>;tag=b\r\n"
        + "Call-ID: c1@127.0.0.1\r\nCSeq: 1 INVITE\r\n"
        + "Contact: <sip:gw@127.0.0.1:5061;transport=tcp>\r\nContent-Length: 0\r\n\r\n";
    return f.createMessageFactory().createResponse(text);
  }

  @AfterEach
  void clear() {
    System.clearProperty("load.sip-port");
  }

  @Test
  void theRouteSetIsTheRecordRouteReversed() throws Exception {
    Response r = ok("Record-Route: <sip:127.0.0.1:5099;transport=tcp;r2=on;lr>\r\n"
        + "Record-Route: <sip:127.0.0.1:5099;r2=on;lr>\r\n");
    assertEquals("Route: <sip:127.0.0.1:5099;r2=on;lr>\r\n"
        + "Route: <sip:127.0.0.1:5099;transport=tcp;r2=on;lr>\r\n", SipUa.routeSet(r));
  }

  @Test
  void withoutAProxyThereIsNoRoute() throws Exception {
    assertEquals("", SipUa.routeSet(ok("")));
  }

  @Test
  void theSipPortIsOneOrSeveral() {
    assertEquals(List.of(5060), LoadConfig.fromSystemProperties().sipPorts());
    System.setProperty("load.sip-port", "5061, 5062,5063");
    assertEquals(List.of(5061, 5062, 5063), LoadConfig.fromSystemProperties().sipPorts());
    System.setProperty("load.sip-port", "5061,x");
    assertThrows(IllegalArgumentException.class, LoadConfig::fromSystemProperties);
    System.setProperty("load.sip-port", "70000");
    assertThrows(IllegalArgumentException.class, LoadConfig::fromSystemProperties);
  }
}

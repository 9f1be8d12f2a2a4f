package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The cpm-client command line: defaults, the gateway's host and port, help, bad values. */
class CpmClientOptionsTest {
  @Test
  void defaultsAreTheLocalGatewayAndTheDemoUser() {
    assertEquals(new CpmClientOptions("127.0.0.1:5060", "127.0.0.1", 5060, "127.0.0.1", 5070,
        "+447700900555", false), CpmClientOptions.parse(new String[0]));
  }

  @Test
  void theGatewayIsSplitAtItsLastColon() {
    CpmClientOptions o = CpmClientOptions.parse(new String[] {"--gateway", "10.0.0.7:5080",
        "--port", "5099", "--msisdn", "+447700900999"});
    assertEquals("10.0.0.7", o.gatewayHost());
    assertEquals(5080, o.gatewayPort());
    assertEquals(5099, o.port());
    assertEquals("+447700900999", o.msisdn());
  }

  @Test
  void helpStopsReadingTheRest() {
    assertTrue(CpmClientOptions.parse(new String[] {"--gateway", "nowhere", "--help"}).help());
  }

  @Test
  void aBadGatewayOrAMissingValueNamesTheOption() {
    assertEquals("--gateway must be host:port", assertThrows(IllegalArgumentException.class,
        () -> CpmClientOptions.parse(new String[] {"--gateway", "nowhere"})).getMessage());
    assertEquals("--gateway must be host:port with a port 1-65535, got 'h:0'",
        assertThrows(OptionValues.BadValue.class,
            () -> CpmClientOptions.parse(new String[] {"--gateway", "h:0"})).getMessage());
    assertEquals("--msisdn needs a value", assertThrows(IllegalArgumentException.class,
        () -> CpmClientOptions.parse(new String[] {"--msisdn"})).getMessage());
  }
}

package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import org.ipsmgw.TestPorts;
import org.junit.jupiter.api.Test;

/**
 * A SIP port another process holds stops the gateway's start at once, with one message naming
 * the transport and the address, over TCP as over UDP.
 */
class SipPortInUseIT {
  private static SipGateway gateway(int port) {
    return new SipGateway(new SipSettings("127.0.0.1", port, Set.of(), false, true), "127.0.0.1",
        9, null, id -> null, id -> null, id -> null, null, Clock.systemUTC(),
        new SimpleMeterRegistry());
  }

  private static void assertRefusedAtOnce(int port, String expected) {
    SipGateway gateway = gateway(port);
    long start = System.nanoTime();
    Exception e = assertThrows(Exception.class, gateway::start);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    gateway.stop();
    assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "refused after " + took);
    assertEquals(expected, e.getMessage());
  }

  @Test
  void aTakenTcpPortIsNamedWithinTwoSeconds() throws Exception {
    int port = TestPorts.free();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", port));
      assertRefusedAtOnce(port, "TCP 127.0.0.1:" + port + " is already in use");
    }
  }

  @Test
  void aTakenUdpPortIsNamedWithinTwoSeconds() throws Exception {
    int port = TestPorts.free();
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
      assertRefusedAtOnce(port, "UDP 127.0.0.1:" + port + " is already in use");
    }
  }
}

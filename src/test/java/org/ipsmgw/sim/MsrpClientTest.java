package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The test clients' MSRP side over a real loopback TCP connection: a wait for a response ends
 * as soon as the peer has closed the connection (as a phone learns it from its TCP stack), not
 * after the whole timeout. FailoverIT saw why: a SEND in flight when its node was killed held
 * its chat's pump for the 8 s timeout and counted against the failover time.
 */
class MsrpClientTest {

  @Test
  void aWaitForAResponseEndsWhenThePeerClosesTheConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        MsrpClient client = new MsrpClient("127.0.0.1", server.getLocalPort(),
            "msrp://127.0.0.1:9/client;tcp")) {
      try (Socket peer = server.accept()) {
        // Closed at once, with the client waiting.
      }
      AssertionError e = assertThrows(AssertionError.class,
          () -> client.responseTo("t1", Duration.ofSeconds(30)));
      assertTrue(e.getMessage().contains("connection closed before a response to t1"),
          e.getMessage());
    }
  }
}

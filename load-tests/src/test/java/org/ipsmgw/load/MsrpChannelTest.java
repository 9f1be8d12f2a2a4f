package org.ipsmgw.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The channel against a hand-driven MSRP peer on a loopback socket. */
class MsrpChannelTest {
  private static final String OURS = "msrp://127.0.0.1:9/c1;tcp";
  private static final String GW = "msrp://127.0.0.1:2855/gw;tcp";

  @Test
  void sendsAreAnsweredByTransactionIdAndTheGatewaysSendsGet200() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      LinkedBlockingQueue<MsrpFrame> toClient = new LinkedBlockingQueue<>();
      MsrpChannel channel = new MsrpChannel("127.0.0.1", server.getLocalPort(), OURS,
          toClient::add);
      try (Socket peer = server.accept()) {
        MsrpReader fromClient = new MsrpReader(new BufferedInputStream(peer.getInputStream()));
        OutputStream out = peer.getOutputStream();
        var first = channel.send("t1", MsrpFrame.send("t1", GW, OURS, "m1", "text/plain",
            "one".getBytes(StandardCharsets.UTF_8)), 5000);
        var second = channel.send("t2", MsrpFrame.send("t2", GW, OURS, "m2", "text/plain",
            "two".getBytes(StandardCharsets.UTF_8)), 5000);
        MsrpFrame a = fromClient.next();
        MsrpFrame b = fromClient.next();
        assertEquals("one", a.bodyText(), "sent in the order made");
        assertEquals("two", b.bodyText());
        // Answered out of order: each future gets its own transaction's status.
        out.write(("MSRP t2 413 Too big\r\nTo-Path: " + OURS + "\r\nFrom-Path: " + GW
            + "\r\n-------t2$\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(MsrpFrame.ok(a, GW));
        assertEquals(200, first.get(5, TimeUnit.SECONDS));
        assertEquals(413, second.get(5, TimeUnit.SECONDS));

        out.write(MsrpFrame.send("g1", OURS, GW, "gm1", "message/cpim",
            "tk-1-o-1".getBytes(StandardCharsets.UTF_8)));
        out.flush();
        MsrpFrame ok = fromClient.next();
        assertEquals(200, ok.status());
        assertEquals("g1", ok.transactionId());
        assertEquals("tk-1-o-1", toClient.poll(5, TimeUnit.SECONDS).bodyText());

        var unanswered = channel.send("t3", MsrpFrame.send("t3", GW, OURS, "m3", "text/plain",
            "three".getBytes(StandardCharsets.UTF_8)), 5000);
        fromClient.next();
        peer.close();
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> unanswered.get(5, TimeUnit.SECONDS), "a lost connection fails what waits");
        assertEquals(java.io.IOException.class, e.getCause().getClass());
      } finally {
        channel.close();
      }
    }
  }

  @Test
  void aSendNeverAnsweredTimesOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      MsrpChannel channel = new MsrpChannel("127.0.0.1", server.getLocalPort(), OURS, f -> { });
      try (Socket peer = server.accept()) {
        var f = channel.send("t1", MsrpFrame.send("t1", GW, OURS, "m1", "text/plain",
            "x".getBytes(StandardCharsets.UTF_8)), 100);
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> f.get(5, TimeUnit.SECONDS));
        assertEquals(java.util.concurrent.TimeoutException.class, e.getCause().getClass());
      } finally {
        channel.close();
      }
    }
  }
}

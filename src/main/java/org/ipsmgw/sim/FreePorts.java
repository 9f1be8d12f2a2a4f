package org.ipsmgw.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for the demo and the tests. A port is handed out only when it is free for
 * both TCP and UDP, because a SIP port is bound for both; and never twice in one JVM, because the
 * kernel may hand a just-closed ephemeral port out again, so two ports asked for one node could
 * otherwise coincide.
 */
public final class FreePorts {
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  /** A port free for TCP and UDP on {@code host} right now, not handed out before. */
  public static synchronized int free(InetAddress host) {
    while (true) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0, 1, host)) {
        port = tcp.getLocalPort();
        if (GIVEN.contains(port) || !udpFree(host, port)) {
          continue;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      GIVEN.add(port);
      return port;
    }
  }

  private static boolean udpFree(InetAddress host, int port) {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(host, port))) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }
}

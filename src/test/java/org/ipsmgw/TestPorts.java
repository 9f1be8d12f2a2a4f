package org.ipsmgw;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free loopback ports for tests. The kernel may hand a just-closed ephemeral port out again, so
 * two ports asked for one node could coincide; this never gives the same port twice in a JVM.
 */
public final class TestPorts {
  private static final Set<Integer> GIVEN = new HashSet<>();

  private TestPorts() {}

  public static synchronized int free() {
    while (true) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (GIVEN.add(s.getLocalPort())) {
          return s.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

package org.ipsmgw;

import java.net.InetAddress;
import org.ipsmgw.sim.FreePorts;

/**
 * Free loopback ports for tests: free for TCP and UDP (a SIP port is bound for both), never the
 * same port twice in a JVM.
 */
public final class TestPorts {
  private TestPorts() {}

  public static int free() {
    return FreePorts.free(InetAddress.getLoopbackAddress());
  }
}

package org.ipsmgw.load;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code FreePorts N}: prints N distinct loopback ports free for both TCP and UDP (the node's SIP
 * port takes both), for run.sh.
 */
public final class FreePorts {
  private FreePorts() {}

  public static void main(String[] args) throws IOException {
    int n = Integer.parseInt(args[0]);
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      while (ports.size() < n) {
        ServerSocket s = new ServerSocket(0, 1, lo);
        held.add(s);
        try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(lo, s.getLocalPort()))) {
          ports.add(s.getLocalPort());
        } catch (IOException udpTaken) {
          // Taken for UDP: keep it held so it is not offered again, try another.
        }
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    System.out.println(String.join(" ", ports.stream().map(String::valueOf).toList()));
  }
}

package org.ipsmgw.sip;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A SIP peer over UDP that is nothing but a socket: it sends the text it is given and reads
 * whatever comes, so it can misbehave (never ACK) where a SIP stack would not let it.
 */
final class RawSipUdp implements AutoCloseable {
  final DatagramSocket socket;

  RawSipUdp(String host) throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(host, 0));
  }

  String host() {
    return socket.getLocalAddress().getHostAddress();
  }

  int port() {
    return socket.getLocalPort();
  }

  void send(String text, int port) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(b, b.length, new InetSocketAddress("127.0.0.1", port)));
  }

  /** The next message, or an AssertionError when none comes within {@code timeout}. */
  String receive(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    DatagramPacket p = new DatagramPacket(new byte[65_535], 65_535);
    try {
      socket.receive(p);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no SIP message within " + timeout);
    }
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
  }

  /** The value of the first header of that name, or null. */
  static String header(String message, String name) {
    for (String line : message.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** A 200 to a request received, from its own Via, From, To, Call-ID and CSeq. */
  static String okTo(String request) {
    StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
    for (String line : request.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim() : "";
      if (name.equalsIgnoreCase("Via") || name.equalsIgnoreCase("From")
          || name.equalsIgnoreCase("To") || name.equalsIgnoreCase("Call-ID")
          || name.equalsIgnoreCase("CSeq")) {
        ok.append(line).append("\r\n");
      }
    }
    return ok.append("Content-Length: 0\r\n\r\n").toString();
  }

  @Override
  public void close() {
    socket.close();
  }
}

package org.ipsmgw.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.ipsmgw.EdgeNode;
import org.ipsmgw.session.RecordingPorts;
import org.junit.jupiter.api.Test;

/**
 * A node's bind against a hand-driven SMSC socket that sends what no library would: an unknown
 * command id and a deliver_sm whose body is cut short. Each gets an SMPP error status for its
 * sequence number, and the bind still answers enquire_link afterwards.
 */
class SmppMalformedPduIT {
  private static final int BIND_TRANSCEIVER = 0x09;
  private static final int GENERIC_NACK = 0x80000000;
  private static final int DELIVER_SM = 0x05;
  private static final int ENQUIRE_LINK = 0x15;
  private static final int RESP = 0x80000000;

  private record Pdu(int id, int status, int seq, byte[] body) {}

  @Test
  void malformedPdusGetAnErrorStatusAndTheBindSurvives() throws Exception {
    try (ServerSocket smsc = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      smsc.setSoTimeout(20_000);
      EdgeNode edges = startNode(smsc.getLocalPort());
      try (Socket s = smsc.accept()) {
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        Pdu bind = read(in);
        assertEquals(BIND_TRANSCEIVER, bind.id());
        write(out, BIND_TRANSCEIVER | RESP, 0, bind.seq(), cString("raw-smsc"));

        write(out, 0x00000077, 0, 100, new byte[0]);
        Pdu unknown = awaitSeq(in, 100);
        assertEquals(GENERIC_NACK, unknown.id());
        assertEquals(0x03, unknown.status(), "ESME_RINVCMDID");

        // service_type, then source_addr_ton and nothing more: the body ends mid-PDU.
        write(out, DELIVER_SM, 0, 101, new byte[] {0x00, 0x01});
        Pdu truncated = awaitSeq(in, 101);
        assertEquals(DELIVER_SM | RESP, truncated.id());
        assertEquals(0x02, truncated.status(), "ESME_RINVCMDLEN for a cut-short deliver_sm");

        write(out, ENQUIRE_LINK, 0, 102, new byte[0]);
        Pdu alive = awaitSeq(in, 102);
        assertEquals(ENQUIRE_LINK | RESP, alive.id());
        assertEquals(0, alive.status());
      } finally {
        edges.close();
      }
    }
  }

  /** A node bound to the SMSC the test plays on {@code smscPort}. */
  private static EdgeNode startNode(int smscPort) throws Exception {
    return EdgeNode.builder().noSimulator()
        .env(Map.of("IPSMGW_SMSC_PORT", String.valueOf(smscPort)))
        .ports(new RecordingPorts()::sipAndMsrp).start();
  }

  /** Reads PDUs until the one with this sequence number (the ESME may send its own first). */
  private static Pdu awaitSeq(DataInputStream in, int seq) throws IOException {
    while (true) {
      Pdu p = read(in);
      if (p.seq() == seq) {
        return p;
      }
    }
  }

  private static Pdu read(DataInputStream in) throws IOException {
    int length = in.readInt();
    int id = in.readInt();
    int status = in.readInt();
    int seq = in.readInt();
    byte[] body = new byte[length - 16];
    in.readFully(body);
    return new Pdu(id, status, seq, body);
  }

  private static void write(DataOutputStream out, int id, int status, int seq, byte[] body)
      throws IOException {
    out.writeInt(16 + body.length);
    out.writeInt(id);
    out.writeInt(status);
    out.writeInt(seq);
    out.write(body);
    out.flush();
  }

  private static byte[] cString(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    b.write(0);
    return b.toByteArray();
  }
}

package org.ipsmgw.sip;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Vector;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * The gateway's SDP, offer and answer alike (RFC 4975 §8, RFC 6135): MSRP media at this node's
 * endpoint, the chat's path, the types the gateway takes, and an explicit {@code a=setup} —
 * {@code actpass} in an offer; in an answer {@code passive} (the CPM client connects), or
 * {@code active} toward an offer that is passive.
 */
final class SdpBuilder {
  static final String ACCEPT_TYPES = "message/cpim text/plain application/im-iscomposing+xml";
  static final String ACCEPT_WRAPPED_TYPES = "text/plain message/imdn+xml";

  private final String host;
  private final int port;
  private final Clock clock;

  /**
   * @param host this node's MSRP host, for {@code c=} and {@code o=}
   * @param port this node's MSRP port, for {@code m=}
   */
  SdpBuilder(String host, int port, Clock clock) {
    this.host = host;
    this.port = port;
    this.clock = clock;
  }

  /** The offer of the gateway's INVITE or re-INVITE: the peer picks who connects. */
  String offer(String path, String msrpSessionId) {
    return build(path, msrpSessionId, "actpass");
  }

  /** The answer to an offer whose {@code a=setup} was {@code offeredSetup} ("actpass" if unknown). */
  String answer(String path, String msrpSessionId, String offeredSetup) {
    return build(path, msrpSessionId, "passive".equals(offeredSetup) ? "active" : "passive");
  }

  private String build(String path, String msrpSessionId, String setup) {
    try {
      SdpFactory f = SdpFactory.getInstance();
      SessionDescription sd = f.createSessionDescription();
      sd.setVersion(f.createVersion(0));
      sd.setOrigin(f.createOrigin("-", sessionId(msrpSessionId), version(), "IN", "IP4", host));
      sd.setSessionName(f.createSessionName("-"));
      sd.setConnection(f.createConnection("IN", "IP4", host));
      Vector<Object> times = new Vector<>();
      times.add(f.createTimeDescription());
      sd.setTimeDescriptions(times);
      MediaDescription m = f.createMediaDescription("message", port, 1, "TCP/MSRP",
          new String[] {"*"});
      m.setAttribute("path", path);
      m.setAttribute("accept-types", ACCEPT_TYPES);
      m.setAttribute("accept-wrapped-types", ACCEPT_WRAPPED_TYPES);
      m.setAttribute("setup", setup);
      m.setAttribute("sendrecv", null);
      Vector<Object> media = new Vector<>();
      media.add(m);
      sd.setMediaDescriptions(media);
      return sd.toString();
    } catch (SdpException e) {
      throw new IllegalStateException("cannot build the SDP", e);
    }
  }

  /**
   * One o= session id per chat (RFC 3264 §8), on every node: the chat is re-offered from
   * whichever node holds it after a failover, with no SDP state stored, so the id is derived from
   * what the chat does store — its MSRP session id, hashed to 63 bits so it fits the signed
   * 64-bit number RFC 3264 §5 asks for (and says nothing the a=path does not).
   */
  static long sessionId(String msrpSessionId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(msrpSessionId.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * The o= version grows with every SDP of the chat, from whichever node: tenths of seconds since
   * the epoch, like the CSeq of the gateway's requests, since no node knows the last version
   * another sent. It grows by more than the one RFC 3264 §8 names, which peers read as "changed";
   * it stays far below the 2^62 the first version must stay under (RFC 3264 §5).
   */
  private long version() {
    return clock.millis() / 100;
  }
}

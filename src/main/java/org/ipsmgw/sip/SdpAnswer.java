package org.ipsmgw.sip;

import java.util.Vector;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * The SDP answer of a 200 (RFC 4975 §8, RFC 6135): MSRP media at this node's endpoint, the path
 * with its unguessable session id, the types the gateway takes, and an explicit a=setup. The
 * gateway is passive (the CPM client connects), active only toward an offer that is passive.
 */
public final class SdpAnswer {
  public static final String ACCEPT_TYPES = "message/cpim text/plain application/im-iscomposing+xml";
  public static final String ACCEPT_WRAPPED_TYPES = "text/plain message/imdn+xml";

  private SdpAnswer() {}

  public static String build(String host, int port, String path, String offeredSetup) {
    try {
      SdpFactory f = SdpFactory.getInstance();
      SessionDescription sd = f.createSessionDescription();
      sd.setVersion(f.createVersion(0));
      sd.setOrigin(f.createOrigin("-", System.currentTimeMillis() / 1000,
          System.currentTimeMillis() / 1000, "IN", "IP4", host));
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
      m.setAttribute("setup", offeredSetup.equals("passive") ? "active" : "passive");
      m.setAttribute("sendrecv", null);
      Vector<Object> media = new Vector<>();
      media.add(m);
      sd.setMediaDescriptions(media);
      return sd.toString();
    } catch (SdpException e) {
      throw new IllegalStateException("cannot build the SDP answer", e);
    }
  }
}

package org.ipsmgw.msrp;

/**
 * All the SIP edge knows of MSRP: the path a chat's SDP names on this node, and the connection
 * this node opens toward a peer whose SDP says {@code a=setup:passive} (RFC 6135). The endpoint
 * implements it; the SIP edge reaches msrp/ through nothing else.
 */
public interface MsrpMedia {
  /** This node's MSRP path URI for the chat: the SDP's {@code a=path}. */
  String pathUri(String callId, String msrpSessionId);

  /**
   * Connects to the last hop of the peer's {@code a=path} and binds the connection to the chat.
   * A failure is the endpoint's to log; the chat waits for its media as for any peer.
   */
  void connect(String peerPath, String callId, String msrpSessionId);

  /** Whether this node could connect to that {@code a=path}: its last hop is an MSRP URI. */
  static boolean connectable(String peerPath) {
    try {
      lastHop(peerPath);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The hop of an {@code a=path} this node connects to: the last (RFC 4975 §6). */
  static MsrpUri lastHop(String peerPath) {
    String[] hops = peerPath.trim().split("\\s+");
    return MsrpUri.parse(hops[hops.length - 1]);
  }

  /**
   * Paths at {@code host:port} with nothing behind them: a node that runs its SIP edge without
   * the MSRP endpoint (tests of other edges) still answers with SDP, and connects nowhere.
   */
  static MsrpMedia unconnected(String host, int port) {
    return new MsrpMedia() {
      @Override
      public String pathUri(String callId, String msrpSessionId) {
        return new MsrpPathId(callId, msrpSessionId).uri(host, port);
      }

      @Override
      public void connect(String peerPath, String callId, String msrpSessionId) {}
    };
  }
}

package org.ipsmgw.sip;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import org.ipsmgw.msrp.MsrpMedia;

/**
 * What an SDP says of its MSRP media (RFC 4975 §8, RFC 6135): the first {@code m=message ...
 * TCP/MSRP} line's {@code a=setup}, {@code a=path} and {@code a=accept-types}. One reader for the
 * offers the CPM side sends and the answers to the gateway's own INVITEs.
 *
 * @param setup the {@code a=setup} in lower case; "active" when absent (RFC 6135 §4.2)
 * @param path the {@code a=path}, trimmed; null when absent
 * @param acceptTypes the {@code a=accept-types}; empty when absent
 */
record SdpMedia(String setup, String path, String acceptTypes) {

  /**
   * @return empty for an SDP without MSRP media (or no SDP)
   * @throws SdpException when the SDP does not parse; its text quotes the SDP
   */
  static Optional<SdpMedia> read(String sdp) throws SdpException {
    if (sdp == null || sdp.isBlank()) {
      return Optional.empty();
    }
    SessionDescription sd = SdpFactory.getInstance().createSessionDescription(sdp);
    Vector<?> media = sd.getMediaDescriptions(false);
    if (media == null) {
      return Optional.empty();
    }
    for (Object o : media) {
      MediaDescription m = (MediaDescription) o;
      if (m.getMedia().getMediaType().equals("message")
          && m.getMedia().getProtocol().equalsIgnoreCase("TCP/MSRP")) {
        return Optional.of(new SdpMedia(
            attribute(m, "setup").orElse("active").trim().toLowerCase(Locale.ROOT),
            attribute(m, "path").map(String::trim).orElse(null),
            attribute(m, "accept-types").orElse("")));
      }
    }
    return Optional.empty();
  }

  /** The types include one an SMS can carry: CPIM (text inside), plain text, or any. */
  boolean carriesText() {
    return List.of(acceptTypes.toLowerCase(Locale.ROOT).split("\\s+")).stream()
        .anyMatch(t -> t.equals("message/cpim") || t.equals("text/plain") || t.equals("*"));
  }

  /** The peer waits for this node to connect to its path. */
  boolean passive() {
    return setup.equals("passive");
  }

  /** A path this node can connect to (its last hop is an MSRP URI with host and port). */
  boolean connectable() {
    return path != null && MsrpMedia.connectable(path);
  }

  private static Optional<String> attribute(MediaDescription m, String name)
      throws SdpException {
    Vector<?> attributes = m.getAttributes(false);
    if (attributes == null) {
      return Optional.empty();
    }
    for (Object o : attributes) {
      Attribute a = (Attribute) o;
      if (a.getName().equalsIgnoreCase(name)) {
        return Optional.ofNullable(a.getValue());
      }
    }
    return Optional.empty();
  }
}

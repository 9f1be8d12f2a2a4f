package org.ipsmgw.sip;

import java.util.Locale;
import java.util.Optional;
import org.ipsmgw.session.InviteContext;

/**
 * The transport of a request the gateway sends in a dialog, for its Via and Contact. The RI sends
 * on the next hop's {@code transport=} when it has one and on the Via's otherwise, so the Via
 * names what the packet really travels on: the next hop's parameter (the first Route, else the
 * remote target), else the transport the dialog was set up on — the CPM side's INVITE's Via, or
 * for the gateway's own INVITE the outbound proxy's.
 */
final class DialogTransport {
  private DialogTransport() {}

  /** "udp", "tcp", ... in lower case. */
  static String of(InviteContext dialog, boolean initialInvite, String outboundProxy) {
    if (initialInvite) {
      // The gateway's own INVITE goes through the outbound proxy (its Route) when there is one.
      return param(outboundProxy.isEmpty() ? dialog.remoteTarget() : outboundProxy)
          .orElse("tcp");
    }
    String nextHop = dialog.recordRoute().isEmpty() ? dialog.remoteTarget()
        : dialog.recordRoute().get(0);
    return param(nextHop).orElseGet(() -> setUpOn(dialog, outboundProxy));
  }

  /** The transport the dialog's INVITE came or went on. */
  private static String setUpOn(InviteContext dialog, String outboundProxy) {
    if (!dialog.via().isEmpty()) {
      return dialog.via().get(0).toUpperCase(Locale.ROOT).contains("/UDP") ? "udp" : "tcp";
    }
    return param(outboundProxy).orElse("tcp");
  }

  /** The {@code transport=} parameter of a URI or name-addr, if it has one. */
  static Optional<String> param(String uri) {
    if (uri == null) {
      return Optional.empty();
    }
    String lower = uri.toLowerCase(Locale.ROOT);
    int at = lower.indexOf(";transport=");
    if (at < 0) {
      return Optional.empty();
    }
    String rest = lower.substring(at + ";transport=".length());
    int end = 0;
    while (end < rest.length() && Character.isLetterOrDigit(rest.charAt(end))) {
      end++;
    }
    return end == 0 ? Optional.empty() : Optional.of(rest.substring(0, end));
  }
}

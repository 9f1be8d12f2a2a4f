package org.ipsmgw.sip;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import java.util.Set;

/**
 * The SIP gateway's configuration ({@code ipsmgw.sip}).
 *
 * @param trustedPeers source addresses whose requests are served; others get 403. Empty = all.
 * @param treatNonCpmAsCpm an INVITE without the cpm.session feature tag: true = handle it as a
 *     CPM chat, false = 488
 * @param outboundProxy where gateway-originated out-of-dialog requests (pager MESSAGE) go, as
 *     a loose Route; empty: straight to the target's host
 * @param strictIds an INVITE without Conversation-ID or Contribution-ID: true = 400, false =
 *     generate them and log it
 */
public record SipSettings(String host, int port, Set<String> trustedPeers,
    boolean treatNonCpmAsCpm, boolean strictIds, String outboundProxy) {

  public SipSettings(String host, int port, Set<String> trustedPeers, boolean treatNonCpmAsCpm,
      boolean strictIds) {
    this(host, port, trustedPeers, treatNonCpmAsCpm, strictIds, "");
  }

  public static SipSettings fromConfig(Config c) {
    Config s = c.getConfig("ipsmgw.sip");
    return new SipSettings(s.getString("host"), s.getInt("port"),
        Set.copyOf(s.getStringList("trusted-peers")),
        choice(s, "non-cpm-invite", List.of("reject", "treat-as-cpm")).equals("treat-as-cpm"),
        choice(s, "cpm-ids", List.of("strict", "lenient")).equals("strict"),
        outboundProxy(s));
  }

  private static String outboundProxy(Config s) {
    String proxy = s.getString("outbound-proxy").strip();
    if (!proxy.isEmpty() && !proxy.startsWith("sip:")) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip.outbound-proxy",
          "'" + proxy + "' is not a sip: URI (e.g. sip:scscf.example:5060;transport=tcp;lr)");
    }
    return proxy;
  }

  private static String choice(Config s, String key, List<String> allowed) {
    String v = s.getString(key);
    if (!allowed.contains(v)) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip." + key,
          "'" + v + "' is not one of " + allowed);
    }
    return v;
  }

  public boolean trusts(String address) {
    return trustedPeers.isEmpty() || trustedPeers.contains(address);
  }
}

package org.ipsmgw.sip;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.ipsmgw.policy.StrictDuration;

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
 * @param malformedLogInterval an unparsable or incomplete message is logged once per source
 *     address and this interval (each one is counted)
 * @param t1 RFC 3261 T1: a 2xx to INVITE is resent from T1 on, and given up with a BYE after
 *     64·T1 without ACK
 * @param t2 RFC 3261 T2: the longest interval between two resendings of a 2xx over UDP (not
 *     shorter than T1)
 * @param maxCallIdLength the longest Call-ID served: an INVITE or MESSAGE with a longer one gets
 *     400, another request of such a call 481, before any entity is asked
 * @param drainRetryAfter once the node drains (graceful leave), the Retry-After of the 503 that
 *     new INVITEs, new MESSAGEs and OPTIONS get; whole seconds, at least 1
 * @param inviteTimeout how long a new INVITE waits for its chat to decide before 503: longer
 *     than a dead node's chats take to move to a survivor, shorter than the caller's INVITE
 *     transaction (32 s)
 * @param maxInvitesInFlight new INVITEs handed to their chats and not yet stored, at most; one
 *     more is answered 503 with Retry-After at once. 0: no limit
 * @param busyRetryAfter the Retry-After of that 503; whole seconds, at least 1
 * @param entityTimeout how long a BYE, CANCEL, re-INVITE or pager MESSAGE waits for its chat or
 *     pager conversation (a MESSAGE then gets 503; a BYE no answer, so that its resending asks
 *     again)
 * @param resendAfter a pager conversation that has not answered a batch of MESSAGEs that each
 *     carry an imdn.Message-ID in this time is given it again (sharding drops a message that
 *     reaches a shard being handed over); zero: never
 */
public record SipSettings(String host, int port, Set<String> trustedPeers,
    boolean treatNonCpmAsCpm, boolean strictIds, String outboundProxy,
    Duration malformedLogInterval, Duration t1, Duration t2, int maxCallIdLength,
    Duration drainRetryAfter, Duration inviteTimeout, int maxInvitesInFlight,
    Duration busyRetryAfter, Duration entityTimeout, Duration resendAfter) {
  public static final int DEFAULT_MAX_INVITES_IN_FLIGHT = 500;
  public static final Duration DEFAULT_BUSY_RETRY_AFTER = Duration.ofSeconds(2);
  public static final Duration DEFAULT_ENTITY_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_T1 = Duration.ofMillis(500);
  public static final Duration DEFAULT_T2 = Duration.ofSeconds(4);
  public static final int DEFAULT_MAX_CALL_ID_LENGTH = 200;
  public static final Duration DEFAULT_DRAIN_RETRY_AFTER = Duration.ofSeconds(5);
  public static final Duration DEFAULT_INVITE_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration CALLER_INVITE_TIMEOUT = Duration.ofSeconds(32);
  /**
   * A chat's journal persistence id is {@code ChatSession|<Call-ID>} in a VARCHAR(255) column
   * (db/h2 and db/postgres, V1__pekko_persistence_jdbc_1.1.1.sql): a longer Call-ID would make
   * the chat's first persist fail.
   */
  public static final int LONGEST_STORABLE_CALL_ID = 255
      - org.ipsmgw.session.ChatSession.TYPE_KEY.name().length() - "|".length();

  public SipSettings(String host, int port, Set<String> trustedPeers, boolean treatNonCpmAsCpm,
      boolean strictIds) {
    this(host, port, trustedPeers, treatNonCpmAsCpm, strictIds, "", Duration.ofSeconds(60),
        DEFAULT_T1, DEFAULT_T2, DEFAULT_MAX_CALL_ID_LENGTH, DEFAULT_DRAIN_RETRY_AFTER,
        DEFAULT_INVITE_TIMEOUT);
  }

  /** With the default limit on INVITEs in flight, its Retry-After and the entity timeout. */
  public SipSettings(String host, int port, Set<String> trustedPeers, boolean treatNonCpmAsCpm,
      boolean strictIds, String outboundProxy, Duration malformedLogInterval, Duration t1,
      Duration t2, int maxCallIdLength, Duration drainRetryAfter, Duration inviteTimeout) {
    this(host, port, trustedPeers, treatNonCpmAsCpm, strictIds, outboundProxy,
        malformedLogInterval, t1, t2, maxCallIdLength, drainRetryAfter, inviteTimeout,
        DEFAULT_MAX_INVITES_IN_FLIGHT, DEFAULT_BUSY_RETRY_AFTER, DEFAULT_ENTITY_TIMEOUT);
  }

  /** Without resends: a test's pager conversation then gets each batch once. */
  public SipSettings(String host, int port, Set<String> trustedPeers, boolean treatNonCpmAsCpm,
      boolean strictIds, String outboundProxy, Duration malformedLogInterval, Duration t1,
      Duration t2, int maxCallIdLength, Duration drainRetryAfter, Duration inviteTimeout,
      int maxInvitesInFlight, Duration busyRetryAfter, Duration entityTimeout) {
    this(host, port, trustedPeers, treatNonCpmAsCpm, strictIds, outboundProxy,
        malformedLogInterval, t1, t2, maxCallIdLength, drainRetryAfter, inviteTimeout,
        maxInvitesInFlight, busyRetryAfter, entityTimeout, Duration.ZERO);
  }

  /** How long a 2xx to INVITE waits for its ACK before the dialog is given up (64·T1). */
  public Duration ackTimeout() {
    return t1.multipliedBy(64);
  }

  public static SipSettings fromConfig(Config c) {
    Config s = c.getConfig("ipsmgw.sip");
    Duration t1 = positive(s, "t1");
    Duration entityTimeout = positive(s, "entity-timeout");
    return new SipSettings(s.getString("host"), s.getInt("port"),
        Set.copyOf(s.getStringList("trusted-peers")),
        choice(s, "non-cpm-invite", List.of("reject", "treat-as-cpm")).equals("treat-as-cpm"),
        choice(s, "cpm-ids", List.of("strict", "lenient")).equals("strict"),
        outboundProxy(s), positive(s, "malformed-log-interval"), t1, t2(s, t1),
        maxCallIdLength(s), wholeSeconds(s, "drain-retry-after"), inviteTimeout(s),
        maxInvitesInFlight(s), wholeSeconds(s, "busy-retry-after"), entityTimeout,
        org.ipsmgw.ResentAsk.resendAfter(s, "ipsmgw.sip", entityTimeout));
  }

  /**
   * A caller's INVITE transaction gives up after 64·T1 (RFC 3261 Timer B), 32 s with the
   * default T1 of 500 ms: a chat's answer after that would leave on a transaction nobody waits
   * for. The caller's T1, not this gateway's ipsmgw.sip.t1, sets it.
   */
  private static Duration inviteTimeout(Config s) {
    Duration d = positive(s, "invite-timeout");
    if (d.compareTo(CALLER_INVITE_TIMEOUT) >= 0) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip.invite-timeout",
          "'" + s.getString("invite-timeout") + "' must be shorter than 32s (the caller's INVITE "
              + "timeout, 64 * T1 with RFC 3261's default T1)");
    }
    return d;
  }

  /** Retry-After counts whole seconds (RFC 3261 §20.33): a shorter or broken value is refused. */
  private static Duration wholeSeconds(Config s, String key) {
    Duration d = positive(s, key);
    if (d.toMillis() % 1000 != 0) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip." + key,
          "'" + s.getString(key) + "' must be whole seconds (e.g. 5s)");
    }
    return d;
  }

  private static int maxInvitesInFlight(Config s) {
    int n = s.getInt("max-invites-in-flight");
    if (n < 0) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip.max-invites-in-flight",
          "'" + n + "' must be 0 (no limit) or more");
    }
    return n;
  }

  /** RFC 3261 §17.1.2.2: T2 caps intervals that start at T1, so it cannot be the shorter. */
  private static Duration t2(Config s, Duration t1) {
    Duration t2 = positive(s, "t2");
    if (t2.compareTo(t1) < 0) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip.t2",
          "'" + s.getString("t2") + "' must not be shorter than ipsmgw.sip.t1 ('"
              + s.getString("t1") + "')");
    }
    return t2;
  }

  private static int maxCallIdLength(Config s) {
    int n = s.getInt("max-call-id-length");
    if (n < 32 || n > LONGEST_STORABLE_CALL_ID) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip.max-call-id-length",
          "'" + n + "' must be between 32 and " + LONGEST_STORABLE_CALL_ID
              + " (the journal stores ChatSession|<Call-ID> in 255 characters)");
    }
    return n;
  }

  private static Duration positive(Config s, String key) {
    Duration d = StrictDuration.read(s, key, "ipsmgw.sip." + key);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.sip." + key,
          "'" + s.getString(key) + "' must be longer than 0");
    }
    return d;
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

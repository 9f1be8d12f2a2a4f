package org.ipsmgw.sms;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;

/**
 * The SMPP edge's configuration ({@code ipsmgw.smsc}, conf/edges.conf). Read once at start-up;
 * every bad value is a {@link ConfigException.BadValue} naming its key.
 *
 * @param binds transceiver binds this node opens to the SMSC
 * @param window submit_sm PDUs outstanding per bind at most
 * @param retryBudget attempts per SMS part on ESME_RTHROTTLED, ESME_RMSGQFUL or a lost bind
 * @param unboundWait how long a message waits for a bind before it is failed back to its session
 * @param receiptMatchWindow how long a receipt whose SMSC id is not yet known is kept pending
 * @param receiptAckTimeout how long deliver_sm_resp of a receipt waits for its session to
 *     persist it, else ESME_RX_T_APPN
 * @param receiptSweepInterval how often each node routes the pending receipts
 * @param moHandoverTimeout how long deliver_sm_resp waits for the entity to persist the MO
 * @param deliverHandlers threads per bind that answer deliver_sm (MO parts and receipts); each
 *     waits for its entity to persist, so these bound one bind's inbound rate
 * @param deliverQueue deliver_sm per bind waiting for a handler; one more is answered
 *     ESME_RTHROTTLED by jsmpp, so it should be no smaller than the SMSC's window
 */
public record SmscSettings(
    boolean enabled,
    String host,
    int port,
    String systemId,
    String password,
    String systemType,
    int binds,
    int addressTon,
    int addressNpi,
    int window,
    Duration enquireLinkInterval,
    Duration responseTimeout,
    Duration bindTimeout,
    Duration reconnectMinBackoff,
    Duration reconnectMaxBackoff,
    ConcatenationMode concatenation,
    boolean gsm7Packed,
    int retryBudget,
    Duration retryMinBackoff,
    Duration retryMaxBackoff,
    Duration unboundWait,
    Duration receiptMatchWindow,
    Duration receiptAckTimeout,
    Duration receiptSweepInterval,
    ZoneId receiptZone,
    Duration moHandoverTimeout,
    Duration indexRetention,
    boolean readinessRequiresBind,
    int deliverHandlers,
    int deliverQueue) {

  /** @param c the whole node configuration */
  public static SmscSettings fromConfig(Config c) {
    Config s = c.getConfig("ipsmgw.smsc");
    return new SmscSettings(
        s.getBoolean("enabled"),
        s.getString("host"),
        s.getInt("port"),
        cOctetString(s, "system-id", 15),
        cOctetString(s, "password", 8),
        cOctetString(s, "system-type", 12),
        range(s, "binds", 1, 32),
        range(s, "address-ton", 0, 6),
        range(s, "address-npi", 0, 18),
        range(s, "window", 1, 1000),
        positive(s, "enquire-link-interval"),
        positive(s, "response-timeout"),
        positive(s, "bind-timeout"),
        positive(s, "reconnect.min-backoff"),
        positive(s, "reconnect.max-backoff"),
        concatenation(s),
        s.getBoolean("gsm7-packed"),
        range(s, "retry.budget", 1, 100),
        positive(s, "retry.min-backoff"),
        positive(s, "retry.max-backoff"),
        positive(s, "unbound-wait"),
        positive(s, "receipt-match-window"),
        positive(s, "receipt-ack-timeout"),
        positive(s, "receipt-sweep-interval"),
        zone(s),
        positive(s, "mo-handover-timeout"),
        positive(s, "message-index-retention"),
        s.getBoolean("readiness-requires-bind"),
        range(s, "deliver-handlers", 1, 256),
        range(s, "deliver-queue", 1, 100_000));
  }

  /** The password is a secret: it never reaches a log line through this record. */
  @Override
  public String toString() {
    return "SmscSettings[" + systemId + "@" + host + ":" + port + ", binds=" + binds
        + ", window=" + window + ", concatenation=" + concatenation + "]";
  }

  /**
   * The bind's strings are SMPP 3.4 C-Octet Strings (§4.1.1: system_id 16, password 9,
   * system_type 13 octets with the NUL). A longer one never binds: jsmpp refuses to encode it and
   * its error quotes the value, on every retry. The value is never put in the message: it may be
   * the password.
   */
  private static String cOctetString(Config s, String key, int maxChars) {
    String value = s.getString(key);
    boolean ascii = value.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7F);
    if (value.length() > maxChars || !ascii) {
      throw new ConfigException.BadValue(s.getValue(key).origin(), "ipsmgw.smsc." + key,
          "must be at most " + maxChars + " printable ASCII characters (SMPP 3.4 C-Octet String of "
              + (maxChars + 1) + " octets with its NUL); the value is not shown");
    }
    return value;
  }

  private static ConcatenationMode concatenation(Config s) {
    String value = s.getString("concatenation");
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "udh-8bit" -> ConcatenationMode.UDH_8BIT;
      case "udh-16bit" -> ConcatenationMode.UDH_16BIT;
      case "sar" -> ConcatenationMode.SAR_TLV;
      case "payload" -> ConcatenationMode.MESSAGE_PAYLOAD;
      default -> throw new ConfigException.BadValue(s.origin(), "ipsmgw.smsc.concatenation",
          "'" + value + "' is not one of udh-8bit, udh-16bit, sar, payload");
    };
  }

  private static ZoneId zone(Config s) {
    try {
      return ZoneId.of(s.getString("receipt-zone"));
    } catch (RuntimeException e) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.smsc.receipt-zone",
          "'" + s.getString("receipt-zone") + "' is not a time zone id such as UTC or Europe/London");
    }
  }

  private static int range(Config s, String key, int min, int max) {
    int v = s.getInt(key);
    if (v < min || v > max) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.smsc." + key,
          v + " is outside " + min + "-" + max);
    }
    return v;
  }

  private static Duration positive(Config s, String key) {
    Duration d = s.getDuration(key);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(s.origin(), "ipsmgw.smsc." + key, "must be longer than zero");
    }
    return d;
  }
}

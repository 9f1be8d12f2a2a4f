package org.ipsmgw.subscriber;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * How the SmsSubscriber reassembles concatenated MO SMS ({@code ipsmgw.smsc.mo-reassembly}) and
 * hands whole ones over.
 *
 * @param timeout how long after its first part an incomplete MO waits for the rest
 * @param deliverPartial on timeout: true = deliver the parts received with {@code missingMarker}
 *     where parts are missing; false = drop them (logged)
 * @param handoverTimeout how long the subscriber waits for the chat to persist an MO (and, for
 *     an MO with no deadline of the SMPP edge, when it answers retry)
 * @param lateWait how long the subscriber keeps waiting for a chat that did not take an MO by
 *     the SMPP edge's deadline, to learn that it took it after all ({@code mo-late-wait})
 * @param resendWindow how long the SMSC's resend of an MO taken late is recognised and not
 *     delivered again ({@code mo-resend-window})
 */
public record MoSettings(Duration timeout, boolean deliverPartial, String missingMarker,
    Duration handoverTimeout, Duration lateWait, Duration resendWindow) {

  public static final MoSettings DEFAULT =
      new MoSettings(Duration.ofSeconds(60), true, "[…]", Duration.ofSeconds(4));

  public MoSettings(Duration timeout, boolean deliverPartial, String missingMarker,
      Duration handoverTimeout) {
    this(timeout, deliverPartial, missingMarker, handoverTimeout, Duration.ofSeconds(30),
        Duration.ofMinutes(10));
  }

  /** @param c the whole node configuration */
  public static MoSettings fromConfig(Config c) {
    Config m = c.getConfig("ipsmgw.smsc.mo-reassembly");
    Duration timeout = m.getDuration("timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ConfigException.BadValue(m.origin(), "ipsmgw.smsc.mo-reassembly.timeout",
          "must be longer than zero");
    }
    String onTimeout = m.getString("on-timeout");
    if (!onTimeout.equals("deliver-partial") && !onTimeout.equals("drop")) {
      throw new ConfigException.BadValue(m.origin(), "ipsmgw.smsc.mo-reassembly.on-timeout",
          "'" + onTimeout + "' is not one of deliver-partial, drop");
    }
    // The gateway answers the SMSC after mo-handover-timeout; the subscriber must give up first
    // so its answer, not the gateway's timeout, decides.
    Duration gatewayWait = c.getDuration("ipsmgw.smsc.mo-handover-timeout");
    return new MoSettings(timeout, onTimeout.equals("deliver-partial"),
        m.getString("missing-marker"), subscriberShare(gatewayWait),
        positive(c, "ipsmgw.smsc.mo-late-wait"), positive(c, "ipsmgw.smsc.mo-resend-window"));
  }

  /**
   * The part of the SMPP edge's wait the subscriber may use: the edge waits a fifth longer, so
   * the subscriber's answer, given by this deadline, always reaches it.
   */
  public static Duration subscriberShare(Duration gatewayWait) {
    return gatewayWait.multipliedBy(4).dividedBy(5);
  }

  private static Duration positive(Config c, String key) {
    Duration d = c.getDuration(key);
    if (d.isNegative() || d.isZero()) {
      throw new ConfigException.BadValue(c.getValue(key).origin(), key, "must be longer than zero");
    }
    return d;
  }
}

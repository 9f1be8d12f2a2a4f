package org.ipsmgw.subscriber;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * How the SmsSubscriber reassembles concatenated MO SMS ({@code ipsmgw.smsc.mo-reassembly}).
 *
 * @param timeout how long after its first part an incomplete MO waits for the rest
 * @param deliverPartial on timeout: true = deliver the parts received with {@code missingMarker}
 *     where parts are missing; false = drop them (logged)
 * @param handoverTimeout how long the subscriber waits for the chat to persist an MO
 */
public record MoSettings(Duration timeout, boolean deliverPartial, String missingMarker,
    Duration handoverTimeout) {

  public static final MoSettings DEFAULT =
      new MoSettings(Duration.ofSeconds(60), true, "[…]", Duration.ofSeconds(4));

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
        m.getString("missing-marker"), gatewayWait.multipliedBy(4).dividedBy(5));
  }
}

package org.ipsmgw.msrp;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;

/**
 * The MSRP endpoint's configuration ({@code ipsmgw.msrp}).
 *
 * @param maxMessageOctets the largest message accepted; larger ones get 413
 * @param entityTimeout how long a SEND waits for its chat to persist it before 408
 * @param loggedRefusals refusals a peer caused that are logged per connection; the rest are not
 * @param maxBatch chat messages of one chat that go to it in one journal write at most
 * @param resendAfter a chat that has not answered a batch of SENDs in this time is given it again
 *     (sharding drops a message that reaches a shard being handed over); zero: never
 */
public record MsrpSettings(String host, int port, int maxMessageOctets, Duration entityTimeout,
    int loggedRefusals, int maxBatch, Duration resendAfter) {
  /** The default batch ({@code ipsmgw.msrp.max-batch}). */
  public static final int DEFAULT_MAX_BATCH = 64;

  /** Without resends: a test's chat then gets each batch once. */
  public MsrpSettings(String host, int port, int maxMessageOctets, Duration entityTimeout,
      int loggedRefusals) {
    this(host, port, maxMessageOctets, entityTimeout, loggedRefusals, DEFAULT_MAX_BATCH);
  }

  /** Without resends: a test's chat then gets each batch once. */
  public MsrpSettings(String host, int port, int maxMessageOctets, Duration entityTimeout,
      int loggedRefusals, int maxBatch) {
    this(host, port, maxMessageOctets, entityTimeout, loggedRefusals, maxBatch, Duration.ZERO);
  }

  /** Chunks the gateway sends are at most this large (RFC 4975 §7.1.1). */
  public static final int CHUNK_OCTETS = 2048;

  public static MsrpSettings fromConfig(Config c) {
    Config m = c.getConfig("ipsmgw.msrp");
    int max = (int) Math.min(Integer.MAX_VALUE, m.getBytes("max-message-size"));
    if (max < 1024) {
      throw new ConfigException.BadValue(m.origin(), "ipsmgw.msrp.max-message-size",
          max + " octets is less than 1 KiB");
    }
    int logged = m.getInt("logged-refusals-per-connection");
    if (logged < 0) {
      throw new ConfigException.BadValue(m.origin(),
          "ipsmgw.msrp.logged-refusals-per-connection", logged + " is negative");
    }
    int batch = m.getInt("max-batch");
    if (batch < 1 || batch > 1000) {
      throw new ConfigException.BadValue(m.origin(), "ipsmgw.msrp.max-batch",
          batch + " is not within 1..1000");
    }
    Duration timeout = m.getDuration("entity-timeout");
    return new MsrpSettings(m.getString("host"), m.getInt("port"), max, timeout, logged, batch,
        org.ipsmgw.ResentAsk.resendAfter(m, "ipsmgw.msrp", timeout));
  }

  /** A frame may carry a whole message plus its headers. */
  public int maxFrameOctets() {
    return maxMessageOctets + 4096;
  }
}

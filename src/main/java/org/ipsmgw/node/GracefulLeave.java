package org.ipsmgw.node;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.policy.StrictDuration;
import org.ipsmgw.sip.SipGateway;
import org.ipsmgw.sms.SmppGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A leaving node (SIGTERM, or a stop) lets go of its work in Pekko's coordinated-shutdown order,
 * so neither user sees an error: at service-unbind the SIP gateway refuses new INVITEs and answers
 * OPTIONS with 503 and the node waits until a front probing it has noticed; at
 * service-requests-done the SMPP gateway lets its in-flight submits settle and unbinds; then
 * sharding hands the chats over (cluster-sharding-shutdown-region) and the node leaves.
 */
final class GracefulLeave {
  static final String SIP_DRAIN_WAIT = "ipsmgw.cluster.leave.sip-drain-wait";
  static final String SMPP_SETTLE = "ipsmgw.cluster.leave.smpp-settle";
  private static final String UNBIND_TIMEOUT = "pekko.coordinated-shutdown.phases.service-unbind.timeout";
  private static final String REQUESTS_TIMEOUT =
      "pekko.coordinated-shutdown.phases.service-requests-done.timeout";
  /** Room for the SMPP gateway's own unbind after the settle time, within the ask. */
  private static final Duration UNBIND_ALLOWANCE = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(GracefulLeave.class);

  private GracefulLeave() {}

  /** Each wait must end inside its phase, or Pekko moves on before the wait is over. */
  static void validate(Config config) {
    within(config, SIP_DRAIN_WAIT, Duration.ZERO, UNBIND_TIMEOUT);
    within(config, SMPP_SETTLE, UNBIND_ALLOWANCE, REQUESTS_TIMEOUT);
  }

  private static void within(Config config, String key, Duration extra, String phaseKey) {
    Duration wait = StrictDuration.read(config, key, key);
    Duration phase = config.getDuration(phaseKey);
    if (wait.plus(extra).compareTo(phase) >= 0) {
      throw new StartupException("configuration error: " + key + " = " + config.getString(key)
          + " must be shorter than " + phaseKey + " = " + config.getString(phaseKey)
          + (extra.isZero() ? "" : " less " + extra.toSeconds() + "s"));
    }
  }

  /**
   * @param sip the node's SIP gateway, or null without the SIP edge
   * @param smpp the node's SMPP gateway, or null without the SMPP edge
   */
  static void register(ActorSystem<Void> system, Config config, SipGateway sip,
      ActorRef<SmppGateway.Command> smpp) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system.classicSystem());
    Duration drainWait = config.getDuration(SIP_DRAIN_WAIT);
    Duration settle = config.getDuration(SMPP_SETTLE);
    if (sip != null) {
      shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "ipsmgw-sip-drain",
          () -> drainSip(system, sip, drainWait));
    }
    if (smpp != null) {
      shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "ipsmgw-smpp-drain",
          () -> drainSmpp(system, smpp, settle));
    }
  }

  private static CompletionStage<Done> drainSip(ActorSystem<Void> system, SipGateway sip,
      Duration drainWait) {
    sip.drain();
    LOG.info("leaving: SIP gateway draining (new INVITEs and OPTIONS get 503); waiting {} for the "
        + "front to notice", drainWait);
    CompletableFuture<Done> waited = new CompletableFuture<>();
    system.scheduler().scheduleOnce(drainWait, () -> {
      LOG.info("leaving: SIP drain wait over");
      waited.complete(Done.getInstance());
    }, system.executionContext());
    return waited;
  }

  private static CompletionStage<Done> drainSmpp(ActorSystem<Void> system,
      ActorRef<SmppGateway.Command> smpp, Duration settle) {
    LOG.info("leaving: SMPP gateway settling in-flight submits (up to {}) and unbinding", settle);
    return AskPattern.<SmppGateway.Command, Done>ask(smpp,
        replyTo -> new SmppGateway.Drain(settle, replyTo), settle.plus(UNBIND_ALLOWANCE),
        system.scheduler())
        .whenComplete((done, failure) -> {
          if (failure == null) {
            LOG.info("leaving: SMPP gateway drained");
          } else {
            LOG.warn("leaving: SMPP gateway did not confirm its drain within {}: {}",
                settle.plus(UNBIND_ALLOWANCE), failure.getClass().getSimpleName());
          }
        })
        .exceptionally(failure -> Done.getInstance());
  }
}

package org.ipsmgw.sms;

import org.ipsmgw.PeerText;
import org.ipsmgw.pager.PagerCommand;
import org.ipsmgw.pager.PagerConversation;
import org.ipsmgw.pager.PagerKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.subscriber.MoAck;
import org.ipsmgw.subscriber.MoSettings;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SMPP edge wired to the sharded entities, wherever in the cluster they live. */
public final class EntitySmppWiring implements SmppWiring {
  private static final Logger LOG = LoggerFactory.getLogger(EntitySmppWiring.class);

  private final ClusterSharding sharding;
  private final Duration moTimeout;
  private final SubmittedBatches submittedBatches;

  /**
   * @param moTimeout how long an entity has to answer the SMPP edge: an MO's hand-over, and a
   *     chat's recording of the SMSC's acceptances
   */
  public EntitySmppWiring(ClusterSharding sharding, Duration moTimeout,
      org.apache.pekko.actor.typed.Scheduler scheduler) {
    this.sharding = sharding;
    this.moTimeout = moTimeout;
    this.submittedBatches = new SubmittedBatches(scheduler, moTimeout);
  }

  @Override
  public void submitted(SmsSubmission s, List<String> smscIds) {
    // The session logs the link to these ids at INFO once it has recorded it.
    LOG.debug("[session {}] SMS {} submitted from {} to {}: {} part(s)", s.sessionId(),
        s.messageRef(), s.source(), s.destination(), smscIds.size());
    if (PagerKey.isPager(s.sessionId())) {
      pager(s).tell(new PagerCommand.SmsSubmitted(s.messageRef(), smscIds));
      return;
    }
    submittedBatches.submitted(chat(s),
        new ChatSessionCommand.SmsSubmitted(s.messageRef(), smscIds));
  }

  @Override
  public void failed(SmsSubmission s, String reason) {
    try (var scope = SubmissionScope.of(s.sessionId(), s.destination())) {
      LOG.warn("[session {}] SMS {} to {} failed: {}", s.sessionId(), s.messageRef(),
          s.destination(), reason);
    }
    if (PagerKey.isPager(s.sessionId())) {
      pager(s).tell(new PagerCommand.SmsSubmitFailed(s.messageRef(), reason));
      return;
    }
    chat(s).tell(new ChatSessionCommand.SmsSubmitFailed(s.messageRef(), reason));
  }

  @Override
  public void held(SmsSubmission s) {
    if (PagerKey.isPager(s.sessionId())) {
      pager(s).tell(new PagerCommand.SmsHeld(s.messageRef()));
    } else {
      chat(s).tell(new ChatSessionCommand.SmsHeld(s.messageRef()));
    }
  }

  @Override
  public CompletionStage<MoAck> mo(IncomingMo mo) {
    return sharding.entityRefFor(SmsSubscriber.TYPE_KEY, mo.sender()).ask(
        replyTo -> new SmsSubscriberCommand.ReceiveMo(mo.recipient(), mo.part(),
            mo.part().receivedAt().plus(MoSettings.subscriberShare(moTimeout)), replyTo),
        moTimeout);
  }

  @Override
  public CompletionStage<CommandReply> receipt(SmscMessageIndex.Entry entry,
      DeliveryReceipt receipt, Duration timeout) {
    try (var scope = SubmissionScope.of(entry.sessionId(), null)) {
      LOG.info("[session {}] receipt {} for SMSC id {}", entry.sessionId(), receipt.state(),
          PeerText.bounded(entry.smscId()));
    }
    boolean delivered = receipt.state().delivered();
    if (PagerKey.isPager(entry.sessionId())) {
      return pager(entry.sessionId()).ask(replyTo -> new PagerCommand.DeliveryReport(
          entry.smscId(), delivered, entry.messageRef(), entry.messageIds(), replyTo), timeout);
    }
    return session(entry.sessionId()).ask(replyTo -> new ChatSessionCommand.DeliveryReport(
        entry.smscId(), delivered, entry.messageRef(), entry.messageIds(), replyTo), timeout);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<PagerCommand> pager(
      String id) {
    return sharding.entityRefFor(PagerConversation.TYPE_KEY, id);
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ChatSessionCommand> session(
      String id) {
    return sharding.entityRefFor(ChatSession.TYPE_KEY, id);
  }

  /** The pager conversation that submitted {@code s} itself, while it lives; else by id. */
  private org.apache.pekko.actor.typed.RecipientRef<PagerCommand> pager(SmsSubmission s) {
    return s.pager() != null ? s.pager() : pager(s.sessionId());
  }

  /** The chat that submitted {@code s} itself, while it lives; else its entity by id. */
  private org.apache.pekko.actor.typed.RecipientRef<ChatSessionCommand> chat(SmsSubmission s) {
    return s.session() != null ? s.session() : session(s.sessionId());
  }
}

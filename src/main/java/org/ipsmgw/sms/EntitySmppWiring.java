package org.ipsmgw.sms;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.SmsSubmission;
import org.ipsmgw.subscriber.MoAck;
import org.ipsmgw.subscriber.SmsSubscriber;
import org.ipsmgw.subscriber.SmsSubscriberCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SMPP edge wired to the sharded entities, wherever in the cluster they live. */
public final class EntitySmppWiring implements SmppWiring {
  private static final Logger LOG = LoggerFactory.getLogger(EntitySmppWiring.class);

  private final ClusterSharding sharding;
  private final Duration moTimeout;

  public EntitySmppWiring(ClusterSharding sharding, Duration moTimeout) {
    this.sharding = sharding;
    this.moTimeout = moTimeout;
  }

  @Override
  public void submitted(SmsSubmission s, List<String> smscIds) {
    LOG.info("[session {}] SMS {} submitted from {} to {}: {} part(s), SMSC ids {}",
        s.sessionId(), s.messageRef(), s.source(), s.destination(), smscIds.size(), smscIds);
    session(s.sessionId()).tell(new ChatSessionCommand.SmsSubmitted(s.messageRef(), smscIds));
  }

  @Override
  public void failed(SmsSubmission s, String reason) {
    LOG.warn("[session {}] SMS {} to {} failed: {}", s.sessionId(), s.messageRef(),
        s.destination(), reason);
    session(s.sessionId()).tell(new ChatSessionCommand.SmsSubmitFailed(s.messageRef(), reason));
  }

  @Override
  public CompletionStage<MoAck> mo(IncomingMo mo) {
    return sharding.entityRefFor(SmsSubscriber.TYPE_KEY, mo.sender()).ask(
        replyTo -> new SmsSubscriberCommand.ReceiveMo(mo.recipient(), mo.part(), replyTo),
        moTimeout);
  }

  @Override
  public void receipt(SmscMessageIndex.Entry entry, DeliveryReceipt receipt) {
    LOG.info("[session {}] receipt {} for SMSC id {}", entry.sessionId(), receipt.state(),
        entry.smscId());
    session(entry.sessionId()).tell(
        new ChatSessionCommand.DeliveryReport(entry.smscId(), receipt.state().delivered()));
  }

  private org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef<ChatSessionCommand> session(
      String id) {
    return sharding.entityRefFor(ChatSession.TYPE_KEY, id);
  }
}

package org.ipsmgw.subscriber;

import java.time.Instant;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.ipsmgw.subscriber.SmsSubscriberCommand.MoAssemblyDue;
import org.ipsmgw.subscriber.SmsSubscriberCommand.ReceiveMo;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoResendRecognised;

/**
 * The user's concatenated MO SMS: each part is stored before the SMSC is told it arrived (so a
 * crash makes the SMSC resend rather than lose it), until the last one arrives in any order or
 * the assembly's time is up; a whole message goes to {@link MoHandover}. A single SMS goes there
 * at once.
 */
final class MoReassembly {
  private final SubscriberContext ctx;
  private final MoHandover handover;

  MoReassembly(SubscriberContext ctx, MoHandover handover) {
    this.ctx = ctx;
    this.handover = handover;
  }

  /** After recovery: each stored assembly's timer runs again (a whole one's at once). */
  void armTimers(SubscriberState state) {
    state.assemblies().forEach((key, assembly) -> ctx.armTimer(key,
        assembly.isComplete() ? Instant.EPOCH : assembly.expiresAt(ctx.mo().timeout())));
  }

  /** Answered at once for a part stored, else by the hand-over of the message it completes. */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> receive(SubscriberState state,
      ReceiveMo cmd) {
    String to = Msisdn.normalise(cmd.to()).orElse(cmd.to());
    MoPart part = cmd.part();
    Instant now = ctx.clock().instant();
    if (cmd.deadline() != null && now.isAfter(cmd.deadline())) {
      // The SMPP edge has answered retry already (or is about to): storing or delivering this
      // copy would deliver the SMSC's resend a second time.
      ctx.warn("MO part {}/{} came {} ms after its deadline; refused, neither stored nor "
          + "delivered", part.seq(), part.total(),
          java.time.Duration.between(cmd.deadline(), now).toMillis());
      return ctx.ack(cmd.replyTo(), MoAck.retry("arrived after its deadline"));
    }
    String fingerprint = MoFingerprint.of(to, part);
    if (state.isTakenLate(fingerprint, now)) {
      ctx.info("MO part {}/{} is the SMSC's resend of one its chat took late; acknowledged, "
          + "not delivered again", part.seq(), part.total());
      // The part is delivered already: the answer need not wait for this bookkeeping.
      if (cmd.replyTo() != null) {
        cmd.replyTo().tell(MoAck.ACCEPTED);
      }
      return ctx.effect().persist(new MoResendRecognised(fingerprint)).thenNoReply();
    }
    if (part.total() == 1) {
      handover.handOver(state, to, part.text(), part.receivedAt(), null, cmd.replyTo(),
          fingerprint, cmd.deadline());
      return ctx.effect().noReply();
    }
    String key = MoAssembly.key(ctx.msisdn(), to, part.reference(), part.total());
    MoAssembly existing = state.assemblies().get(key);
    if (existing != null && existing.has(part.seq())) {
      // The SMSC resent a part we stored: it is durable already, unless it completed a message
      // whose hand-over failed, which this resend retries.
      if (existing.isComplete()) {
        handover.handOver(state, to, existing.text(), existing.firstPartAt(), key, cmd.replyTo(),
            fingerprint, cmd.deadline());
        return ctx.effect().noReply();
      }
      return ctx.effect().reply(cmd.replyTo(), MoAck.ACCEPTED);
    }
    if (existing != null && existing.total() != part.total()) {
      return ctx.effect().reply(cmd.replyTo(),
          MoAck.retry("part total differs from its message"));
    }
    MoPartStored stored = new MoPartStored(ctx.msisdn(), to, part);
    MoAssembly assembly = state.apply(stored).assemblies().get(key);
    if (assembly.isComplete()) {
      return ctx.effect().persist(stored)
          .thenRun(s -> {
            ctx.timers().cancel(key);
            handover.handOver(s, to, assembly.text(), assembly.firstPartAt(), key, cmd.replyTo(),
                fingerprint, cmd.deadline());
          })
          .thenNoReply();
    }
    return ctx.effect().persist(stored)
        .thenRun(s -> {
          if (existing == null) {
            ctx.armTimer(key, assembly.expiresAt(ctx.mo().timeout()));
          }
        })
        .thenReply(cmd.replyTo(), s -> MoAck.ACCEPTED);
  }

  /**
   * An assembly's time is up: a whole one (its hand-over failed) is handed over again, an
   * incomplete one delivered with the missing-part marker or dropped, per settings.
   */
  ReplyEffect<SmsSubscriberEvent, SubscriberState> due(SubscriberState state, MoAssemblyDue cmd) {
    MoAssembly assembly = state.assemblies().get(cmd.key());
    if (assembly == null) {
      return ctx.effect().noReply();
    }
    if (assembly.isComplete()) {
      handover.handOverUnwaited(state, assembly.recipient(), assembly.text(),
          assembly.firstPartAt(), cmd.key());
      return ctx.effect().noReply();
    }
    if (ctx.mo().deliverPartial()) {
      ctx.warn("MO to {} incomplete after {}, parts {} missing; delivering the rest",
          assembly.recipient(), ctx.mo().timeout(), assembly.missing());
      handover.handOverUnwaited(state, assembly.recipient(),
          assembly.partialText(ctx.mo().missingMarker()), assembly.firstPartAt(), cmd.key());
      return ctx.effect().noReply();
    }
    ctx.warn("MO to {} incomplete after {}, parts {} missing; dropped", assembly.recipient(),
        ctx.mo().timeout(), assembly.missing());
    return ctx.effect().persist(new MoAssemblyClosed(cmd.key())).thenNoReply();
  }
}

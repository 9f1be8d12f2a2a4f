package org.ipsmgw.sms;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.ipsmgw.AnsweringThread;
import org.ipsmgw.OneBatchAtATime;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;

/**
 * The SMSC's acceptances on their way to their chats, one batch per chat at a time: one that
 * comes while its chat is recording the batch before waits here, and all that waited go together
 * next, so a chat with many SMS at the SMSC records their acceptances in one journal write
 * instead of one each. A chat that does not answer within {@code timeout} (it stopped, its node
 * went) is not waited for longer: the next batch goes anyway, and what it did not record stays
 * pending in its journal, as a lost answer always did.
 */
final class SubmittedBatches {
  private final Scheduler scheduler;
  private final Duration timeout;
  /** Guarded by itself: the SMPP edge's threads answer submissions side by side. */
  private final OneBatchAtATime<RecipientRef<ChatSessionCommand>, ChatSessionCommand.SmsSubmitted>
      waiting = new OneBatchAtATime<>(Integer.MAX_VALUE);

  SubmittedBatches(Scheduler scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  void submitted(RecipientRef<ChatSessionCommand> chat, ChatSessionCommand.SmsSubmitted s) {
    List<ChatSessionCommand.SmsSubmitted> now;
    synchronized (waiting) {
      now = waiting.offer(chat, s);
    }
    if (!now.isEmpty()) {
      send(chat, now);
    }
  }

  private void send(RecipientRef<ChatSessionCommand> chat,
      List<ChatSessionCommand.SmsSubmitted> batch) {
    AskPattern.<ChatSessionCommand, CommandReply>ask(chat,
            replyTo -> new ChatSessionCommand.SmsSubmittedBatch(batch, replyTo), timeout,
            scheduler)
        .whenCompleteAsync((reply, failure) -> next(chat), AnsweringThread.RUN);
  }

  private void next(RecipientRef<ChatSessionCommand> chat) {
    List<ChatSessionCommand.SmsSubmitted> batch;
    synchronized (waiting) {
      batch = waiting.answered(chat);
    }
    if (!batch.isEmpty()) {
      send(chat, batch);
    }
  }
}

package org.ipsmgw.sms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
  /** Per chat with a batch out, what waits behind it; absent when none is out. */
  private final Map<RecipientRef<ChatSessionCommand>, List<ChatSessionCommand.SmsSubmitted>>
      waiting = new HashMap<>();

  SubmittedBatches(Scheduler scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  void submitted(RecipientRef<ChatSessionCommand> chat, ChatSessionCommand.SmsSubmitted s) {
    synchronized (waiting) {
      List<ChatSessionCommand.SmsSubmitted> behind = waiting.get(chat);
      if (behind != null) {
        behind.add(s);
        return;
      }
      waiting.put(chat, new ArrayList<>());
    }
    send(chat, List.of(s));
  }

  /** Chats with a batch out (for tests and metrics). */
  int out() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  private void send(RecipientRef<ChatSessionCommand> chat,
      List<ChatSessionCommand.SmsSubmitted> batch) {
    AskPattern.<ChatSessionCommand, CommandReply>ask(chat,
            replyTo -> new ChatSessionCommand.SmsSubmittedBatch(batch, replyTo), timeout,
            scheduler)
        .whenComplete((reply, failure) -> next(chat));
  }

  private void next(RecipientRef<ChatSessionCommand> chat) {
    List<ChatSessionCommand.SmsSubmitted> batch;
    synchronized (waiting) {
      List<ChatSessionCommand.SmsSubmitted> behind = waiting.get(chat);
      if (behind == null || behind.isEmpty()) {
        waiting.remove(chat);
        return;
      }
      batch = List.copyOf(behind);
      behind.clear();
    }
    send(chat, batch);
  }
}

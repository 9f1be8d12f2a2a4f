package org.ipsmgw.load;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each chat sent and where each of its tokens arrived, in arrival order: the MSRP messages
 * at the SMSC (submit_sm accepted), the MO SMS at the CPM client (MSRP SEND). From it: exactly
 * once (nothing lost, nothing twice) and per-chat order, per chat and for the whole run.
 */
final class Ledger {
  private final Map<Long, ChatLog> chats = new ConcurrentHashMap<>();

  private static final class ChatLog {
    final List<Integer> mtSent = new ArrayList<>();
    final List<Integer> mtSeen = new ArrayList<>();
    final List<Integer> moSent = new ArrayList<>();
    final List<Integer> moSeen = new ArrayList<>();
  }

  /** The counts of one direction, or of both summed. */
  record Count(long sent, long once, long lost, long duplicated, long outOfOrder) {
    Count plus(Count o) {
      return new Count(sent + o.sent, once + o.once, lost + o.lost, duplicated + o.duplicated,
          outOfOrder + o.outOfOrder);
    }

    boolean clean() {
      return lost == 0 && duplicated == 0 && outOfOrder == 0;
    }
  }

  /** One chat's verdict (or the run's, summed; {@code chats} = how many were checked). */
  record Verdict(Count mt, Count mo, long chats, long chatsInOrder) {
    boolean clean() {
      return mt.clean() && mo.clean();
    }

    String line() {
      return "exactly-once and order: " + (clean() ? "OK" : "FAILED")
          + " | MSRP->SMS sent " + mt.sent + ", at SMSC once " + mt.once + ", lost " + mt.lost
          + ", duplicated " + mt.duplicated + ", out of order " + mt.outOfOrder
          + " | SMS->MSRP sent " + mo.sent + ", at CPM once " + mo.once + ", lost " + mo.lost
          + ", duplicated " + mo.duplicated + ", out of order " + mo.outOfOrder
          + " | per-chat order kept in " + chatsInOrder + "/" + chats + " chats";
    }
  }

  private ChatLog log(long chat) {
    return chats.computeIfAbsent(chat, k -> new ChatLog());
  }

  void sent(Tokens.Token t) {
    ChatLog c = log(t.chat());
    synchronized (c) {
      (t.mt() ? c.mtSent : c.moSent).add(t.seq());
    }
  }

  /** A token arrived where it was going (MT: at the SMSC; MO: at the CPM client). */
  void arrived(Tokens.Token t) {
    ChatLog c = log(t.chat());
    synchronized (c) {
      (t.mt() ? c.mtSeen : c.moSeen).add(t.seq());
    }
  }

  Verdict verify(long chat) {
    ChatLog c = log(chat);
    synchronized (c) {
      Count mt = count(c.mtSent, c.mtSeen);
      Count mo = count(c.moSent, c.moSeen);
      boolean inOrder = mt.outOfOrder == 0 && mo.outOfOrder == 0;
      return new Verdict(mt, mo, 1, inOrder ? 1 : 0);
    }
  }

  Verdict verifyAll() {
    Count mt = new Count(0, 0, 0, 0, 0);
    Count mo = mt;
    long inOrder = 0;
    for (long chat : chats.keySet()) {
      Verdict v = verify(chat);
      mt = mt.plus(v.mt);
      mo = mo.plus(v.mo);
      inOrder += v.chatsInOrder;
    }
    return new Verdict(mt, mo, chats.size(), inOrder);
  }

  /**
   * Lost: sent, never seen. Duplicated: seen more than once. Out of order: a first arrival with a
   * lower sequence than an earlier first arrival (the chat's order broken).
   */
  static Count count(List<Integer> sent, List<Integer> seen) {
    Map<Integer, Integer> times = new HashMap<>();
    long outOfOrder = 0;
    int highest = Integer.MIN_VALUE;
    for (int seq : seen) {
      if (times.merge(seq, 1, Integer::sum) == 1) {
        if (seq < highest) {
          outOfOrder++;
        }
        highest = Math.max(highest, seq);
      }
    }
    long once = 0;
    long lost = 0;
    long duplicated = 0;
    for (int seq : sent) {
      int n = times.getOrDefault(seq, 0);
      if (n == 0) {
        lost++;
      } else if (n == 1) {
        once++;
      } else {
        duplicated += n - 1;
      }
    }
    return new Count(sent.size(), once, lost, duplicated, outOfOrder);
  }
}

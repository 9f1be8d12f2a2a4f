package org.ipsmgw.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.ipsmgw.sim.ReceivedSubmit;

/**
 * Every message one phase of the failover test sent, each carrying a unique token: for chat and
 * pager messages toward SMS (MT) whether the CPM side's SEND/MESSAGE was accepted and where its
 * IMDN must show up; for SMS toward CPM (MO) whether a deliver_sm was answered 0 and where the
 * token must arrive. {@link #count} then counts each token where it must arrive.
 *
 * <p>A message arriving twice is a failure unless it is inside the at-least-once window the
 * README states: an MO whose earlier attempt got no deliver_sm_resp at all (persisted, answer
 * lost); a single-part MO refused by a surviving node within {@link #HANDOVER_WINDOW} after a
 * kill -9 (its SMS user's entity died between the chat's or pager conversation's persist and its
 * answer, the README's stated window: the SMSC's resend looks like the user sending it again);
 * or an SMS whose first copy the SMSC accepted within {@link #SUBMIT_WINDOW} before the
 * disruption or during it (submit_sm_resp or its record lost). No other refused attempt excuses
 * a duplicate.
 */
final class Ledger {
  final String phase;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Integer> mtAttempts = new ConcurrentHashMap<>();
  private final Map<String, Boolean> mtAccepted = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicInteger>> mtImdnAt = new ConcurrentHashMap<>();
  private final Map<String, Integer> moAttempts = new ConcurrentHashMap<>();
  private final Map<String, Integer> moRefusals = new ConcurrentHashMap<>();
  private final Map<String, Boolean> moAccepted = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicInteger>> moArrivesAt = new ConcurrentHashMap<>();
  /**
   * Tokens whose receipt the SMSC never sent: submits the simulator took within its receipt
   * delay before it was stopped (its pending receipts go with it); no IMDN can follow them.
   */
  final java.util.Set<String> receiptNeverSent = ConcurrentHashMap.newKeySet();
  /**
   * The at-least-once window toward the SMSC: a submit_sm the SMSC accepted within this long
   * before a disruption (or during it) may have had its response, or the chat's record of it,
   * lost with the node or the database, so the recovered chat submits it again.
   */
  static final java.time.Duration SUBMIT_WINDOW = java.time.Duration.ofSeconds(1);
  /**
   * How long after a kill -9 a hand-over the dead node's SmsSubscriber had under way is refused by
   * the surviving SMPP edge: four fifths of {@code ipsmgw.smsc.mo-handover-timeout} (5 s), with
   * a second for the answer to reach the simulator.
   */
  static final java.time.Duration HANDOVER_WINDOW = java.time.Duration.ofSeconds(5);
  private volatile java.time.Instant killedAt;
  /** Each MO token's attempts: for the failure message, and the refusals' times at a kill. */
  private final Map<String, List<MoAttempt>> moHistory = new ConcurrentHashMap<>();
  private volatile java.time.Instant disruptedFrom;
  private volatile java.time.Instant disruptedTo;
  /** MO tokens one of whose attempts got no deliver_sm_resp at all (the answer was lost). */
  private final java.util.Set<String> moUnanswered = ConcurrentHashMap.newKeySet();
  /** CPM-side answers with an error status (MSRP 4xx/5xx, SIP MESSAGE ≥ 300). */
  final AtomicInteger cpmErrors = new AtomicInteger();
  /** CPM-side requests without any answer in time (connection gone, node dead). */
  final AtomicInteger cpmUnanswered = new AtomicInteger();

  Ledger(String phase) {
    this.phase = phase;
  }

  /** This phase's disruption was a kill -9 at {@code at} (see {@link #HANDOVER_WINDOW}). */
  void killed(java.time.Instant at) {
    killedAt = at;
  }

  /** The disruption of this phase: a kill or a close ({@code from == to}), or an outage. */
  void disrupted(java.time.Instant from, java.time.Instant to) {
    disruptedFrom = from;
    disruptedTo = to;
  }

  String token(String kind) {
    return "tk-" + phase + "-" + kind + "-" + next.incrementAndGet();
  }

  /** A CPM → SMS message: its answer (200/202 accepted, -1 none) and where its IMDN arrives. */
  void mt(String token, int status, Map<String, AtomicInteger> imdnsAt) {
    mtAttempts.merge(token, 1, Integer::sum);
    mtImdnAt.put(token, imdnsAt);
    if (status == 200 || status == 202) {
      mtAccepted.put(token, true);
    } else if (status < 0) {
      cpmUnanswered.incrementAndGet();
    } else {
      cpmErrors.incrementAndGet();
    }
  }

  boolean mtAccepted(String token) {
    return mtAccepted.containsKey(token);
  }

  /**
   * An SMS → CPM message: one attempt (its deliver_sm statuses), timed for the failure message;
   * where its token arrives.
   */
  void mo(String token, java.util.function.Supplier<List<Integer>> attempt,
      Map<String, AtomicInteger> arrivesAt) {
    java.time.Instant sent = java.time.Instant.now();
    List<Integer> statuses = attempt.get();
    moHistory.computeIfAbsent(token, t -> new java.util.concurrent.CopyOnWriteArrayList<>())
        .add(new MoAttempt(statuses, sent, java.time.Instant.now()));
    moAttempts.merge(token, 1, Integer::sum);
    moArrivesAt.put(token, arrivesAt);
    if (statuses.stream().anyMatch(s -> s < 0)) {
      moUnanswered.add(token);
    }
    if (statuses.stream().allMatch(s -> s == 0)) {
      moAccepted.put(token, true);
    } else {
      moRefusals.merge(token, 1, Integer::sum);
    }
  }

  /** Each attempt of the given MO tokens ("tk-…×n" as the counts give a duplicate is fine). */
  String moHistory(List<String> tokens) {
    StringBuilder b = new StringBuilder("attempts (statuses, times from the disruption):");
    for (String listed : tokens) {
      String token = listed.contains("×") ? listed.substring(0, listed.indexOf('×')) : listed;
      b.append(' ').append(token).append(' ').append(moHistory.getOrDefault(token, List.of())
          .stream().map(a -> a.statuses() + " sent " + sinceDisruption(a.sent()) + " answered "
              + sinceDisruption(a.answered())).toList());
    }
    return b.toString();
  }

  private record MoAttempt(List<Integer> statuses, java.time.Instant sent,
      java.time.Instant answered) {
    /** A single-part MO the gateway answered with an error status (not one left unanswered). */
    boolean refused() {
      return statuses.size() == 1 && statuses.get(0) > 0;
    }
  }

  private String sinceDisruption(java.time.Instant at) {
    java.time.Instant from = disruptedFrom;
    return from == null ? at.toString()
        : (at.isBefore(from) ? "-" : "+") + Math.abs(java.time.Duration.between(from, at)
            .toMillis()) + " ms";
  }

  boolean moAccepted(String token) {
    return moAccepted.containsKey(token);
  }

  /** The counts, with the SMSC's accepted submits as where MT tokens arrive. */
  Counts count(List<ReceivedSubmit> submits) {
    Map<String, Integer> atSmsc = new ConcurrentHashMap<>();
    Map<String, java.time.Instant> firstAtSmsc = new ConcurrentHashMap<>();
    for (ReceivedSubmit s : submits) {
      String text = s.text();
      if (s.accepted() && text != null) {
        CpmChat.TOKEN.matcher(text).results().forEach(m -> {
          atSmsc.merge(m.group(), 1, Integer::sum);
          firstAtSmsc.merge(m.group(), s.at(), (a, b) -> a.isBefore(b) ? a : b);
        });
      }
    }
    List<String> inWindow = new ArrayList<>();
    long windowMillis = 0;
    List<String> lostMt = new ArrayList<>();
    List<String> dupMt = new ArrayList<>();
    List<String> refusedDeliveredMt = new ArrayList<>();
    List<String> noImdn = new ArrayList<>();
    for (String token : mtAttempts.keySet()) {
      int n = atSmsc.getOrDefault(token, 0);
      if (mtAccepted(token) && n == 0) {
        lostMt.add(token);
      }
      if (n > 1 && submittedInWindow(firstAtSmsc.get(token))) {
        inWindow.add(token + "×" + n);
        windowMillis = Math.max(windowMillis, java.time.Duration.between(
            firstAtSmsc.get(token), disruptedFrom).toMillis());
      } else if (n > 1) {
        dupMt.add(token + "×" + n);
      }
      if (!mtAccepted(token) && n > 0) {
        refusedDeliveredMt.add(token);
      }
      if (mtAccepted(token) && n > 0 && !mtImdnAt.get(token).containsKey(token)
          && !receiptNeverSent.contains(token)) {
        noImdn.add(token);
      }
    }
    List<String> lostMo = new ArrayList<>();
    List<String> dupMo = new ArrayList<>();
    List<String> refusedDeliveredMo = new ArrayList<>();
    for (String token : moAttempts.keySet()) {
      AtomicInteger got = moArrivesAt.get(token).get(token);
      int n = got == null ? 0 : got.get();
      if (moAccepted(token) && n == 0) {
        lostMo.add(token);
      }
      if (n > 1 && (moUnanswered.contains(token) || refusedAtTheKill(token))) {
        inWindow.add(token + "×" + n);
      } else if (n > 1) {
        dupMo.add(token + "×" + n);
      }
      if (!moAccepted(token) && n > 0) {
        refusedDeliveredMo.add(token);
      }
    }
    long acceptedWithSms = mtAccepted.keySet().stream().filter(t -> atSmsc.containsKey(t)
        && !receiptNeverSent.contains(t)).count();
    return new Counts(phase, mtAttempts.size(), mtAccepted.size(), lostMt, dupMt,
        refusedDeliveredMt, acceptedWithSms, noImdn, moAttempts.size(), moAccepted.size(),
        moRefusals.values().stream().mapToInt(Integer::intValue).sum(), lostMo, dupMo,
        refusedDeliveredMo, cpmErrors.get(), cpmUnanswered.get(), inWindow, windowMillis);
  }

  private boolean refusedAtTheKill(String token) {
    java.time.Instant at = killedAt;
    return at != null && moHistory.getOrDefault(token, List.of()).stream()
        .filter(MoAttempt::refused).map(MoAttempt::answered)
        .anyMatch(r -> !r.isBefore(at) && !r.isAfter(at.plus(HANDOVER_WINDOW)));
  }

  private boolean submittedInWindow(java.time.Instant first) {
    java.time.Instant from = disruptedFrom;
    java.time.Instant to = disruptedTo;
    return first != null && from != null && !first.isBefore(from.minus(SUBMIT_WINDOW))
        && !first.isAfter(to);
  }

  /** Whether every accepted token arrived and every arrived MT has its IMDN (to await on). */
  boolean settled(List<ReceivedSubmit> submits) {
    Counts c = count(submits);
    return c.lostMt().isEmpty() && c.lostMo().isEmpty() && c.noImdn().isEmpty();
  }

  List<String> unacceptedMt() {
    return mtAttempts.keySet().stream().filter(t -> !mtAccepted(t)).toList();
  }

  List<String> unacceptedMo() {
    return moAttempts.keySet().stream().filter(t -> !moAccepted(t)).toList();
  }

  record Counts(String phase, int mtSent, int mtAccepted, List<String> lostMt,
      List<String> dupMt, List<String> refusedDeliveredMt, long mtAtSmsc, List<String> noImdn,
      int moSent, int moAccepted, int moRefusals, List<String> lostMo, List<String> dupMo,
      List<String> refusedDeliveredMo, int cpmErrors, int cpmUnanswered,
      List<String> duplicatesInWindow, long windowMillis) {

    String line() {
      Function<List<String>, String> few = l -> l.size() + (l.isEmpty() ? ""
          : " " + l.subList(0, Math.min(5, l.size())));
      return "[" + phase + "] CPM→SMS: " + mtSent + " sent, " + mtAccepted + " accepted, lost "
          + few.apply(lostMt) + ", duplicates " + few.apply(dupMt) + ", refused yet delivered "
          + few.apply(refusedDeliveredMt) + ", receipts " + (mtAtSmsc - noImdn.size()) + "/"
          + mtAtSmsc + " became IMDNs (missing " + few.apply(noImdn) + "); SMS→CPM: " + moSent
          + " sent, " + moAccepted + " accepted (" + moRefusals + " refusals retried), lost "
          + few.apply(lostMo) + ", duplicates " + few.apply(dupMo) + ", refused yet delivered "
          + few.apply(refusedDeliveredMo) + "; CPM side saw " + cpmErrors + " error answers, "
          + cpmUnanswered + " unanswered; duplicates within the at-least-once window "
          + few.apply(duplicatesInWindow) + (duplicatesInWindow.isEmpty() ? ""
          : " (first copy at most " + windowMillis + " ms before the disruption)");
    }
  }
}

package org.ipsmgw.session;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.ipsmgw.CborSerializable;

/**
 * Per-message translation state of a chat: the messages still in flight (not yet handed to the
 * other side, or awaiting a delivery receipt), the notices owed to the CPM user about messages
 * whose fate is known, and totals. A message leaves the map once nothing more can happen to it,
 * and a notice once the CPM side has taken it, so a long chat does not grow its state. An SMS
 * that asked the SMSC for failure receipts only is never heard of again when delivered: those
 * leave the map oldest first past a bound ({@link #beyondAwaited}).
 *
 * @param notices owed to the CPM user, in the order they became owed (null in snapshots written
 *     before notices were kept: none owed)
 * @param taken the ids of the last {@value org.ipsmgw.RecentIds#KEPT} messages this chat took from
 *     either side (MSRP Message-IDs, the SmsSubscriber's hand-over ids; null in older snapshots:
 *     none), so a message sent again after its answer was lost is recognised and not delivered
 *     twice
 */
public record Translation(Map<String, MessageRecord> inFlight, int toSms, int toCpm,
    int delivered, int failed, int nextRef, List<OwedNotice> notices, List<String> taken)
    implements CborSerializable {

  public static final Translation EMPTY =
      new Translation(Map.of(), 0, 0, 0, 0, 1, List.of(), List.of());
  /** Reference of the invitation SMS. */
  public static final String INVITATION_REF = "invitation";
  private static final String REF_PREFIX = "m";

  public Translation {
    inFlight = InFlight.of(inFlight);
    notices = notices == null ? List.of() : List.copyOf(notices);
    taken = taken == null ? List.of() : List.copyOf(taken);
  }

  /** The id under which a CPM user's message is remembered: its MSRP Message-ID. */
  public static String msrpId(String msrpMessageId) {
    return msrpMessageId == null ? null : "msrp:" + msrpMessageId;
  }

  /** The id under which an SMS user's message is remembered: the subscriber's hand-over id. */
  public static String handoverId(String handoverId) {
    return handoverId == null ? null : "mo:" + handoverId;
  }

  /** Whether this chat already took the message remembered as {@code id}. */
  public boolean took(String id) {
    return id != null && taken.contains(id);
  }

  /** The reference the next chat message gets; deterministic, so replay gives the same. */
  public String nextMessageRef() {
    return messageRefAfter(0);
  }

  /** The reference of the chat message {@code k} after the next (a batch taken in one write). */
  public String messageRefAfter(int k) {
    return REF_PREFIX + (nextRef + k);
  }

  public Optional<MessageRecord> byRef(String ref) {
    return Optional.ofNullable(inFlight.get(ref));
  }

  public Optional<MessageRecord> bySmscId(String smscId) {
    return inFlight.values().stream().filter(m -> m.smscIds().contains(smscId)).findFirst();
  }

  /** Messages accepted but not yet confirmed by the outbound edge: resent after recovery. */
  public List<MessageRecord> pending() {
    return inFlight.values().stream().filter(m -> m.status() == MessageStatus.PENDING).toList();
  }

  /**
   * The SMS this chat still waits on for a failure receipt only, oldest first: accepted by the
   * SMSC, they asked it for failure receipts only (Failure-Report yes without a positive IMDN,
   * or a negative-delivery IMDN alone), so a delivered one gets no receipt.
   */
  public List<String> awaitingFailureOnly() {
    return inFlight.values().stream().filter(MessageRecord::awaitsFailureOnly)
        .map(MessageRecord::ref).toList();
  }

  /**
   * The oldest SMS to stop waiting on once the SMSC accepted {@code submitting} too
   * ({@link AwaitedReceipts#beyond}).
   */
  List<String> beyondAwaited(java.util.Collection<String> submitting, int awaited) {
    java.util.function.Predicate<MessageRecord> accepting = m -> m.status()
        == MessageStatus.PENDING && m.asksFailuresOnly() && submitting.contains(m.ref());
    long accepted = submitting.stream().map(inFlight::get).filter(java.util.Objects::nonNull)
        .filter(accepting).count();
    // Counted as the map changes: most events stay within the bound and scan nothing.
    if (((InFlight) inFlight).awaitingFailureOnly() + accepted <= awaited) {
      return List.of();
    }
    return AwaitedReceipts.beyond(inFlight.values().stream()
        .filter(m -> m.awaitsFailureOnly() || accepting.test(m))
        .map(MessageRecord::ref).toList(), awaited);
  }

  /** No longer waits on these SMS ({@link #beyondAwaited}); a later receipt matches nothing. */
  Translation forget(List<String> refs) {
    InFlight left = (InFlight) inFlight;
    for (String ref : refs) {
      MessageRecord m = left.get(ref);
      if (m != null && m.awaitsFailureOnly()) {
        left = left.without(ref);
      }
    }
    return new Translation(left, toSms, toCpm, delivered, failed, nextRef, notices, taken);
  }

  /** The notice owed about the CPM user's message {@code ref}, if one is. */
  public Optional<OwedNotice> notice(String ref) {
    return notices.stream().filter(n -> n.ref().equals(ref)).findFirst();
  }

  /** Whether the CPM side still owes a confirmation for what the chat sent it under {@code ref}. */
  public boolean owesCpm(String ref) {
    MessageRecord m = inFlight.get(ref);
    return m != null && m.direction() == Direction.TO_CPM && m.status() == MessageStatus.PENDING
        || notice(ref).isPresent();
  }

  /**
   * Everything owed to the CPM user, in the order it became owed: messages not yet confirmed,
   * and notices, each after the messages that came before it.
   */
  public void forEachOwed(Consumer<MessageRecord> message, Consumer<OwedNotice> notice) {
    Iterator<OwedNotice> n = notices.iterator();
    OwedNotice next = n.hasNext() ? n.next() : null;
    for (MessageRecord m : pending()) {
      if (m.direction() != Direction.TO_CPM) {
        continue;
      }
      while (next != null && next.after() <= number(m.ref())) {
        notice.accept(next);
        next = n.hasNext() ? n.next() : null;
      }
      message.accept(m);
    }
    while (next != null) {
      notice.accept(next);
      next = n.hasNext() ? n.next() : null;
    }
  }

  /** The number of a chat message's reference ({@link #nextMessageRef}); 0 for other texts. */
  private static int number(String ref) {
    try {
      return ref.startsWith(REF_PREFIX) ? Integer.parseInt(ref.substring(REF_PREFIX.length())) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  Translation chatMessage(MessageRecord record) {
    boolean toSmsSide = record.direction() == Direction.TO_SMS;
    return new Translation(with(record), toSms + (toSmsSide ? 1 : 0), toCpm + (toSmsSide ? 0 : 1),
        delivered, failed, nextRef + 1, notices, taken);
  }

  /** A chat message, remembered as {@code id} (null: not remembered). */
  Translation chatMessage(MessageRecord record, String id) {
    Translation next = chatMessage(record);
    if (id == null) {
      return next;
    }
    return new Translation(next.inFlight, next.toSms, next.toCpm, delivered, failed, next.nextRef,
        notices, org.ipsmgw.RecentIds.with(taken, id));
  }

  Translation track(MessageRecord record) {
    return new Translation(with(record), toSms, toCpm, delivered, failed, nextRef, notices,
        taken);
  }

  Translation submitted(String ref, List<String> smscIds) {
    return byRef(ref).map(r -> settle(r.submitted(smscIds))).orElse(this);
  }

  Translation submitFailed(String ref) {
    return byRef(ref).map(r -> settle(r.failed())).orElse(this);
  }

  Translation receipt(String ref, String smscId, boolean ok) {
    return byRef(ref).map(r -> settle(r.receipt(smscId, ok))).orElse(this);
  }

  /**
   * The CPM side took what the chat sent it under {@code ref}: an SMS user's message, or the
   * notice about a CPM user's message. Nothing further is tracked for it.
   */
  Translation handedOver(String ref) {
    if (notice(ref).isPresent()) {
      List<OwedNotice> left = new ArrayList<>(notices);
      left.removeIf(n -> n.ref().equals(ref));
      return new Translation(inFlight, toSms, toCpm, delivered, failed, nextRef, left, taken);
    }
    return byRef(ref).filter(r -> r.direction() == Direction.TO_CPM)
        .map(r -> new Translation(without(ref), toSms, toCpm, delivered, failed, nextRef,
            notices, taken)).orElse(this);
  }

  private Translation settle(MessageRecord r) {
    boolean noReceiptComing = r.status() == MessageStatus.SUBMITTED
        && r.registered() == ReceiptRequest.NONE;
    if (!r.status().isFinal() && !noReceiptComing) {
      return new Translation(with(r), toSms, toCpm, delivered, failed, nextRef, notices,
          taken);
    }
    boolean counts = !r.ref().equals(INVITATION_REF);
    List<OwedNotice> owed = new ArrayList<>(notices);
    OwedNotice.of(r, nextRef).ifPresent(owed::add);
    return new Translation(without(r.ref()), toSms, toCpm,
        delivered + (counts && r.status() == MessageStatus.DELIVERED ? 1 : 0),
        failed + (counts && r.status() == MessageStatus.FAILED ? 1 : 0), nextRef, owed,
        taken);
  }

  private Map<String, MessageRecord> with(MessageRecord record) {
    return ((InFlight) inFlight).with(record.ref(), record);
  }

  private Map<String, MessageRecord> without(String ref) {
    return ((InFlight) inFlight).without(ref);
  }
}

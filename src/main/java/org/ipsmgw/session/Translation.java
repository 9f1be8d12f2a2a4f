package org.ipsmgw.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipsmgw.CborSerializable;

/**
 * Per-message translation state of a chat: the messages still in flight (not yet handed to the
 * other side, or awaiting a delivery receipt) and totals. A message leaves the map once nothing
 * more can happen to it, so a long chat does not grow its state.
 */
public record Translation(Map<String, MessageRecord> inFlight, int toSms, int toCpm,
    int delivered, int failed, int nextRef) implements CborSerializable {

  public static final Translation EMPTY = new Translation(Map.of(), 0, 0, 0, 0, 1);
  /** Reference of the invitation SMS. */
  public static final String INVITATION_REF = "invitation";

  public Translation {
    inFlight = Collections.unmodifiableMap(new LinkedHashMap<>(inFlight));
  }

  /** The reference the next chat message gets; deterministic, so replay gives the same. */
  public String nextMessageRef() {
    return "m" + nextRef;
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

  Translation chatMessage(MessageRecord record) {
    boolean toSmsSide = record.direction() == Direction.TO_SMS;
    return new Translation(with(record), toSms + (toSmsSide ? 1 : 0), toCpm + (toSmsSide ? 0 : 1),
        delivered, failed, nextRef + 1);
  }

  Translation track(MessageRecord record) {
    return new Translation(with(record), toSms, toCpm, delivered, failed, nextRef);
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

  /** An MSRP message handed to the CPM side: nothing further is tracked for it. */
  Translation handedOver(String ref) {
    return byRef(ref).map(r -> new Translation(without(ref), toSms, toCpm, delivered, failed,
        nextRef)).orElse(this);
  }

  private Translation settle(MessageRecord r) {
    boolean noReceiptComing = r.status() == MessageStatus.SUBMITTED
        && r.registered() == ReceiptRequest.NONE;
    if (!r.status().isFinal() && !noReceiptComing) {
      return new Translation(with(r), toSms, toCpm, delivered, failed, nextRef);
    }
    boolean counts = !r.ref().equals(INVITATION_REF);
    return new Translation(without(r.ref()), toSms, toCpm,
        delivered + (counts && r.status() == MessageStatus.DELIVERED ? 1 : 0),
        failed + (counts && r.status() == MessageStatus.FAILED ? 1 : 0), nextRef);
  }

  private Map<String, MessageRecord> with(MessageRecord record) {
    Map<String, MessageRecord> next = new LinkedHashMap<>(inFlight);
    next.put(record.ref(), record);
    return next;
  }

  private Map<String, MessageRecord> without(String ref) {
    Map<String, MessageRecord> next = new LinkedHashMap<>(inFlight);
    next.remove(ref);
    return next;
  }
}

package org.ipsmgw.pager;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.RecentIds;
import org.ipsmgw.pager.PagerEvent.CpmMessageStored;
import org.ipsmgw.pager.PagerEvent.DeliveryReported;
import org.ipsmgw.pager.PagerEvent.FailureReceiptsForgotten;
import org.ipsmgw.pager.PagerEvent.NoticeDropped;
import org.ipsmgw.pager.PagerEvent.NoticeOwed;
import org.ipsmgw.pager.PagerEvent.NoticeResent;
import org.ipsmgw.pager.PagerEvent.SipAnswered;
import org.ipsmgw.pager.PagerEvent.SmsMessageStored;
import org.ipsmgw.pager.PagerEvent.SmsSubmitFailed;
import org.ipsmgw.pager.PagerEvent.SmsSubmitted;
import org.ipsmgw.session.AwaitedReceipts;
import org.ipsmgw.session.Direction;
import org.ipsmgw.session.MessageStatus;
import org.ipsmgw.session.ReceiptRequest;

/**
 * A pager conversation between one SMS user and one CPM user's number.
 *
 * @param cpmIdentity the CPM user's URI as last seen (replies go there), or null before any
 *     message
 * @param conversationId the conversation's Conversation-ID, stored as received
 * @param lastContributionId the Contribution-ID of the latest message either way; an SMS reply
 *     names it as InReplyTo-Contribution-ID
 * @param inFlight messages not yet settled, by reference
 * @param taken the imdn.Message-IDs of the last {@value org.ipsmgw.RecentIds#KEPT} MESSAGEs taken
 *     from the CPM user (null in older snapshots: none), so a MESSAGE sent again after its answer
 *     was lost or came too late is recognised after it settled, and not sent as SMS twice
 * @param notices IMDN MESSAGEs owed to the CPM user, by reference, in the order they became owed
 *     (null in older snapshots: none)
 */
public record PagerState(String cpmIdentity, String conversationId, String lastContributionId,
    Map<String, PagerMessage> inFlight, int nextRef, List<String> taken,
    Map<String, PagerNotice> notices) implements CborSerializable {

  public static final PagerState EMPTY =
      new PagerState(null, null, null, Map.of(), 1, List.of(), Map.of());

  public PagerState {
    inFlight = Collections.unmodifiableMap(new LinkedHashMap<>(inFlight));
    taken = taken == null ? List.of() : List.copyOf(taken);
    notices = notices == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(notices));
  }

  /**
   * Nothing in flight but SMS waiting for a failure receipt only, and no notice owed: the
   * conversation may leave memory. Such a receipt, if it ever comes, wakes it (the SMSC id index
   * is durable), while a delivered SMS of that kind would otherwise hold it in memory for good.
   */
  public boolean idle() {
    return notices.isEmpty() && inFlight.values().stream().allMatch(PagerState::awaitsFailureOnly);
  }

  /** Whether the CPM user's MESSAGE with this imdn.Message-ID was already taken. */
  public boolean tookFromCpm(String imdnMessageId) {
    return imdnMessageId != null && (taken.contains(imdnMessageId)
        || inFlight.values().stream().anyMatch(m -> m.direction() == Direction.TO_SMS
            && imdnMessageId.equals(m.imdnMessageId())));
  }

  public boolean hasThread() {
    return cpmIdentity != null && conversationId != null;
  }

  public String nextMessageRef() {
    return "p" + nextRef;
  }

  /**
   * The SMS still waiting for a failure receipt only, oldest first (a negative-delivery IMDN
   * alone asked): a delivered one gets no receipt.
   */
  public List<String> awaitingFailureOnly() {
    return inFlight.values().stream().filter(PagerState::awaitsFailureOnly)
        .map(PagerMessage::ref).toList();
  }

  /**
   * The oldest SMS to stop waiting on once the SMSC accepted {@code submitting} too
   * ({@link AwaitedReceipts#beyond}).
   */
  List<String> beyondAwaited(String submitting, int awaited) {
    return AwaitedReceipts.beyond(inFlight.values().stream()
        .filter(m -> awaitsFailureOnly(m) || m.status() == MessageStatus.PENDING
            && asksFailuresOnly(m) && m.ref().equals(submitting))
        .map(PagerMessage::ref).toList(), awaited);
  }

  private static boolean awaitsFailureOnly(PagerMessage m) {
    return m.status() == MessageStatus.SUBMITTED && asksFailuresOnly(m);
  }

  private static boolean asksFailuresOnly(PagerMessage m) {
    return m.direction() == Direction.TO_SMS && m.receipt() == ReceiptRequest.FAILURE_ONLY;
  }

  public Optional<PagerMessage> bySmscId(String smscId) {
    return inFlight.values().stream().filter(m -> m.smscIds().contains(smscId)).findFirst();
  }

  PagerState apply(PagerEvent event) {
    if (event instanceof CpmMessageStored e) {
      return new PagerState(e.cpmIdentity(), e.ids().conversationId(), e.ids().contributionId(),
          with(PagerMessage.pending(e.messageRef(), Direction.TO_SMS, e.text(), e.imdnMessageId(),
              e.receipt(), e.ids(), null)), nextRef + 1,
          e.imdnMessageId() == null ? taken : RecentIds.with(taken, e.imdnMessageId()), notices);
    }
    if (event instanceof SmsMessageStored e) {
      return new PagerState(e.target(), e.ids().conversationId(), e.ids().contributionId(),
          with(PagerMessage.pending(e.messageRef(), Direction.TO_CPM, e.text(), e.imdnMessageId(),
              org.ipsmgw.session.ReceiptRequest.NONE, e.ids(), e.target())), nextRef + 1, taken,
          notices);
    }
    if (event instanceof SmsSubmitted e) {
      return settle(e.messageRef(), m -> m.submitted(e.smscIds()));
    }
    if (event instanceof SmsSubmitFailed e) {
      return without(e.messageRef());
    }
    if (event instanceof DeliveryReported e) {
      return settle(e.messageRef(), m -> m.receipt(e.smscId(), e.delivered()));
    }
    if (event instanceof FailureReceiptsForgotten e) {
      Map<String, PagerMessage> left = new LinkedHashMap<>(inFlight);
      left.values().removeIf(m -> e.messageRefs().contains(m.ref()) && awaitsFailureOnly(m));
      return copy(left);
    }
    if (event instanceof SipAnswered e) {
      return notices.containsKey(e.messageRef()) ? withNotices(e.messageRef(), null)
          : without(e.messageRef());
    }
    if (event instanceof NoticeOwed e) {
      return withNotices(e.notice().ref(), e.notice());
    }
    if (event instanceof NoticeResent e) {
      PagerNotice n = notices.get(e.ref());
      return n == null ? this : withNotices(e.ref(), n.resent());
    }
    if (event instanceof NoticeDropped e) {
      return withNotices(e.ref(), null);
    }
    throw new IllegalStateException("unhandled event " + event);
  }

  private PagerState settle(String ref, java.util.function.UnaryOperator<PagerMessage> change) {
    PagerMessage current = inFlight.get(ref);
    if (current == null) {
      return this;
    }
    PagerMessage next = change.apply(current);
    return next.settled() ? without(ref) : copy(with(next));
  }

  private Map<String, PagerMessage> with(PagerMessage m) {
    Map<String, PagerMessage> next = new LinkedHashMap<>(inFlight);
    next.put(m.ref(), m);
    return next;
  }

  private PagerState without(String ref) {
    Map<String, PagerMessage> next = new LinkedHashMap<>(inFlight);
    next.remove(ref);
    return copy(next);
  }

  private PagerState copy(Map<String, PagerMessage> messages) {
    return new PagerState(cpmIdentity, conversationId, lastContributionId, messages, nextRef,
        taken, notices);
  }

  /** With the notice under {@code ref} replaced, or removed when {@code notice} is null. */
  private PagerState withNotices(String ref, PagerNotice notice) {
    Map<String, PagerNotice> next = new LinkedHashMap<>(notices);
    if (notice == null) {
      next.remove(ref);
    } else {
      next.put(ref, notice);
    }
    return new PagerState(cpmIdentity, conversationId, lastContributionId, inFlight, nextRef,
        taken, next);
  }
}

package org.ipsmgw.sim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.ipsmgw.RandomIds;

/**
 * Every submit_sm the simulator received, in arrival order, the accepted ones by message id, and
 * the ids it hands out: counting up from a random start, so two runs never share ids, in decimal
 * or (as some SMSCs do) hexadecimal.
 */
final class SubmitLog {
  private final List<ReceivedSubmit> submits = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, ReceivedSubmit> byId = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(RandomIds.below(1L << 40));
  private volatile boolean hexIds;

  SubmitLog(boolean hexIds) {
    this.hexIds = hexIds;
  }

  void setHexIds(boolean hex) {
    this.hexIds = hex;
  }

  boolean hexIds() {
    return hexIds;
  }

  String newId() {
    long id = nextId.incrementAndGet();
    return hexIds ? Long.toHexString(id) : Long.toString(id);
  }

  void add(ReceivedSubmit submit) {
    submits.add(submit);
  }

  void accepted(ReceivedSubmit submit) {
    byId.put(submit.messageId(), submit);
  }

  /** The accepted submit_sm with this message id, or null. */
  ReceivedSubmit byId(String messageId) {
    return byId.get(messageId);
  }

  List<ReceivedSubmit> all() {
    return from(0);
  }

  /** The submits from the {@code first}-th on (the log only appends), copied. */
  List<ReceivedSubmit> from(int first) {
    synchronized (submits) {
      return List.copyOf(submits.subList(Math.min(first, submits.size()), submits.size()));
    }
  }
}

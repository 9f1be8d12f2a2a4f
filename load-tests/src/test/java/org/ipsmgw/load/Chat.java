package org.ipsmgw.load;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sip.message.Response;

/**
 * One virtual user's chat: a CPM user (+44771…) with an SMS user (+44772…), numbered by the
 * Gatling user id so every chat of a run has its own pair (the gateway correlates an MO by the
 * pair), its SIP identifiers, its MSRP connection, and what it still waits for.
 */
final class Chat {
  final long id;
  final String cpm;
  final String sms;
  final String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
  final String callId;
  final String fromTag;
  final String ourPath;
  final Window mtWindow;
  final Window moWindow;
  /** Each MSRP message's "at the SMSC", each MO's "at the CPM client". */
  final List<CompletableFuture<Long>> mtArrivals = new CopyOnWriteArrayList<>();
  final List<CompletableFuture<Long>> moArrivals = new CopyOnWriteArrayList<>();
  /** imdn.Message-IDs shown: a resend under one is the same message (RFC 5438 §6.3). */
  final Set<String> shownMessageIds = ConcurrentHashMap.newKeySet();
  volatile Response ok;
  /** An INVITE sent and not yet finally answered (invitation by SMS), and when it was sent. */
  volatile CompletableFuture<Response> pendingInvite;
  volatile long inviteStart;
  volatile MsrpChannel msrp;
  volatile String gatewayPath;
  /** Touched on the user's event loop only. */
  int mtSeq;
  int moSeq;

  Chat(long id, String host, int mtWindow, int moWindow) {
    this(id, 0, host, mtWindow, moWindow);
  }

  /** {@code numberOffset} is added to the id in both numbers only (a warm-up's own users). */
  Chat(long id, long numberOffset, String host, int mtWindow, int moWindow) {
    this.id = id;
    this.cpm = String.format("+44771%07d", id + numberOffset);
    this.sms = String.format("+44772%07d", id + numberOffset);
    this.callId = "load-" + id + "-" + nonce + "@" + host;
    this.fromTag = "t" + nonce;
    this.ourPath = "msrp://" + host + ":9/c" + id + "x" + nonce + ";tcp";
    this.mtWindow = new Window(mtWindow);
    this.moWindow = new Window(moWindow);
  }

  String remoteTo() {
    return "<tel:" + sms + ">;tag=" + SipUa.remoteTag(ok);
  }
}

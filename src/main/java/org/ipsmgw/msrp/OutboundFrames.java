package org.ipsmgw.msrp;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.ipsmgw.cpim.CpimCodec;
import org.ipsmgw.cpim.CpimMessages;
import org.ipsmgw.cpim.Imdn;
import org.ipsmgw.cpim.MessageTypes;

/**
 * What the gateway sends on one bound MSRP session, toward the CPM user: REPORTs about the CPM
 * user's messages (RFC 4975 §7.1.2), the SMS user's texts and the IMDNs on the SMS user's behalf
 * as CPIM in SEND chunks of at most {@link MsrpSettings#CHUNK_OCTETS} octets, and the empty SEND
 * that binds a connection the gateway opened (RFC 6135 §4). Every frame gets new transaction and
 * message ids; notices are dated by the clock.
 */
public final class OutboundFrames {
  /**
   * Status of a failure REPORT for an SMS the SMSC refused or could not deliver: 403, "action
   * not allowed", as RFC 4975 has no code of its own for a downstream network's refusal.
   */
  static final int FAILED_DOWNSTREAM = MsrpStatus.NOT_ALLOWED;

  private final String peerUri;
  private final String ourUri;
  private final String cpmIdentity;
  private final String smsMsisdn;
  private final Clock clock;
  private final Supplier<String> ids;

  /**
   * @param peerUri the CPM side's path URI, where the frames go
   * @param ourUri this gateway's path URI of the session
   * @param cpmIdentity the CPM user, the CPIM To
   * @param smsMsisdn the SMS user, the CPIM From of the notices
   * @param ids new MSRP transaction, Message-ID and imdn.Message-ID values
   */
  public OutboundFrames(String peerUri, String ourUri, String cpmIdentity, String smsMsisdn,
      Clock clock, Supplier<String> ids) {
    this.peerUri = peerUri;
    this.ourUri = ourUri;
    this.cpmIdentity = cpmIdentity;
    this.smsMsisdn = smsMsisdn;
    this.clock = clock;
    this.ids = ids;
  }

  public String peerUri() {
    return peerUri;
  }

  public String ourUri() {
    return ourUri;
  }

  /** The empty SEND that lets the peer bind a connection the gateway opened. */
  public MsrpFrame bindingSend() {
    String tid = ids.get();
    return MsrpWriter.send(tid, peerUri, ourUri, ids.get(), ByteRange.whole(0), false, null,
        MessageTypes.TEXT, new byte[0], '$');
  }

  /** {@code 000 200 OK} for a whole message of {@code octets} the chat stored. */
  public MsrpFrame successReport(String messageId, int octets) {
    return MsrpWriter.report(ids.get(), peerUri, ourUri, messageId, ByteRange.whole(octets),
        MsrpStatus.OK, "OK");
  }

  /**
   * The message's SMS failed after its 200 (the gateway clause of §7.1.4); the range is
   * {@code 1-*}/{@code *}, as the whole message failed.
   */
  public MsrpFrame failureReport(String messageId) {
    return MsrpWriter.report(ids.get(), peerUri, ourUri, messageId, new ByteRange(1, -1, -1),
        FAILED_DOWNSTREAM, "SMS not delivered");
  }

  /** An SMS user's text, dated when the SMS was sent. */
  public List<MsrpFrame> chat(String fromMsisdn, Instant sentAt, String text) {
    String imdnMessageId = ids.get();
    return chat(fromMsisdn, sentAt, text, imdnMessageId, ids.get());
  }

  /**
   * An SMS user's text with {@code messageId} as both its MSRP Message-ID and its
   * imdn.Message-ID: the chat's id for it, the same when it is sent again.
   */
  public List<MsrpFrame> chat(String fromMsisdn, Instant sentAt, String text, String messageId) {
    return chat(fromMsisdn, sentAt, text, messageId, messageId);
  }

  private List<MsrpFrame> chat(String fromMsisdn, Instant sentAt, String text,
      String imdnMessageId, String msrpMessageId) {
    return chunks(CpimCodec.write(CpimMessages.chat(fromMsisdn, cpmIdentity,
        OffsetDateTime.ofInstant(sentAt, ZoneOffset.UTC), imdnMessageId, text)), msrpMessageId);
  }

  /** Whether the CPM user's message reached the SMS user (RFC 5438 delivery-notification). */
  public List<MsrpFrame> deliveryNotice(String imdnMessageId, boolean delivered) {
    return notice(imdnMessageId, Imdn.Kind.DELIVERY, delivered ? "delivered" : "failed", null);
  }

  /** The same, with {@code noticeId} as the notification's own MSRP and imdn Message-ID. */
  public List<MsrpFrame> deliveryNotice(String imdnMessageId, boolean delivered,
      String noticeId) {
    return notice(imdnMessageId, Imdn.Kind.DELIVERY, delivered ? "delivered" : "failed",
        noticeId);
  }

  /** The CPM user's message goes on as SMS (OMA CPM interworking-notification). */
  public List<MsrpFrame> interworkingNotice(String imdnMessageId) {
    return notice(imdnMessageId, Imdn.Kind.INTERWORKING, "legacy-sms", null);
  }

  /** {@code noticeId}: the notification's MSRP and imdn Message-ID, or null for new random ones. */
  private List<MsrpFrame> notice(String imdnMessageId, Imdn.Kind kind, String status,
      String noticeId) {
    OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    Imdn imdn = new Imdn(imdnMessageId, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(now), null,
        kind, status);
    byte[] body = CpimCodec.write(CpimMessages.notification(smsMsisdn, cpmIdentity, now,
        noticeId == null ? ids.get() : noticeId, imdn));
    return chunks(body, noticeId == null ? ids.get() : noticeId);
  }

  /** SEND chunks of one message; all but the last end with '+'. */
  private List<MsrpFrame> chunks(byte[] body, String messageId) {
    List<MsrpFrame> frames = new ArrayList<>();
    int total = body.length;
    int at = 0;
    do {
      int n = Math.min(MsrpSettings.CHUNK_OCTETS, total - at);
      boolean last = at + n == total;
      frames.add(MsrpWriter.send(ids.get(), peerUri, ourUri, messageId,
          new ByteRange(at + 1, at + n, total), false, null, MessageTypes.CPIM,
          Arrays.copyOfRange(body, at, at + n), last ? '$' : '+'));
      at += n;
    } while (at < total);
    return frames;
  }
}

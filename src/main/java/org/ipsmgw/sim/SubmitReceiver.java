package org.ipsmgw.sim;

import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.jsmpp.PDUStringException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what an ESME sends: a submit_sm is recorded, then answered with a new message id or
 * refused as the {@link SubmitRules} say; every other operation is refused ESME_RINVCMDID.
 */
final class SubmitReceiver implements ServerMessageReceiverListener {
  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);

  private final SubmitRules rules;
  private final SubmitLog log;
  private final SmscBinds binds;
  private final Clock clock;
  /** False once the simulator is closing: its binds are being unbound. */
  private final BooleanSupplier open;

  SubmitReceiver(SubmitRules rules, SubmitLog log, SmscBinds binds, Clock clock,
      BooleanSupplier open) {
    this.rules = rules;
    this.log = log;
    this.binds = binds;
    this.clock = clock;
    this.open = open;
  }

  @Override
  public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source)
      throws ProcessRequestException {
    // A submit_sm that reaches a closing SMSC is refused for now (message queue full, which an
    // ESME retries), as by an SMSC shutting down: taken while its binds are being unbound, its
    // response would be lost with the bind and the ESME would rightly send it again.
    boolean closing = !open.getAsBoolean();
    boolean throttled = !closing && rules.throttled(sm.getDestAddress());
    int status = closing ? SMPPConstant.STAT_ESME_RMSGQFUL
        : throttled ? SMPPConstant.STAT_ESME_RTHROTTLED : rules.refusal(sm.getDestAddress());
    String id = status != 0 ? null : log.newId();
    ReceivedSubmit received = new ReceivedSubmit(binds.systemId(source), sm.getSourceAddr(),
        sm.getSourceAddrTon(), sm.getDestAddress(), sm.getEsmClass() & 0xFF,
        sm.getDataCoding() & 0xFF, sm.getRegisteredDelivery() & 0xFF,
        sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage(), tlvs(sm), id, status,
        clock.instant());
    log.add(received);
    if (status != 0) {
      throw new ProcessRequestException(closing ? "closing" : throttled ? "throttled" : "refused",
          status);
    }
    slowDown();
    log.accepted(received);
    dropBindIfAsked(sm.getDestAddress(), source);
    try {
      return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
    } catch (PDUStringException e) {
      throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
    }
  }

  /** A slow SMSC: the response waits on this PDU's own thread, as at a busy SMSC. */
  private void slowDown() {
    long millis = rules.submitDelay().toMillis();
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The optional parameters by tag, each value without its tag and length. */
  private static Map<Short, byte[]> tlvs(SubmitSm sm) {
    Map<Short, byte[]> tlvs = new HashMap<>();
    if (sm.getOptionalParameters() != null) {
      for (OptionalParameter p : sm.getOptionalParameters()) {
        byte[] raw = p.serialize();
        tlvs.put(p.tag, Arrays.copyOfRange(raw, 4, raw.length));
      }
    }
    return Map.copyOf(tlvs);
  }

  private void dropBindIfAsked(String destination, SMPPServerSession session) {
    if (rules.dropBind(destination)) {
      LOG.info("SMSC simulator: dropping the bind of {} before answering a submit_sm",
          binds.systemId(session));
      // Closed here, on the PDU's own thread, so the response that follows finds no socket.
      session.close();
    }
  }

  @Override
  public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public QuerySmResult onAcceptQuerySm(QuerySm sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptReplaceSm(ReplaceSm sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptCancelSm(CancelSm sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public void onAcceptCancelBroadcastSm(CancelBroadcastSm sm, SMPPServerSession source)
      throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm sm,
      SMPPServerSession source) throws ProcessRequestException {
    throw unsupported();
  }

  @Override
  public DataSmResult onAcceptDataSm(DataSm sm, Session source) throws ProcessRequestException {
    throw unsupported();
  }

  private static ProcessRequestException unsupported() {
    return new ProcessRequestException("not supported", SMPPConstant.STAT_ESME_RINVCMDID);
  }
}

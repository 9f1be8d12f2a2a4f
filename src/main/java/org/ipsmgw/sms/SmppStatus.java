package org.ipsmgw.sms;

import java.util.Map;
import org.jsmpp.SMPPConstant;

/** SMPP command_status values as an operator reads them in a log line. */
final class SmppStatus {
  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(SMPPConstant.STAT_ESME_ROK, "ESME_ROK"),
      Map.entry(SMPPConstant.STAT_ESME_RINVMSGLEN, "ESME_RINVMSGLEN"),
      Map.entry(SMPPConstant.STAT_ESME_RINVCMDLEN, "ESME_RINVCMDLEN"),
      Map.entry(SMPPConstant.STAT_ESME_RINVCMDID, "ESME_RINVCMDID"),
      Map.entry(SMPPConstant.STAT_ESME_RINVBNDSTS, "ESME_RINVBNDSTS"),
      Map.entry(SMPPConstant.STAT_ESME_RSYSERR, "ESME_RSYSERR"),
      Map.entry(SMPPConstant.STAT_ESME_RINVSRCADR, "ESME_RINVSRCADR"),
      Map.entry(SMPPConstant.STAT_ESME_RINVDSTADR, "ESME_RINVDSTADR"),
      Map.entry(SMPPConstant.STAT_ESME_RBINDFAIL, "ESME_RBINDFAIL"),
      Map.entry(SMPPConstant.STAT_ESME_RINVPASWD, "ESME_RINVPASWD"),
      Map.entry(SMPPConstant.STAT_ESME_RINVSYSID, "ESME_RINVSYSID"),
      Map.entry(SMPPConstant.STAT_ESME_RMSGQFUL, "ESME_RMSGQFUL"),
      Map.entry(SMPPConstant.STAT_ESME_RINVESMCLASS, "ESME_RINVESMCLASS"),
      Map.entry(SMPPConstant.STAT_ESME_RSUBMITFAIL, "ESME_RSUBMITFAIL"),
      Map.entry(SMPPConstant.STAT_ESME_RTHROTTLED, "ESME_RTHROTTLED"),
      Map.entry(SMPPConstant.STAT_ESME_RX_T_APPN, "ESME_RX_T_APPN"),
      Map.entry(SMPPConstant.STAT_ESME_RX_P_APPN, "ESME_RX_P_APPN"),
      Map.entry(SMPPConstant.STAT_ESME_RINVDCS, "ESME_RINVDCS"),
      Map.entry(SMPPConstant.STAT_ESME_RUNKNOWNERR, "ESME_RUNKNOWNERR"));

  private SmppStatus() {}

  /** e.g. {@code ESME_RTHROTTLED}, or {@code 0x0401} for a status without a name here. */
  static String name(int status) {
    return NAMES.getOrDefault(status, String.format("0x%02X", status));
  }

  /** e.g. {@code ESME_RTHROTTLED (0x58)}. */
  static String describe(int status) {
    return NAMES.getOrDefault(status, "status") + String.format(" (0x%02X)", status);
  }

  /** The SMSC is busy, not refusing: the same PDU may succeed later (SMPP 3.4 §5.1.3). */
  static boolean isTransient(int status) {
    return status == SMPPConstant.STAT_ESME_RTHROTTLED
        || status == SMPPConstant.STAT_ESME_RMSGQFUL;
  }
}

package org.ipsmgw.sip;

import gov.nist.core.ServerLogger;
import gov.nist.javax.sip.message.SIPMessage;
import java.util.Properties;
import javax.sip.SipStack;

/**
 * The RI's message log ({@code gov.nist.javax.sip.SERVER_LOGGER}) writes every message sent and
 * received, bodies included; chat and SMS text must not reach a log, so it writes nothing.
 */
public final class NoMessageLog implements ServerLogger {
  @Override
  public void closeLogFile() {}

  @Override
  public void logMessage(SIPMessage message, String from, String to, boolean sender,
      long time) {}

  @Override
  public void logMessage(SIPMessage message, String from, String to, String status,
      boolean sender, long time) {}

  @Override
  public void logMessage(SIPMessage message, String from, String to, String status,
      boolean sender) {}

  @Override
  public void logException(Exception ex) {}

  @Override
  public void setStackProperties(Properties stackProperties) {}

  @Override
  public void setSipStack(SipStack sipStack) {}
}

package org.ipsmgw.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RI's message parser ({@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}) with the gateway
 * watching: a message that does not parse, or lacks a header every request needs, is reported to
 * the stack's {@link MalformedRequests}. Over UDP such a message is refused as a parse error, so
 * the RI drops it quietly instead of failing on it (a missing CSeq made it throw, and log the
 * datagram); over TCP it goes on to the RI, which reads its body off the stream and drops it.
 */
public final class GuardedParserFactory implements MessageParserFactory {
  private static final Map<SIPTransactionStack, MalformedRequests> REPORTS =
      new ConcurrentHashMap<>();

  static void register(javax.sip.SipStack stack, MalformedRequests reports) {
    REPORTS.put((SIPTransactionStack) stack, reports);
  }

  static void unregister(javax.sip.SipStack stack) {
    REPORTS.remove((SIPTransactionStack) stack);
  }

  @Override
  public MessageParser createMessageParser(SIPTransactionStack stack) {
    return new Guarded(new StringMsgParser(), stack);
  }

  private static final class Guarded implements MessageParser {
    private final MessageParser parser;
    private final SIPTransactionStack stack;

    Guarded(MessageParser parser, SIPTransactionStack stack) {
      this.parser = parser;
      this.stack = stack;
    }

    @Override
    public SIPMessage parseSIPMessage(byte[] bytes, boolean readBody, boolean strict,
        ParseExceptionListener channel) throws ParseException {
      SIPMessage message;
      try {
        message = parser.parseSIPMessage(bytes, readBody, strict, channel);
      } catch (ParseException | RuntimeException e) {
        report(channel, bytes, "not parsable");
        throw e instanceof ParseException p ? p : new ParseException("not parsable", 0);
      }
      if (message == null) {
        return null;
      }
      String missing = missing(message);
      if (missing != null) {
        report(channel, bytes, "no " + missing);
        if (readBody) {
          // A datagram: refused here, before the RI dereferences the missing header.
          throw new ParseException("no " + missing, 0);
        }
      }
      return message;
    }

    private void report(ParseExceptionListener channel, byte[] bytes, String reason) {
      MalformedRequests reports = REPORTS.get(stack);
      if (reports == null) {
        return;
      }
      String transport = "?";
      String source = "?";
      if (channel instanceof MessageChannel c) {
        transport = c.getTransport() == null ? "?" : c.getTransport().toLowerCase(
            java.util.Locale.ROOT);
        source = c.getPeerAddress() == null ? "?" : c.getPeerAddress();
      }
      reports.report(transport, source, bytes, reason);
    }

    private static String missing(SIPMessage m) {
      if (m.getCSeq() == null) {
        return "CSeq";
      } else if (m.getCallId() == null) {
        return "Call-ID";
      } else if (m.getFrom() == null) {
        return "From";
      } else if (m.getTo() == null) {
        return "To";
      } else if (m.getTopmostVia() == null) {
        return "Via";
      }
      return null;
    }
  }
}

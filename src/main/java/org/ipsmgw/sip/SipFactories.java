package org.ipsmgw.sip;

import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.message.MessageFactory;

/** The RI's factories of messages, headers and addresses; they need no running stack. */
record SipFactories(MessageFactory messages, HeaderFactory headers, AddressFactory addresses) {

  static SipFactories create() {
    SipFactory factory = SipFactory.getInstance();
    factory.setPathName("gov.nist");
    try {
      return new SipFactories(factory.createMessageFactory(), factory.createHeaderFactory(),
          factory.createAddressFactory());
    } catch (PeerUnavailableException e) {
      throw new IllegalStateException("the JAIN-SIP RI is not on the class path", e);
    }
  }
}

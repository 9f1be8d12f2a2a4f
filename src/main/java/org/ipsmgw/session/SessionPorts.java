package org.ipsmgw.session;

/** The outbound ports through which a session's decisions leave the entity, after persist. */
public record SessionPorts(SipPort sip, MsrpPort msrp, SmsPort sms) {}

package org.ipsmgw.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Instant;
import java.util.List;
import org.ipsmgw.policy.OperatorPolicy;
import org.ipsmgw.policy.PolicyConfig;

/** Invitations and policies for session tests. */
public final class SessionFixtures {
  public static final String CPM_MSISDN = "+447700900555";
  public static final String SMS_MSISDN = "+447700900777";
  // Opaque values with characters a normaliser might touch: case, '=', '-', '.'.
  public static final CpmIdentifiers IDS = new CpmIdentifiers("Conv-0b20864a.5569=AbC",
      "Contr-ec1d9638-F7CD", "Reply-To-77aa", "svc:sms-legacy");

  private SessionFixtures() {}

  public static Config policyConfig(String overrides) {
    Config base = ConfigFactory.parseFile(new File("conf/policy.conf")).resolve();
    return ConfigFactory.parseString(overrides).withFallback(base).resolve();
  }

  public static OperatorPolicy policy(String overrides) {
    return PolicyConfig.fromConfig(policyConfig(overrides).getConfig("ipsmgw.policy"));
  }

  public static Invitation invitation(String callId) {
    return invitation(callId, IDS, false);
  }

  public static Invitation invitation(String callId, CpmIdentifiers ids, boolean anonymous) {
    InviteContext sip = new InviteContext("sip:" + SMS_MSISDN + "@ipsmgw.example;user=phone",
        List.of("SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK-1"),
        "<sip:" + CPM_MSISDN + "@ims.example>;tag=abc", "<tel:" + SMS_MSISDN + ">", callId, 1,
        "abc", "sip:alice@127.0.0.1:5070;transport=tcp", List.of("<sip:scscf.example;lr>"));
    Parties parties = new Parties("sip:" + CPM_MSISDN + "@ims.example", CPM_MSISDN, "Alice",
        SMS_MSISDN);
    return new Invitation(callId, ids, parties, sip, "v=0\r\nm=message 7394 TCP/MSRP *\r\n",
        anonymous, Instant.parse("2026-11-24T10:00:00Z"));
  }
}

package org.ipsmgw.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.ipsmgw.session.InviteContext;
import org.junit.jupiter.api.Test;

class DialogTransportTest {
  private static final String PROXY = "sip:scscf.example:5060;transport=udp;lr";

  private static InviteContext dialog(List<String> via, String target, List<String> routes) {
    return new InviteContext("tel:+447700900555", via, "<tel:+447700900555>;tag=a",
        "<tel:+447700940001>", "c1", 1, "a", target, routes);
  }

  @Test
  void theGatewaysOwnInviteGoesOnTheOutboundProxysTransport() {
    assertEquals("udp", DialogTransport.of(dialog(List.of(), "tel:+447700900555", List.of()),
        true, PROXY));
    assertEquals("tcp", DialogTransport.of(dialog(List.of(), "tel:+447700900555", List.of()),
        true, ""));
  }

  @Test
  void aLaterRequestOfTheGatewaysDialogKeepsTheProxysTransportUnlessTheNextHopNamesOne() {
    assertEquals("udp", DialogTransport.of(dialog(List.of(), "sip:u@10.0.0.1",
        List.of("<sip:scscf.example;lr>")), false, PROXY));
    assertEquals("tcp", DialogTransport.of(dialog(List.of(), "sip:u@10.0.0.1",
        List.of("<sip:scscf.example;transport=TCP;lr>")), false, PROXY));
    assertEquals("tcp", DialogTransport.of(dialog(List.of(), "sip:u@10.0.0.1;transport=tcp",
        List.of()), false, PROXY));
  }

  @Test
  void aCpmOriginatedDialogKeepsTheTransportOfItsInvite() {
    assertEquals("udp", DialogTransport.of(dialog(List.of("SIP/2.0/UDP 10.0.0.1:5060;branch=z"),
        "sip:u@10.0.0.1:5060", List.of()), false, ""));
    assertEquals("tcp", DialogTransport.of(dialog(List.of("SIP/2.0/TCP 10.0.0.1:5060;branch=z"),
        "sip:u@10.0.0.1:5060", List.of()), false, PROXY));
  }

  @Test
  void theParameterIsReadFromAUriOrANameAddr() {
    assertEquals(Optional.of("udp"), DialogTransport.param("<sip:a@b;transport=udp>;tag=1"));
    assertEquals(Optional.empty(), DialogTransport.param("sip:a@b;lr"));
    assertEquals(Optional.empty(), DialogTransport.param(null));
  }
}

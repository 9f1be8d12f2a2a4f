package org.ipsmgw.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.ipsmgw.TestPorts;
import org.ipsmgw.node.Node;
import org.ipsmgw.node.NodeConfig;
import org.ipsmgw.node.RunningNode;
import org.ipsmgw.session.ChatSession;
import org.ipsmgw.session.ChatSessionCommand;
import org.ipsmgw.session.CommandReply;
import org.ipsmgw.session.Invitation;
import org.ipsmgw.session.Parties;
import org.ipsmgw.session.RecordingPorts;
import org.ipsmgw.session.SessionFixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /api/v1 admin API over real HTTP against a running node (H2 journal, bearer token set):
 * preferences, policy and sessions, their bad-input answers, the token, and that preferences and
 * policy survive a restart of the node.
 */
class AdminApiIT {
  private static final String TOKEN = "it-token-9f2c";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration ASK = Duration.ofSeconds(20);

  @TempDir
  static Path dir;

  private static ActorTestKit probes;
  private static RecordingPorts ports;
  private static RunningNode node;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    probes = ActorTestKit.create("admin-probes");
    ports = new RecordingPorts(probes);
    node = startNode(dir.resolve("journal"), ports);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.stop();
    }
    probes.shutdownTestKit();
  }

  static RunningNode startNode(Path journal, RecordingPorts ports) {
    Map<String, String> env = new HashMap<>();
    env.put("IPSMGW_DB_URL", "jdbc:h2:file:" + journal.toAbsolutePath());
    env.put("IPSMGW_CLUSTER_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_PORT", String.valueOf(TestPorts.free()));
    env.put("IPSMGW_ADMIN_TOKEN", TOKEN);
    Config config = NodeConfig.load(null, env, new Properties());
    return Node.start(config, ports.ports());
  }

  // --- helpers ---------------------------------------------------------------------------------

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  static Answer call(RunningNode on, String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + on.adminPort() + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() || !r.headers().firstValue("Content-Type")
        .orElse("").contains("json") ? null : JSON.readTree(r.body());
    return new Answer(r.statusCode(), json, r);
  }

  static Answer call(String method, String path, String body) throws Exception {
    return call(node, method, path, body, TOKEN);
  }

  private static void assertError(Answer a, int status, String mentions) {
    assertEquals(status, a.status(), a.raw().body());
    assertTrue(a.body().get("error").asText().contains(mentions),
        "error should mention '" + mentions + "': " + a.raw().body());
  }

  private static String invite(String smsUser) throws Exception {
    String id = "admin-" + Long.toHexString(System.nanoTime()) + "@cpm.example";
    Invitation t = SessionFixtures.invitation(id);
    Parties p = t.parties();
    Invitation inv = new Invitation(id, t.ids(),
        new Parties(p.cpmIdentity(), p.cpmMsisdn(), p.cpmDisplayName(), smsUser), t.sip(),
        t.sdpOffer(), false, Instant.now());
    CommandReply reply = ClusterSharding.get(node.system())
        .entityRefFor(ChatSession.TYPE_KEY, id)
        .<CommandReply>ask(r -> new ChatSessionCommand.Invite(inv, r), ASK)
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
    assertInstanceOf(CommandReply.Accepted.class, reply);
    return id;
  }

  private static String path(String sessionId) {
    return "/api/v1/sessions/" + URLEncoder.encode(sessionId, StandardCharsets.UTF_8);
  }

  // --- token -----------------------------------------------------------------------------------

  @Test
  void theApiNeedsTheBearerTokenButHealthAndMetricsDoNot() throws Exception {
    Answer none = call(node, "GET", "/api/v1/policy", null, null);
    assertEquals(401, none.status());
    assertEquals("Bearer realm=\"ipsmgw\"",
        none.raw().headers().firstValue("WWW-Authenticate").orElse(""));
    assertTrue(none.body().get("error").asText().contains("Bearer"));
    assertEquals(401, call(node, "GET", "/api/v1/sessions", null, "wrong").status());
    assertEquals(401, call(node, "PUT", "/api/v1/subscribers/447700900300/preferences",
        "{\"invitation\":\"ACCEPT\"}", TOKEN + "x").status());
    assertEquals(200, call(node, "GET", "/api/v1/policy", null, TOKEN).status());
    assertEquals(200, call(node, "GET", "/alive", null, null).status());
    assertEquals(200, call(node, "GET", "/metrics", null, null).status());
  }

  // --- preferences -----------------------------------------------------------------------------

  @Test
  void aPreferenceIsSetReadAndClearedWithOrWithoutThePlus() throws Exception {
    Answer put = call("PUT", "/api/v1/subscribers/%2B447700900301/preferences",
        "{\"invitation\":\"REJECT\"}");
    assertEquals(200, put.status(), put.raw().body());
    assertEquals("+447700900301", put.body().get("msisdn").asText());
    assertEquals("REJECT", put.body().get("invitation").asText());

    Answer get = call("GET", "/api/v1/subscribers/447700900301/preferences", null);
    assertEquals(200, get.status());
    assertEquals("REJECT", get.body().get("invitation").asText());
    assertEquals("REJECT", call("GET", "/api/v1/subscribers/+447700900301/preferences", null)
        .body().get("invitation").asText());

    assertEquals(204, call("DELETE", "/api/v1/subscribers/447700900301/preferences", null)
        .status());
    assertError(call("GET", "/api/v1/subscribers/447700900301/preferences", null), 404,
        "+447700900301");
  }

  @Test
  void theStoredPreferenceDecidesTheNextInvitation() throws Exception {
    assertEquals(200, call("PUT", "/api/v1/subscribers/447700900302/preferences",
        "{\"invitation\":\"ACCEPT\"}").status());
    String id = invite("+447700900302");
    assertEquals(200, ports.awaitResponse(id).status());
  }

  @Test
  void badPreferenceRequestsGetA400ThatSaysWhy() throws Exception {
    assertError(call("PUT", "/api/v1/subscribers/12ab/preferences", "{\"invitation\":\"ACCEPT\"}"),
        400, "not an E.164 number");
    assertError(call("GET", "/api/v1/subscribers/0/preferences", null), 400, "E.164");
    assertError(call("PUT", "/api/v1/subscribers/447700900303/preferences", "{\"invitation\":"),
        400, "not JSON");
    assertError(call("PUT", "/api/v1/subscribers/447700900303/preferences", "[\"ACCEPT\"]"),
        400, "JSON object");
    assertError(call("PUT", "/api/v1/subscribers/447700900303/preferences", "{}"),
        400, "'invitation' is required");
    assertError(call("PUT", "/api/v1/subscribers/447700900303/preferences",
        "{\"invitation\":\"SOMETIMES\"}"), 400, "SOMETIMES");
    assertError(call("GET", "/api/v1/subscribers/447700900303/preferences", null), 404,
        "no preference");
  }

  // --- policy ----------------------------------------------------------------------------------

  @Test
  void thePolicyIsReadUpdatedAndAppliedToTheNextInvitation() throws Exception {
    Answer before = call("GET", "/api/v1/policy", null);
    assertEquals(200, before.status());
    assertTrue(before.body().get("policy").has("reply-window"), before.raw().body());

    Answer put = call("PUT", "/api/v1/policy", "{\"reject-status\": 486}");
    assertEquals(200, put.status(), put.raw().body());
    assertEquals(486, put.body().get("policy").get("reject-status").asInt());
    assertTrue(put.body().get("revision").asLong() > before.body().get("revision").asLong());
    assertEquals(486, call("GET", "/api/v1/policy", null).body().get("policy")
        .get("reject-status").asInt());

    assertEquals(200, call("PUT", "/api/v1/subscribers/447700900304/preferences",
        "{\"invitation\":\"REJECT\"}").status());
    String id = invite("+447700900304");
    assertEquals(486, ports.awaitResponse(id).status());
  }

  @Test
  void aBadPolicyUpdateIsRefusedAndChangesNothing() throws Exception {
    long revision = call("GET", "/api/v1/policy", null).body().get("revision").asLong();
    assertError(call("PUT", "/api/v1/policy", "{\"default-invitation\": \"MAYBE\"}"), 400,
        "default-invitation");
    assertError(call("PUT", "/api/v1/policy", "{\"no-such-key\": 1}"), 400, "no-such-key");
    assertError(call("PUT", "/api/v1/policy", "{\"expiry-status\": 180}"), 400, "expiry-status");
    assertError(call("PUT", "/api/v1/policy", "not json"), 400, "JSON");
    assertError(call("PUT", "/api/v1/policy", "{\"texts\": {\"teardown\": \"bye {nobody}\"}}"),
        400, "{nobody}");
    assertEquals(revision, call("GET", "/api/v1/policy", null).body().get("revision").asLong());
  }

  /**
   * Each value the issue found stored: a string for a boolean, an empty correlation pool, a bare
   * number for a duration, an invitation no SMS budget can carry. 400 naming the key, nothing
   * stored, and the policy in force unchanged.
   */
  @Test
  void aValueOfTheWrongTypeOrSizeIsRefusedNamingTheKey() throws Exception {
    long revision = call("GET", "/api/v1/policy", null).body().get("revision").asLong();
    assertError(call("PUT", "/api/v1/policy", "{\"anonymity-allowed\": \"yes\"}"), 400,
        "ipsmgw.policy.anonymity-allowed");
    assertError(call("PUT", "/api/v1/policy", "{\"correlation\": {\"pool\": []}}"), 400,
        "ipsmgw.policy.correlation.pool");
    assertError(call("PUT", "/api/v1/policy", "{\"reply-window\": 120}"), 400,
        "ipsmgw.policy.reply-window");
    assertError(call("PUT", "/api/v1/policy", "{\"texts\": {\"invitation\": \""
        + "x".repeat(50_000) + "\"}}"), 400, "ipsmgw.policy.texts.invitation");
    Answer after = call("GET", "/api/v1/policy", null);
    assertEquals(revision, after.body().get("revision").asLong());
    assertTrue(after.body().get("policy").get("anonymity-allowed").isBoolean(), after.raw().body());
    assertEquals(10, after.body().get("policy").get("correlation").get("pool").size());
  }

  @Test
  void preferencesAndPolicySurviveARestartOfTheNode(@TempDir Path own) throws Exception {
    RecordingPorts restartPorts = new RecordingPorts(probes);
    RunningNode first = startNode(own.resolve("journal"), restartPorts);
    try {
      assertEquals(200, call(first, "PUT", "/api/v1/policy",
          "{\"default-invitation\": \"REJECT\", \"reply-window\": \"90s\"}", TOKEN).status());
      assertEquals(200, call(first, "PUT", "/api/v1/subscribers/447700900306/preferences",
          "{\"invitation\":\"ACCEPT\"}", TOKEN).status());
    } finally {
      first.stop();
    }
    RunningNode second = startNode(own.resolve("journal"), restartPorts);
    try {
      Answer policy = call(second, "GET", "/api/v1/policy", null, TOKEN);
      assertEquals(200, policy.status(), policy.raw().body());
      assertEquals(1, policy.body().get("revision").asLong());
      assertEquals("REJECT", policy.body().get("policy").get("default-invitation").asText());
      assertEquals("90s", policy.body().get("policy").get("reply-window").asText());
      Answer pref = call(second, "GET", "/api/v1/subscribers/447700900306/preferences", null,
          TOKEN);
      assertEquals("ACCEPT", pref.body().get("invitation").asText());
      org.ipsmgw.Await.until(() -> org.ipsmgw.policy.PolicyHolder.get(second.system()).get()
              .defaultInvitation() == org.ipsmgw.policy.InvitationAction.REJECT,
          Duration.ofSeconds(10), "the restarted node applies the stored policy");
    } finally {
      second.stop();
    }
  }

  // --- sessions --------------------------------------------------------------------------------

  @Test
  void aSessionIsListedShownAndEndedThroughTheApi() throws Exception {
    assertEquals(200, call("PUT", "/api/v1/subscribers/447700900305/preferences",
        "{\"invitation\":\"ACCEPT\"}").status());
    String id = invite("+447700900305");
    assertEquals(200, ports.awaitResponse(id).status());

    Answer list = call("GET", "/api/v1/sessions", null);
    assertEquals(200, list.status(), list.raw().body());
    JsonNode listed = null;
    for (JsonNode s : list.body().get("sessions")) {
      if (s.get("id").asText().equals(id)) {
        listed = s;
      }
      assertTrue(SessionRoutes.LIVE.contains(s.get("state").asText()), s.toString());
    }
    assertTrue(listed != null, "the active session is listed: " + list.raw().body());

    Answer one = call("GET", path(id), null);
    assertEquals(200, one.status());
    JsonNode s = one.body();
    assertEquals("ACTIVE", s.get("state").asText());
    assertEquals("+447700900305", s.get("smsMsisdn").asText());
    assertEquals(SessionFixtures.CPM_MSISDN, s.get("cpmMsisdn").asText());
    assertEquals(SessionFixtures.IDS.conversationId(), s.get("conversationId").asText());
    assertEquals(SessionFixtures.IDS.contributionId(), s.get("contributionId").asText());
    assertEquals(SessionFixtures.IDS.inReplyToContributionId(),
        s.get("inReplyToContributionId").asText());
    assertEquals(0, s.get("messages").get("toSms").asInt());

    Answer ended = call("DELETE", path(id), null);
    assertEquals(200, ended.status(), ended.raw().body());
    assertEquals("CLOSED", ended.body().get("state").asText());
    assertEquals("ADMIN", ended.body().get("ended").get("cause").asText());
    assertEquals(SessionFixtures.IDS, ports.awaitRequest(id, "BYE").ids());

    assertError(call("DELETE", path(id), null), 409, "ended");
    Answer closed = call("GET", "/api/v1/sessions?state=closed", null);
    assertTrue(closed.raw().body().contains(id), closed.raw().body());
    Answer live = call("GET", "/api/v1/sessions", null);
    assertTrue(!live.raw().body().contains(id), live.raw().body());
  }

  @Test
  void metricsShowSessionsByStateOutcomesAnswerTimesAndMessages() throws Exception {
    assertEquals(200, call("PUT", "/api/v1/subscribers/447700900307/preferences",
        "{\"invitation\":\"ACCEPT\"}").status());
    double activeBefore = metric("ipsmgw_sessions{state=\"ACTIVE\"}");
    double closedBefore = metric("ipsmgw_sessions_ended_total{outcome=\"CLOSED\"}");
    double answeredBefore = metric("ipsmgw_invitation_answer_seconds_count{outcome=\"ACTIVE\"}");
    double toSmsBefore = metric("ipsmgw_chat_messages_total{direction=\"to_sms\"}");
    String id = invite("+447700900307");
    assertEquals(200, ports.awaitResponse(id).status());
    assertEquals(activeBefore + 1, metric("ipsmgw_sessions{state=\"ACTIVE\"}"));
    assertEquals(answeredBefore + 1,
        metric("ipsmgw_invitation_answer_seconds_count{outcome=\"ACTIVE\"}"));

    CommandReply sent = ClusterSharding.get(node.system()).entityRefFor(ChatSession.TYPE_KEY, id)
        .<CommandReply>ask(r -> new ChatSessionCommand.CpmMessage("msrp-m1", "imdn-m1", "hi",
            org.ipsmgw.session.ReceiptRequest.NONE, r), ASK)
        .toCompletableFuture().get(ASK.toSeconds(), TimeUnit.SECONDS);
    assertInstanceOf(CommandReply.Accepted.class, sent);
    assertEquals(toSmsBefore + 1, metric("ipsmgw_chat_messages_total{direction=\"to_sms\"}"));

    assertEquals(200, call("DELETE", path(id), null).status());
    assertEquals(closedBefore + 1, metric("ipsmgw_sessions_ended_total{outcome=\"CLOSED\"}"));
    assertEquals(activeBefore, metric("ipsmgw_sessions{state=\"ACTIVE\"}"));
  }

  private static double metric(String series) throws Exception {
    return org.ipsmgw.Scrape.value(node.adminPort(), series);
  }


  @Test
  void unknownSessionsAndBadListParametersAreClearErrors() throws Exception {
    assertError(call("GET", path("nobody@nowhere"), null), 404, "no session nobody@nowhere");
    assertError(call("DELETE", path("nobody@nowhere"), null), 404, "no session");
    assertError(call("GET", "/api/v1/sessions?state=RUNNING", null), 400, "unknown state");
    assertError(call("GET", "/api/v1/sessions?limit=0", null), 400, "limit");
    assertError(call("GET", "/api/v1/sessions?limit=lots", null), 400, "limit");
  }
}

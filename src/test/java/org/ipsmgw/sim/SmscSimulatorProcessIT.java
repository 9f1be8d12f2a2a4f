package org.ipsmgw.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.DataCodings;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.SMPPSession;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar ipsmgw.jar smsc-sim --port N --control-port M} as an operator runs it: an ESME
 * (jsmpp) binds, an MO injected through the HTTP control endpoint reaches it, and a submit_sm it
 * sends is listed by GET /submits.
 */
class SmscSimulatorProcessIT {
  private static final String JAR = System.getProperty("ipsmgw.jar", "target/ipsmgw.jar");

  @Test
  void runsFromTheJarAndIsDrivenOverHttp() throws Exception {
    int smppPort = freePort();
    int controlPort = freePort();
    // UTF-8 on stdout whatever the machine's locale: a text listed is Greek.
    Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-jar",
        new File(JAR).getAbsolutePath(), "smsc-sim", "--port",
        String.valueOf(smppPort), "--control-port", String.valueOf(controlPort),
        "--resend-ms", "200")
        .redirectErrorStream(true).start();
    SMPPSession esme = new SMPPSession();
    try {
      CompletableFuture<String> listening = new CompletableFuture<>();
      LinkedBlockingQueue<String> printed = new LinkedBlockingQueue<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sim.getInputStream(),
            StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("smsc-sim listening")) {
              listening.complete(line);
            }
            if (line.matches("\\S+ \\d+ -> \\d+ dcs=.*")) {
              printed.add(line);
            }
          }
        } catch (IOException ignored) {
          // Process gone: the assertions below report what is missing.
        }
        listening.complete(null);
      });
      reader.setDaemon(true);
      reader.start();
      String line = listening.get(20, TimeUnit.SECONDS);
      assertEquals("smsc-sim listening on 127.0.0.1:" + smppPort + ", control http://127.0.0.1:"
          + controlPort, line);

      LinkedBlockingQueue<DeliverSm> delivered = new LinkedBlockingQueue<>();
      esme.setMessageReceiverListener(new DeliverSmListener(delivered::add));
      esme.connectAndBind("127.0.0.1", smppPort, new BindParameter(BindType.BIND_TRX, "it",
          "", "", TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null), 10_000);

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> mo = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + controlPort + "/mo?from=%2B447700900777&to=%2B447700900555"))
          .POST(HttpRequest.BodyPublishers.ofString("YES")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, mo.statusCode(), mo.body());
      assertEquals("{\"parts\":1,\"statuses\":[0]}", mo.body());
      DeliverSm sm = delivered.poll(10, TimeUnit.SECONDS);
      assertEquals("447700900777", sm.getSourceAddr());
      assertEquals("447700900555", sm.getDestAddress());
      assertEquals("YES", new String(sm.getShortMessage(), StandardCharsets.US_ASCII));

      String id = esme.submitShortMessage("", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900555", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900777", new ESMClass(), (byte) 0, (byte) 1, null,
          null, new RegisteredDelivery(0), (byte) 0, DataCodings.ZERO, (byte) 0,
          "hi".getBytes(StandardCharsets.US_ASCII)).getMessageId();
      String greek = "Καλημέρα 🍷";
      String ucs2Id = esme.submitShortMessage("", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900555", TypeOfNumber.INTERNATIONAL,
          NumberingPlanIndicator.ISDN, "447700900777", new ESMClass(), (byte) 0, (byte) 1, null,
          null, new RegisteredDelivery(0), (byte) 0, new org.jsmpp.bean.GeneralDataCoding(
              org.jsmpp.bean.Alphabet.ALPHA_UCS2), (byte) 0,
          greek.getBytes(StandardCharsets.UTF_16BE)).getMessageId();
      HttpResponse<String> submits = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + controlPort + "/submits")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(submits.body().contains("\"messageId\":\"" + id + "\""), submits.body());
      assertTrue(submits.body().contains("\"destination\":\"447700900777\""), submits.body());
      var listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(submits.body());
      assertEquals(2, listed.size(), submits.body());
      assertEquals("hi", listed.get(0).get("text").asText(), submits.body());
      assertEquals(0, listed.get(0).get("dataCoding").asInt(), submits.body());
      assertEquals(greek, listed.get(1).get("text").asText(), submits.body());
      assertEquals(8, listed.get(1).get("dataCoding").asInt(), submits.body());
      // ?from=N lists only what came after the first N (a poller fetches only what is new).
      HttpResponse<String> newer = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + controlPort + "/submits?from=1")).build(),
          HttpResponse.BodyHandlers.ofString());
      var tail = new com.fasterxml.jackson.databind.ObjectMapper().readTree(newer.body());
      assertEquals(1, tail.size(), newer.body());
      assertEquals(greek, tail.get(0).get("text").asText(), newer.body());
      HttpResponse<String> badFrom = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + controlPort + "/submits?from=x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, badFrom.statusCode(), badFrom.body());
      assertTrue(badFrom.body().contains("from must be a whole number"), badFrom.body());

      // The same on stdin: "submits" prints one line per part with its text.
      sim.getOutputStream().write("submits\n".getBytes(StandardCharsets.UTF_8));
      sim.getOutputStream().flush();
      String first = printed.poll(10, TimeUnit.SECONDS);
      String second = printed.poll(10, TimeUnit.SECONDS);
      assertEquals(id + " 447700900555 -> 447700900777 dcs=0 status=0 text=\"hi\"", first);
      assertEquals(ucs2Id + " 447700900555 -> 447700900777 dcs=8 status=0 text=\"" + greek
          + "\"", second);

      HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + controlPort + "/mo?from=%2B447700900777"))
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());

      // The deliver_sm it sent and what became of them (resending is on: --resend-ms).
      var status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + "/status"))
              .build(), HttpResponse.BodyHandlers.ofString()).body());
      assertEquals(1, status.get("bound").asInt(), status.toString());
      assertEquals(1, status.get("deliveries").get("total").asInt(), status.toString());
      assertEquals(1, status.get("deliveries").get("accepted").asInt(), status.toString());
      assertEquals(0, status.get("deliveries").get("pending").asInt(), status.toString());
      assertEquals(0, status.get("deliveries").get("resends").asInt(), status.toString());
    } finally {
      esme.unbindAndClose();
      sim.destroy();
      assertTrue(sim.waitFor(20, TimeUnit.SECONDS), "simulator stops on SIGTERM");
    }
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "--port|99999|--port must be a port number 1-65535, got '99999'",
      "--port|abc|--port must be a port number 1-65535, got 'abc'",
      "--control-port|0|--control-port must be a port number 1-65535, got '0'",
      "--receipt-delay-ms|-5|--receipt-delay-ms must be a whole number >= 0, got '-5'",
      "--delivered-ratio|2|--delivered-ratio must be a number within 0..1, got '2'",
      "--delivered-ratio|half|--delivered-ratio must be a number within 0..1, got 'half'",
      "--throttle|ten|--throttle must be a whole number >= 0, got 'ten'",
      "--resend-ms|-1|--resend-ms must be a whole number >= 0, got '-1'"})
  void aBadOptionValueExits2WithOneLineNamingIt(String option, String value, String message)
      throws Exception {
    JarRun run = JarRun.of("smsc-sim", option, value);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(List.of("smsc-sim: " + message), run.err(), run.toString());
    run.assertNoStackTrace();
  }

  private static int freePort() throws IOException {
    return org.ipsmgw.TestPorts.free();
  }
}

package org.ipsmgw.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;
import org.ipsmgw.Await;
import org.ipsmgw.EdgeNode;
import org.junit.jupiter.api.Test;

/**
 * A starting node starts every shard of the warmed-up entity types before /ready answers 200,
 * without starting an entity in them; a type not listed starts its shards on demand.
 */
class ShardWarmUpIT {
  private static final int SHARDS = 20;

  @Test
  void everyShardOfTheListedTypesRunsWithoutEntitiesOnceTheNodeIsReady() throws Exception {
    Properties keys = new Properties();
    keys.setProperty("ipsmgw.cluster.warm-up-shards", "ChatSession, SmsSubscriber");
    keys.setProperty("pekko.cluster.sharding.number-of-shards", String.valueOf(SHARDS));
    try (EdgeNode edges = EdgeNode.builder().properties(keys).start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest ready = HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + edges.node.adminPort() + "/ready")).build();
      Await.until(() -> {
        try {
          return http.send(ready, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      }, Duration.ofSeconds(30), "/ready 200");

      Map<String, Integer> chats = shards(edges, "ChatSession");
      assertEquals(SHARDS, chats.size(), "ChatSession shards running: " + chats.keySet());
      assertTrue(chats.values().stream().allMatch(n -> n == 0), "no chat started: " + chats);
      Map<String, Integer> subscribers = shards(edges, "SmsSubscriber");
      assertEquals(SHARDS, subscribers.size(), "SmsSubscriber shards: " + subscribers.keySet());
      assertTrue(subscribers.values().stream().allMatch(n -> n == 0), "none: " + subscribers);
      assertEquals(Map.of(), shards(edges, "PagerConversation"), "not listed: on demand");
    }
  }

  /** Shard id → entities running, over every region of the cluster. */
  private static Map<String, Integer> shards(EdgeNode edges, String type) throws Exception {
    var classic = Adapter.toClassic(edges.node.system());
    Object reply = Patterns.ask(ClusterSharding.get(classic).shardRegion(type),
            new ShardRegion.GetClusterShardingStats(
                scala.concurrent.duration.Duration.create(5, TimeUnit.SECONDS)),
            Duration.ofSeconds(10))
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    Map<String, Integer> all = new TreeMap<>();
    ((ShardRegion.ClusterShardingStats) reply).getRegions().values()
        .forEach(region -> region.getStats()
            .forEach((shard, entities) -> all.put(shard, ((Number) entities).intValue())));
    return all;
  }
}

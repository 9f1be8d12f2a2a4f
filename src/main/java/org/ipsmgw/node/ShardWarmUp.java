package org.ipsmgw.node;

import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.sharding.ClusterSharding;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.pattern.Patterns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every shard of the entity types a chat set-up touches as the node starts, and keeps the
 * node not ready (/ready) until they all run somewhere in the cluster.
 *
 * <p>Why: the shard coordinator allocates one shard at a time, each a replicated-state update
 * and, with remember-entities, a journal write (26 ms median under a set-up storm). A fresh node
 * met its first INVITEs with none of the 1,000 ChatSession and 1,000 SmsSubscriber shards
 * allocated, took them at 20 to 30 a second, and the INVITEs waited in the region's buffer until
 * the chat's ask of its subscriber timed out ("Subscriber data unavailable" after 5 s). Started
 * here, with nothing else in the journal's queue, they take a few seconds once per cluster (a
 * coordinator restarts remembered shards on its own afterwards).
 *
 * <p>A shard is started by the region's own "restart shard" message, the one the coordinator
 * sends for remembered shards: it allocates and starts the shard without starting an entity (an
 * entity started for nothing would be remembered and live forever). Pekko has no public message
 * for that.
 */
public final class ShardWarmUp implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(ShardWarmUp.class);
  /** How often the cluster's shard count is read while shards are still starting. */
  private static final Duration POLL = Duration.ofMillis(100);
  /** Shards of one type asked for at a time ({@link Starter}). */
  private static final int BATCH = 100;
  /**
   * The region's message that starts a shard without an entity. Pekko-internal (Scala
   * {@code private[pekko]}, hence reached by name); pinned by ShardWarmUpIT.
   */
  private static final String RESTART_SHARD =
      "org.apache.pekko.cluster.sharding.ShardRegion$RestartShard";

  /** Entity type → shards not yet seen running; absent once all run. Empty: ready. */
  private final Map<String, Integer> missing = new ConcurrentHashMap<>();
  /** Completes once every warmed-up type has all its shards running (at once when none is). */
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** The node's instance. */
  public static ShardWarmUp get(ActorSystem<?> system) {
    return Id.INSTANCE.get(Adapter.toClassic(system));
  }

  static ShardWarmUp get(org.apache.pekko.actor.ActorSystem system) {
    return Id.INSTANCE.get(system);
  }

  /**
   * Asks each region of {@code types} (already initialised on this node) to start its shards
   * {@code 0..shards-1}, then watches the cluster's shard count until each type has them all.
   */
  void start(ActorSystem<?> system, List<String> types, int shards) {
    org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
    if (types.isEmpty()) {
      done.complete(null);
      return;
    }
    Constructor<?> restart;
    try {
      restart = Class.forName(RESTART_SHARD).getConstructor(String.class);
    } catch (ReflectiveOperationException e) {
      LOG.warn("shards are not started ahead: this Pekko has no {} ({}); each starts with its "
          + "first message", RESTART_SHARD, Node.rootMessage(e));
      done.complete(null);
      return;
    }
    long began = System.nanoTime();
    types.forEach(type -> missing.put(type, shards));
    for (String type : types) {
      ActorRef region = ClusterSharding.get(classic).shardRegion(type);
      new Starter(classic, type, region, restart, shards, began).next(0);
    }
  }

  /**
   * Starts one type's shards a batch at a time: the next batch once the cluster runs as many
   * shards as were asked for. All at once, they queued at the coordinator ahead of every shard
   * a message was waiting for (an early admin call or INVITE waited for the whole warm-up).
   */
  private final class Starter {
    private final org.apache.pekko.actor.ActorSystem classic;
    private final String type;
    private final ActorRef region;
    private final Constructor<?> restart;
    private final int shards;
    private final long began;
    private int asked;

    Starter(org.apache.pekko.actor.ActorSystem classic, String type, ActorRef region,
        Constructor<?> restart, int shards, long began) {
      this.classic = classic;
      this.type = type;
      this.region = region;
      this.restart = restart;
      this.shards = shards;
      this.began = began;
    }

    /** Asks for the next batch if the cluster runs {@code running} of those asked so far. */
    void next(int running) {
      if (running >= asked && asked < shards) {
        int until = Math.min(shards, asked + BATCH);
        try {
          for (; asked < until; asked++) {
            region.tell(restart.newInstance(Integer.toString(asked)), ActorRef.noSender());
          }
        } catch (ReflectiveOperationException e) {
          LOG.warn("{}: shards are not started ahead ({})", type, Node.rootMessage(e));
          settled(type);
          return;
        }
      }
      classic.scheduler().scheduleOnce(POLL, this::watch, classic.dispatcher());
    }

    private void watch() {
      if (classic.whenTerminated().isCompleted()) {
        return;
      }
      Patterns.ask(region, new ShardRegion.GetClusterShardingStats(
              scala.concurrent.duration.Duration.fromNanos(POLL.multipliedBy(4).toNanos())),
              POLL.multipliedBy(8))
          .whenCompleteAsync((reply, failure) -> {
            int running = reply instanceof ShardRegion.ClusterShardingStats stats
                ? stats.getRegions().values().stream().mapToInt(r -> r.getStats().size()).sum()
                : 0;
            if (running >= shards) {
              settled(type);
              LOG.info("{}: all {} shards started in {} ms", type, shards,
                  (System.nanoTime() - began) / 1_000_000);
              return;
            }
            missing.put(type, shards - running);
            next(running);
          }, classic.dispatcher());
    }
  }

  private void settled(String type) {
    missing.remove(type);
    if (missing.isEmpty()) {
      done.complete(null);
    }
  }

  /** Runs {@code task} once every warmed-up type has all its shards running. */
  void whenDone(Runnable task) {
    done.thenRun(task);
  }

  /** Empty when every warmed-up type has all its shards running, else how many are missing. */
  Optional<String> problem() {
    if (missing.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder out = new StringBuilder();
    missing.forEach((type, n) -> out.append(out.length() == 0 ? "" : ", ").append(n)
        .append(' ').append(type));
    return Optional.of(out + " shards not started yet");
  }

  private static final class Id extends AbstractExtensionId<ShardWarmUp> {
    static final Id INSTANCE = new Id();

    @Override
    public ShardWarmUp createExtension(ExtendedActorSystem system) {
      return new ShardWarmUp();
    }
  }
}

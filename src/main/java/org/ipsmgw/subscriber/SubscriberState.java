package org.ipsmgw.subscriber;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoResendRecognised;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoTakenLate;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReleased;
import org.ipsmgw.subscriber.SmsSubscriberEvent.CorrelationReserved;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceCleared;
import org.ipsmgw.subscriber.SmsSubscriberEvent.PreferenceSet;

/**
 * An SMS user's interworking state.
 *
 * @param preference the user's invitation preference, or null when none is set
 * @param correlations session id → correlation number of each active chat
 * @param assemblies concatenated MO SMS being reassembled, by {@link MoAssembly#key}
 */
public record SubscriberState(InvitationAction preference, Map<String, String> correlations,
    Map<String, MoAssembly> assemblies, Map<String, Instant> takenLate)
    implements CborSerializable {

  public static final SubscriberState EMPTY = new SubscriberState(null, Map.of(), Map.of(),
      Map.of());
  /** At most this many late-taken parts are remembered; the oldest go first. */
  static final int TAKEN_LATE_LIMIT = 64;

  /**
   * @param takenLate fingerprints of MO parts taken by their chat after the SMSC was told to
   *     resend them, with when that stops being recognised (null in snapshots before #12)
   */
  public SubscriberState {
    correlations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(correlations));
    assemblies = assemblies == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assemblies));
    takenLate = takenLate == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(takenLate));
  }

  public SubscriberState(InvitationAction preference, Map<String, String> correlations,
      Map<String, MoAssembly> assemblies) {
    this(preference, correlations, assemblies, Map.of());
  }

  /** Whether {@code part} is the resend of a part taken late, still recognised at {@code now}. */
  public boolean isTakenLate(String part, Instant now) {
    Instant until = takenLate.get(part);
    return until != null && !now.isAfter(until);
  }

  public Optional<InvitationAction> preferenceIfSet() {
    return Optional.ofNullable(preference);
  }

  public Set<String> numbersInUse() {
    return Set.copyOf(correlations.values());
  }

  public Optional<String> sessionFor(String correlationMsisdn) {
    return correlations.entrySet().stream().filter(e -> e.getValue().equals(correlationMsisdn))
        .map(Map.Entry::getKey).findFirst();
  }

  SubscriberState apply(SmsSubscriberEvent event) {
    if (event instanceof CorrelationReserved e) {
      Map<String, String> next = new LinkedHashMap<>(correlations);
      next.put(e.sessionId(), e.correlationMsisdn());
      return new SubscriberState(preference, next, assemblies, takenLate);
    }
    if (event instanceof CorrelationReleased e) {
      Map<String, String> next = new LinkedHashMap<>(correlations);
      next.remove(e.sessionId());
      return new SubscriberState(preference, next, assemblies, takenLate);
    }
    if (event instanceof PreferenceSet e) {
      return new SubscriberState(e.invitation(), correlations, assemblies, takenLate);
    }
    if (event instanceof PreferenceCleared) {
      return new SubscriberState(null, correlations, assemblies, takenLate);
    }
    if (event instanceof MoTakenLate e) {
      Map<String, Instant> next = new LinkedHashMap<>(takenLate);
      next.values().removeIf(until -> until.isBefore(e.at()));
      e.parts().forEach(p -> next.put(p, e.expiresAt()));
      while (next.size() > TAKEN_LATE_LIMIT) {
        next.remove(next.keySet().iterator().next());
      }
      return new SubscriberState(preference, correlations, assemblies, next);
    }
    if (event instanceof MoResendRecognised e) {
      Map<String, Instant> next = new LinkedHashMap<>(takenLate);
      next.remove(e.part());
      return new SubscriberState(preference, correlations, assemblies, next);
    }
    if (event instanceof MoPartStored e) {
      return withAssembly(e);
    }
    if (event instanceof MoAssemblyClosed e) {
      Map<String, MoAssembly> next = new LinkedHashMap<>(assemblies);
      next.remove(e.key());
      return new SubscriberState(preference, correlations, next, takenLate);
    }
    throw new IllegalStateException("unhandled event " + event);
  }

  private SubscriberState withAssembly(MoPartStored e) {
    String key = MoAssembly.key(e.sender(), e.to(), e.part().reference(), e.part().total());
    MoAssembly current = assemblies.get(key);
    MoAssembly next = current == null ? MoAssembly.start(e.sender(), e.to(), e.part())
        : current.add(e.part());
    Map<String, MoAssembly> all = new LinkedHashMap<>(assemblies);
    all.put(key, next);
    return new SubscriberState(preference, correlations, all, takenLate);
  }
}

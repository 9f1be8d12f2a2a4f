package org.ipsmgw.subscriber;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ipsmgw.CborSerializable;
import org.ipsmgw.policy.InvitationAction;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoAssemblyClosed;
import org.ipsmgw.subscriber.SmsSubscriberEvent.MoPartStored;
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
    Map<String, MoAssembly> assemblies) implements CborSerializable {

  public static final SubscriberState EMPTY = new SubscriberState(null, Map.of(), Map.of());

  public SubscriberState {
    correlations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(correlations));
    assemblies = assemblies == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(assemblies));
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
      return new SubscriberState(preference, next, assemblies);
    }
    if (event instanceof CorrelationReleased e) {
      Map<String, String> next = new LinkedHashMap<>(correlations);
      next.remove(e.sessionId());
      return new SubscriberState(preference, next, assemblies);
    }
    if (event instanceof PreferenceSet e) {
      return new SubscriberState(e.invitation(), correlations, assemblies);
    }
    if (event instanceof PreferenceCleared) {
      return new SubscriberState(null, correlations, assemblies);
    }
    if (event instanceof MoPartStored e) {
      return withAssembly(e);
    }
    if (event instanceof MoAssemblyClosed e) {
      Map<String, MoAssembly> next = new LinkedHashMap<>(assemblies);
      next.remove(e.key());
      return new SubscriberState(preference, correlations, next);
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
    return new SubscriberState(preference, correlations, all);
  }
}

package org.ipsmgw.sim;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ipsmgw.RandomIds;
import org.jsmpp.session.SMPPServerSession;

/** The simulator's ESME sessions and the system id each bound with. */
final class SmscBinds {
  private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
  private final Map<SMPPServerSession, String> systemIds = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger turn =
      new java.util.concurrent.atomic.AtomicInteger();

  void add(SMPPServerSession session, String systemId) {
    systemIds.put(session, systemId);
    sessions.add(session);
  }

  /** The system id the session bound with, "?" for one that never bound. */
  String systemId(SMPPServerSession session) {
    return systemIds.getOrDefault(session, "?");
  }

  /** Transceiver binds currently up. */
  int bound() {
    return (int) sessions.stream().filter(s -> s.getSessionState().isBound()).count();
  }

  /** A bound session picked at random, so MOs and receipts spread over the binds; null if none. */
  SMPPServerSession anyBound() {
    List<SMPPServerSession> bound = sessions.stream()
        .filter(s -> s.getSessionState().isBound()).toList();
    return bound.isEmpty() ? null : bound.get((int) RandomIds.below(bound.size()));
  }

  /** The bound sessions in turn, so resends go round every bind (other nodes' too); null if none. */
  SMPPServerSession nextBound() {
    List<SMPPServerSession> bound = sessions.stream()
        .filter(s -> s.getSessionState().isBound()).toList();
    return bound.isEmpty() ? null
        : bound.get(Math.floorMod(turn.getAndIncrement(), bound.size()));
  }

  void unbindAll() {
    for (SMPPServerSession s : sessions) {
      s.unbindAndClose();
    }
    sessions.clear();
  }
}

package org.ipsmgw.sms;

import com.typesafe.config.Config;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster-wide, durable map from SMSC message id to chat session (table
 * {@code ipsmgw_smsc_message} in the journal database). Receipts may arrive on any bind of any
 * node, long after the node that submitted the message is gone; the shared database is the one
 * store every node already has and that survives them all.
 */
public final class SmscMessageIndex implements AutoCloseable {
  /**
   * Where a receipt goes: the session, the id exactly as that session stored it, and the message
   * it belongs to with all its parts' ids in part order, so the session can match a receipt that
   * overtook its own record of the submission.
   *
   * @param messageRef null for rows written before V3
   * @param messageIds the message's ids in part order; just {@code smscId} for rows before V3
   */
  public record Entry(String smscId, String sessionId, String messageRef,
      List<String> messageIds) {
    public Entry {
      messageIds = List.copyOf(messageIds);
    }
  }

  /** A final receipt stored because its id was not indexed yet. */
  public record PendingReceipt(String smscKey, String smscId, ReceiptState state,
      long receivedMillis) {
    DeliveryReceipt receipt() {
      return new DeliveryReceipt(smscId, state, null, null, null);
    }
  }

  /** At most this many messages per transaction, so one write stays short. */
  private static final int MAX_BATCH = 200;

  private final HikariDataSource db;
  private final Clock clock;
  private final GroupCommit<Submitted> writes = new GroupCommit<>(this::write, MAX_BATCH);

  private SmscMessageIndex(HikariDataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** @param config the node configuration ({@code ipsmgw.db}) */
  public static SmscMessageIndex open(Config config, Clock clock) {
    HikariConfig h = new HikariConfig();
    h.setJdbcUrl(config.getString("ipsmgw.db.url"));
    h.setUsername(config.getString("ipsmgw.db.user"));
    h.setPassword(config.getString("ipsmgw.db.password"));
    h.setPoolName("ipsmgw-smsc-index");
    h.setMaximumPoolSize(4);
    h.setMinimumIdle(1);
    // As the journal's pool: a dead database fails a lookup quickly, so the SMSC is answered
    // with a retry status well before its response timer; a restarted one is seen at once.
    h.setConnectionTimeout(config.getDuration("ipsmgw.db.connection-timeout").toMillis());
    h.setValidationTimeout(1_000);
    // The node may start while the database is briefly away; fail on use, not on open.
    h.setInitializationFailTimeout(-1);
    return new SmscMessageIndex(new HikariDataSource(h), clock);
  }

  /** Records the parts of one message; a reused SMSC id now points at the new session. */
  public void put(List<String> smscIds, String sessionId) throws SQLException {
    put(smscIds, sessionId, null);
  }

  /**
   * Records the parts of message {@code messageRef} of a session, in part order; a reused SMSC id
   * now points at the new message. Returns once committed; messages recorded at the same time
   * share one transaction ({@link GroupCommit}).
   */
  public void put(List<String> smscIds, String sessionId, String messageRef) throws SQLException {
    writes.write(new Submitted(List.copyOf(smscIds), sessionId, messageRef, clock.millis()));
  }

  /** One message's SMSC ids, as {@link #put} records them. */
  private record Submitted(List<String> smscIds, String sessionId, String messageRef,
      long createdMillis) {}

  /** In order, so that of two messages with the same SMSC id the later one is kept. */
  private void write(List<Submitted> batch) throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement(
              "DELETE FROM ipsmgw_smsc_message WHERE smsc_key = ?");
          PreparedStatement ins = c.prepareStatement("INSERT INTO ipsmgw_smsc_message "
              + "(smsc_key, smsc_id, session_id, created_millis, message_ref, part_no) "
              + "VALUES (?, ?, ?, ?, ?, ?)")) {
        for (Submitted s : batch) {
          int partNo = 0;
          for (String id : s.smscIds()) {
            del.setString(1, SmscMessageId.canonical(id));
            del.addBatch();
            ins.setString(1, SmscMessageId.canonical(id));
            ins.setString(2, id);
            ins.setString(3, s.sessionId());
            ins.setLong(4, s.createdMillis());
            ins.setString(5, s.messageRef());
            ins.setInt(6, ++partNo);
            ins.addBatch();
          }
          del.executeBatch();
          ins.executeBatch();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** The session of a receipt's id, trying its hexadecimal and decimal readings. */
  public Optional<Entry> find(String receiptId) throws SQLException {
    List<String> candidates = SmscMessageId.lookupCandidates(receiptId);
    String marks = String.join(",", Collections.nCopies(candidates.size(), "?"));
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT smsc_key, smsc_id, session_id, message_ref FROM ipsmgw_smsc_message "
            + "WHERE smsc_key IN (" + marks + ")")) {
      for (int i = 0; i < candidates.size(); i++) {
        st.setString(i + 1, candidates.get(i));
      }
      Map<String, String[]> found = new HashMap<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3),
              rs.getString(4)});
        }
      }
      // The id as written is the likeliest reading, then the alternatives in their given order.
      Optional<String[]> row = candidates.stream().filter(found::containsKey).map(found::get)
          .findFirst();
      if (row.isEmpty()) {
        return Optional.empty();
      }
      String[] r = row.get();
      return Optional.of(new Entry(r[0], r[1], r[2],
          r[2] == null ? List.of(r[0]) : partsOf(c, r[1], r[2])));
    }
  }

  private static List<String> partsOf(Connection c, String sessionId, String messageRef)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT smsc_id FROM ipsmgw_smsc_message "
        + "WHERE session_id = ? AND message_ref = ? ORDER BY part_no")) {
      st.setString(1, sessionId);
      st.setString(2, messageRef);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * Stores a final receipt whose id is not indexed yet; a second copy of the same receipt (the
   * SMSC resent it) is already stored and changes nothing.
   */
  public void storePending(DeliveryReceipt receipt) throws SQLException {
    String key = SmscMessageId.canonical(receipt.smscMessageId());
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "INSERT INTO ipsmgw_pending_receipt (smsc_key, smsc_id, receipt_state, received_millis) "
            + "VALUES (?, ?, ?, ?)")) {
      st.setString(1, key);
      st.setString(2, receipt.smscMessageId().strip());
      st.setString(3, receipt.state().name());
      st.setLong(4, clock.millis());
      st.executeUpdate();
    } catch (SQLException e) {
      // 23xxx: integrity constraint violation, here the primary key: stored before.
      if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
        throw e;
      }
    }
  }

  /** The stored receipts, oldest first, at most {@code limit}. */
  public List<PendingReceipt> pending(int limit) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT smsc_key, smsc_id, receipt_state, received_millis FROM ipsmgw_pending_receipt "
            + "ORDER BY received_millis")) {
      st.setMaxRows(limit);
      List<PendingReceipt> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new PendingReceipt(rs.getString(1), rs.getString(2),
              ReceiptState.valueOf(rs.getString(3)), rs.getLong(4)));
        }
      }
      return out;
    }
  }

  /** Deletes a stored receipt once its chat persisted it (or it was given up). */
  public void removePending(String smscKey) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "DELETE FROM ipsmgw_pending_receipt WHERE smsc_key = ?")) {
      st.setString(1, smscKey);
      st.executeUpdate();
    }
  }

  /** When the stored receipt came, in this clock's millis. */
  long now() {
    return clock.millis();
  }

  /** Deletes rows older than {@code retention}; returns how many. */
  public int prune(Duration retention) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
        "DELETE FROM ipsmgw_smsc_message WHERE created_millis < ?")) {
      st.setLong(1, clock.millis() - retention.toMillis());
      return st.executeUpdate();
    }
  }

  @Override
  public void close() {
    db.close();
  }
}

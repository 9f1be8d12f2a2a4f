-- ipsmgw: SMSC message id -> chat session, so a delivery receipt arriving on any bind of any node
-- finds its session. smsc_key is the id trimmed and lower-cased; smsc_id is the id exactly as
-- the SMSC returned it in submit_sm_resp (what the session stored).
CREATE TABLE IF NOT EXISTS ipsmgw_smsc_message (
  smsc_key VARCHAR(65) NOT NULL PRIMARY KEY,
  smsc_id VARCHAR(65) NOT NULL,
  session_id VARCHAR(512) NOT NULL,
  created_millis BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS ipsmgw_smsc_message_created ON ipsmgw_smsc_message (created_millis);

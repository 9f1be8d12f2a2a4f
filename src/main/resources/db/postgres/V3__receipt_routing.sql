-- ipsmgw: a receipt carries what its chat needs even when it overtakes the chat's record of the
-- submit_sm_resp: the message's reference and its part order (all parts share the reference).
ALTER TABLE ipsmgw_smsc_message ADD COLUMN IF NOT EXISTS message_ref VARCHAR(64);
ALTER TABLE ipsmgw_smsc_message ADD COLUMN IF NOT EXISTS part_no INT;

-- Final receipts whose SMSC id was not yet indexed when they arrived (they overtook their
-- submit_sm_resp, possibly on another node): acknowledged to the SMSC once stored here, routed
-- and deleted once their chat persisted them. smsc_key is the receipt's id trimmed and
-- lower-cased.
CREATE TABLE IF NOT EXISTS ipsmgw_pending_receipt (
  smsc_key VARCHAR(65) NOT NULL PRIMARY KEY,
  smsc_id VARCHAR(65) NOT NULL,
  receipt_state VARCHAR(16) NOT NULL,
  received_millis BIGINT NOT NULL
);

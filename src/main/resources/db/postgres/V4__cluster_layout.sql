-- ipsmgw: what a cluster's journal was first started with and must keep (node/ShardLayout): the
-- number of shards per entity type. An entity's shard is its id's hash modulo that number, and
-- remembered entities are restarted in the shard they were remembered in.
CREATE TABLE IF NOT EXISTS ipsmgw_cluster_layout (
  setting VARCHAR(64) NOT NULL PRIMARY KEY,
  setting_value VARCHAR(64) NOT NULL
);

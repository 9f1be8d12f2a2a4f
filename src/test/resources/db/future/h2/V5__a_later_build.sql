-- Stands for a migration of a newer ipsmgw build than the one under test.
CREATE TABLE ipsmgw_later_build (id INT NOT NULL PRIMARY KEY);

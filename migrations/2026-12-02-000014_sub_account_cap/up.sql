-- How many sub-accounts an Enterprise account may have, set by the operator like its seats;
-- NULL keeps the Enterprise default (domain::plan). Every other plan's cap is in the code.
ALTER TABLE accounts ADD COLUMN enterprise_sub_accounts INTEGER CHECK (enterprise_sub_accounts >= 0);

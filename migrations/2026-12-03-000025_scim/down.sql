DROP TABLE scim_users;
DROP TABLE scim_tokens;
DROP TABLE scim_settings;

DROP TABLE service_tokens;

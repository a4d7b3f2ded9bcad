// Mirrors migrations/; kept by hand in the layout `diesel print-schema` produces.

diesel::table! {
    people (id) {
        id -> Int8,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        email_verified_at -> Nullable<Timestamptz>,
        last_sign_in_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        locale -> Nullable<Text>,
        notify_accepted -> Bool,
        notify_declined -> Bool,
        notify_access_changed -> Bool,
        notify_access_removed -> Bool,
        credential_generation -> Int4,
        has_second_factor -> Bool,
    }
}

diesel::table! {
    accounts (id) {
        id -> Int8,
        owner_id -> Int8,
        plan -> Text,
        enterprise_seats -> Nullable<Int4>,
        enterprise_advanced -> Nullable<Int4>,
        created_at -> Timestamptz,
        enterprise_sub_accounts -> Nullable<Int4>,
        seats_used -> Int4,
        advanced_used -> Int4,
        require_two_factor_since -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sub_accounts (id) {
        id -> Int8,
        master_account_id -> Int8,
        name -> Text,
        api_key_hash -> Bytea,
        api_key_hint -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    email_verifications (person_id) {
        person_id -> Int8,
        token_hash -> Nullable<Bytea>,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sessions (key_hash) {
        key_hash -> Bytea,
        state -> Jsonb,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        person_id -> Nullable<Int8>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Int8,
        master_account_id -> Nullable<Int8>,
        recipient -> Text,
        message -> Jsonb,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        member_id -> Nullable<Int8>,
        locale -> Text,
    }
}

diesel::table! {
    members (id) {
        id -> Int8,
        master_account_id -> Int8,
        email -> Text,
        person_id -> Nullable<Int8>,
        invited_by -> Nullable<Int8>,
        accepted_at -> Nullable<Timestamptz>,
        token_hash -> Nullable<Bytea>,
        token_version -> Int4,
        invitation_expires_at -> Timestamptz,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        locale -> Text,
        last_activity_at -> Nullable<Timestamptz>,
        access_ends_on -> Nullable<Date>,
        access_end_warned_at -> Nullable<Timestamptz>,
        access_groups -> Json,
    }
}

diesel::table! {
    grants (id) {
        id -> Int8,
        master_account_id -> Int8,
        member_id -> Int8,
        sub_account_id -> Nullable<Int8>,
        role -> Text,
        areas -> Int8,
        restrictions -> Int8,
    }
}

diesel::table! {
    person_links (person_id, purpose) {
        person_id -> Int8,
        purpose -> Text,
        new_email -> Nullable<Text>,
        token_hash -> Nullable<Bytea>,
        expires_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    rate_limits (bucket) {
        bucket -> Bytea,
        window_end -> Timestamptz,
        hits -> Int4,
        subject -> Nullable<Bytea>,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        master_account_id -> Int8,
        occurred_at -> Timestamptz,
        actor_person_id -> Nullable<Int8>,
        actor_email -> Nullable<Text>,
        action -> Text,
        target_email -> Nullable<Text>,
        target_person_id -> Nullable<Int8>,
        target_member_id -> Nullable<Int8>,
        client_ip -> Nullable<Inet>,
        before -> Nullable<Json>,
        after -> Nullable<Json>,
        actor_token -> Nullable<Text>,
        grouped_states -> Nullable<Json>,
    }
}

diesel::table! {
    ownership_transfers (master_account_id) {
        master_account_id -> Int8,
        to_person_id -> Int8,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    service_tokens (id) {
        id -> Int8,
        service -> Text,
        token_hash -> Bytea,
        hint -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    personal_tokens (id) {
        id -> Int8,
        person_id -> Int8,
        master_account_id -> Int8,
        member_id -> Nullable<Int8>,
        name -> Text,
        scopes -> Array<Text>,
        token_hash -> Bytea,
        hint -> Text,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
        last_used_ip -> Nullable<Inet>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    api_idempotency (token_id, key) {
        token_id -> Int8,
        key -> Text,
        request_hash -> Bytea,
        status -> Nullable<Int4>,
        body -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_endpoints (id) {
        id -> Int8,
        master_account_id -> Nullable<Int8>,
        url -> Text,
        secret -> Text,
        from_env -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Int8,
        endpoint_id -> Int8,
        message_id -> Text,
        event_type -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_status -> Nullable<Int4>,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        delivered_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    totp_authenticators (person_id) {
        person_id -> Int8,
        sealed_secret -> Bytea,
        created_at -> Timestamptz,
        confirmed_at -> Nullable<Timestamptz>,
        last_step -> Int8,
    }
}

diesel::table! {
    passkeys (id) {
        id -> Int8,
        person_id -> Int8,
        user_handle -> Bytea,
        credential_id -> Bytea,
        name -> Text,
        passkey -> Jsonb,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    recovery_codes (person_id, code_hash) {
        person_id -> Int8,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    scim_settings (master_account_id) {
        master_account_id -> Int8,
        role -> Text,
        all_sub_accounts -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    scim_tokens (id) {
        id -> Int8,
        master_account_id -> Int8,
        name -> Text,
        token_hash -> Bytea,
        hint -> Text,
        created_at -> Timestamptz,
        last_used_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    scim_users (id) {
        id -> Text,
        master_account_id -> Int8,
        user_name -> Text,
        external_id -> Nullable<Text>,
        emails -> Jsonb,
        active -> Nullable<Bool>,
        member_id -> Nullable<Int8>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    scim_groups (id) {
        id -> Text,
        master_account_id -> Int8,
        display_name -> Text,
        external_id -> Nullable<Text>,
        role -> Nullable<Text>,
        all_sub_accounts -> Bool,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    scim_group_members (group_id, user_id) {
        group_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    sso_connections (master_account_id) {
        master_account_id -> Int8,
        issuer -> Text,
        client_id -> Text,
        sealed_secret -> Bytea,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    sso_domains (master_account_id, domain) {
        master_account_id -> Int8,
        domain -> Text,
        proof_address -> Text,
        token_hash -> Nullable<Bytea>,
        expires_at -> Nullable<Timestamptz>,
        verified_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::joinable!(accounts -> people (owner_id));
diesel::joinable!(scim_group_members -> scim_groups (group_id));
diesel::joinable!(scim_group_members -> scim_users (user_id));
diesel::joinable!(scim_tokens -> accounts (master_account_id));
diesel::joinable!(sub_accounts -> accounts (master_account_id));
diesel::joinable!(email_verifications -> people (person_id));
diesel::joinable!(outbox -> accounts (master_account_id));
diesel::joinable!(members -> accounts (master_account_id));
diesel::joinable!(grants -> members (member_id));

diesel::allow_tables_to_appear_in_same_query!(
    people,
    accounts,
    sub_accounts,
    email_verifications,
    sessions,
    outbox,
    members,
    grants,
    person_links,
    rate_limits,
    audit_events,
    ownership_transfers,
    service_tokens,
    personal_tokens,
    api_idempotency,
    webhook_endpoints,
    webhook_deliveries,
    totp_authenticators,
    passkeys,
    recovery_codes,
    scim_settings,
    scim_tokens,
    scim_users,
    scim_groups,
    scim_group_members,
    sso_connections,
    sso_domains,
);

import type { Store } from './store';

const NOW_TEXT = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The PostgreSQL dialect of server/db/migrations.ts: migration N here makes the schema migration N
 * makes there (same tables, columns, constraints and append-only rules), so both databases are at
 * the same version after the same releases. Times stay ISO-8601 text, as in SQLite, so comparisons
 * and answers are the same on both. `portal_schema.version` records how many ran.
 * Never edit a released migration: add a new one, here and in migrations.ts.
 */
export const postgresMigrations: readonly string[] = [
  /* 1 */ `
  -- SQLite's COLLATE NOCASE for e-mail addresses: equal and unique whatever their case.
  CREATE COLLATION IF NOT EXISTS portal_nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

  CREATE TABLE companies (
    id text PRIMARY KEY,
    name text NOT NULL,
    country text NOT NULL CHECK (length(country) = 2)
  );

  CREATE TABLE employees (
    id text PRIMARY KEY,
    company_id text NOT NULL REFERENCES companies(id),
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text COLLATE portal_nocase NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('admin','business','tech','sales')),
    cell_phone text,
    two_factor_status text NOT NULL CHECK (two_factor_status IN ('active','not_enrolled','pending')),
    two_factor_method text CHECK (two_factor_method IN ('sms','voice','totp')),
    totp_secret text,
    password_hash text,
    locked integer NOT NULL DEFAULT 0,
    last_login_at text,
    updated_at text NOT NULL,
    version integer NOT NULL DEFAULT 1,
    search_text text NOT NULL
  );
  CREATE INDEX employees_company_name ON employees(company_id, last_name, first_name, id);
  CREATE INDEX employees_company_email ON employees(company_id, email, id);
  CREATE INDEX employees_company_updated ON employees(company_id, updated_at, id);

  CREATE TABLE challenges (
    id text PRIMARY KEY,
    employee_id text NOT NULL REFERENCES employees(id),
    created_at text NOT NULL,
    expires_at text NOT NULL,
    code_hash text,
    code_method text,
    code_expires_at text,
    sends integer NOT NULL DEFAULT 0,
    last_sent_at text,
    failed_attempts integer NOT NULL DEFAULT 0,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','killed','used'))
  );

  CREATE TABLE auth_failures (
    employee_id text NOT NULL REFERENCES employees(id),
    at text NOT NULL
  );

  CREATE TABLE totp_used_steps (
    employee_id text NOT NULL REFERENCES employees(id),
    step bigint NOT NULL,
    PRIMARY KEY (employee_id, step)
  );

  CREATE TABLE token_families (
    id text PRIMARY KEY,
    employee_id text NOT NULL REFERENCES employees(id),
    created_at text NOT NULL,
    revoked_at text
  );

  CREATE TABLE access_tokens (
    token_hash text PRIMARY KEY,
    family_id text NOT NULL REFERENCES token_families(id),
    employee_id text NOT NULL REFERENCES employees(id),
    expires_at text NOT NULL,
    revoked_at text
  );

  CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    family_id text NOT NULL REFERENCES token_families(id),
    employee_id text NOT NULL REFERENCES employees(id),
    expires_at text NOT NULL,
    used_at text,
    revoked_at text
  );

  CREATE TABLE idempotency_keys (
    actor_id text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    state text NOT NULL CHECK (state IN ('in_progress','done')),
    response_status integer,
    response_body text,
    created_at text NOT NULL,
    PRIMARY KEY (actor_id, key)
  );

  CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text NOT NULL,
    company_id text NOT NULL,
    actor_id text NOT NULL,
    actor_email text NOT NULL,
    employee_id text NOT NULL,
    field text NOT NULL,
    old_value text,
    new_value text,
    request_id text NOT NULL
  );
  CREATE INDEX audit_log_employee ON audit_log(company_id, employee_id, id);
  -- The audit is append-only: the database itself refuses to change or remove a row.
  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

  CREATE TABLE sms_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text NOT NULL,
    channel text NOT NULL CHECK (channel IN ('sms','voice')),
    recipient text NOT NULL,
    text text NOT NULL
  );
  `,
  /* 2: SQLite's INSERT OR REPLACE could rewrite an audit row; PostgreSQL has no such statement and
     audit ids are GENERATED ALWAYS, so there is nothing to refuse. */ `SELECT 1`,
  /* 3 */ `
  CREATE INDEX employees_company_role ON employees(company_id, role, last_name, first_name, id);
  CREATE INDEX employees_company_two_factor
    ON employees(company_id, two_factor_status, coalesce(two_factor_method, ''), last_name, first_name, id);
  CREATE INDEX employees_company_search ON employees(company_id, search_text, cell_phone);
  `,
  /* 4: substring search at 100,000 employees per company: a trigram GIN index (pg_trgm) over
     search_text serves LIKE '%…%' (SQLite's FTS5 trigram table). */ `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX employees_search_trigram ON employees USING gin (search_text gin_trgm_ops);
  `,
  /* 5 */ `
  CREATE TABLE sign_in_failures (
    rowid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account text NOT NULL,
    source text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('password','code')),
    at text NOT NULL
  );
  CREATE INDEX sign_in_failures_account_source ON sign_in_failures(account, source, at);
  CREATE INDEX sign_in_failures_source ON sign_in_failures(source, at);
  CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

  CREATE TABLE code_sends (
    employee_id text NOT NULL,
    recipient_hash text NOT NULL,
    at text NOT NULL
  );
  CREATE INDEX code_sends_employee ON code_sends(employee_id, at);
  CREATE INDEX code_sends_recipient ON code_sends(recipient_hash, at);

  ALTER TABLE employees ADD COLUMN wrong_codes integer NOT NULL DEFAULT 0;
  ALTER TABLE employees ADD COLUMN sign_in_locked_at text;
  ALTER TABLE token_families ADD COLUMN auth_time text;
  UPDATE token_families SET auth_time = created_at;
  ALTER TABLE challenges ADD COLUMN purpose text NOT NULL DEFAULT 'sign_in' CHECK (purpose IN ('sign_in','step_up'));
  ALTER TABLE challenges ADD COLUMN family_id text;

  CREATE FUNCTION employees_lock_ends_sessions() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE token_families SET revoked_at = coalesce(revoked_at, ${NOW_TEXT}) WHERE employee_id = NEW.id;
      UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ${NOW_TEXT}) WHERE employee_id = NEW.id;
      UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, ${NOW_TEXT}) WHERE employee_id = NEW.id;
      RETURN NULL;
    END $$;
  CREATE TRIGGER employees_lock_ends_sessions AFTER UPDATE OF locked ON employees
    FOR EACH ROW WHEN (NEW.locked <> 0 AND OLD.locked = 0) EXECUTE FUNCTION employees_lock_ends_sessions();
  `,
  /* 6 */ `
  ALTER TABLE companies ADD COLUMN require_verified_phone integer NOT NULL DEFAULT 0;
  ALTER TABLE employees ADD COLUMN phone_verified_at text;
  ALTER TABLE employees ADD COLUMN updated_by text;
  ALTER TABLE audit_log ADD COLUMN verified integer;
  ALTER TABLE sms_messages ADD COLUMN idempotency_key text;
  CREATE UNIQUE INDEX sms_messages_idempotency_key ON sms_messages(idempotency_key) WHERE idempotency_key IS NOT NULL;

  CREATE TABLE phone_verifications (
    id text PRIMARY KEY,
    company_id text NOT NULL REFERENCES companies(id),
    employee_id text NOT NULL REFERENCES employees(id),
    actor_id text NOT NULL REFERENCES employees(id),
    cell_phone text NOT NULL,
    base_version integer NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    code_hash text,
    code_method text CHECK (code_method IN ('sms','voice')),
    code_expires_at text,
    sends integer NOT NULL DEFAULT 0,
    last_sent_at text,
    failed_attempts integer NOT NULL DEFAULT 0,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open','killed','used'))
  );
  CREATE INDEX phone_verifications_employee ON phone_verifications(employee_id, last_sent_at);

  CREATE TABLE notification_outbox (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    audit_id bigint NOT NULL REFERENCES audit_log(id),
    channel text NOT NULL CHECK (channel IN ('sms','voice','email')),
    recipient text NOT NULL,
    subject text,
    text text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    created_at text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sending','sent','failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at text NOT NULL,
    sent_at text,
    last_error text
  );
  CREATE INDEX notification_outbox_due ON notification_outbox(state, next_attempt_at);
  CREATE INDEX notification_outbox_audit ON notification_outbox(audit_id);

  CREATE TABLE mail_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    text text NOT NULL,
    idempotency_key text UNIQUE
  );
  `,
  /* 7: auth_failures was never written (sign_in_failures replaced it in 5). */ `
  DROP TABLE auth_failures;
  `,
  /* 8: deleted employees leave a tombstone (id and when), so a `changedSince` delta can tell a
     client's cached list which rows to drop; kept TOMBSTONE_RETENTION_DAYS (employees/tombstones.ts). */ `
  CREATE TABLE employee_tombstones (
    company_id text NOT NULL,
    id text NOT NULL,
    deleted_at text NOT NULL,
    PRIMARY KEY (company_id, id)
  );
  CREATE INDEX employee_tombstones_deleted ON employee_tombstones(company_id, deleted_at);
  `,
  /* 9: how many employees each company has, kept by triggers in the transaction
     of every insert and delete, so GET /employees answers an unfiltered list's `total` without
     counting 100,000 rows per page (server/employees/list.ts). Statement-level triggers: a bulk
     insert (the demo seed) updates each company's row once per statement, not once per employee. */ `
  CREATE TABLE company_employee_counts (
    company_id text PRIMARY KEY,
    employees bigint NOT NULL CHECK (employees >= 0)
  );
  CREATE FUNCTION employees_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO company_employee_counts (company_id, employees)
      SELECT company_id, count(*) FROM inserted GROUP BY company_id ORDER BY company_id
      ON CONFLICT (company_id) DO UPDATE SET employees = company_employee_counts.employees + excluded.employees;
    RETURN NULL;
  END $$;
  CREATE FUNCTION employees_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE company_employee_counts c SET employees = c.employees - d.n
      FROM (SELECT company_id, count(*) AS n FROM deleted GROUP BY company_id) d WHERE c.company_id = d.company_id;
    RETURN NULL;
  END $$;
  CREATE FUNCTION employees_count_moved() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE company_employee_counts SET employees = employees - 1 WHERE company_id = old.company_id;
    INSERT INTO company_employee_counts (company_id, employees) VALUES (new.company_id, 1)
      ON CONFLICT (company_id) DO UPDATE SET employees = company_employee_counts.employees + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER employees_count_insert AFTER INSERT ON employees
    REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION employees_count_inserted();
  CREATE TRIGGER employees_count_delete AFTER DELETE ON employees
    REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT EXECUTE FUNCTION employees_count_deleted();
  CREATE TRIGGER employees_count_move AFTER UPDATE OF company_id ON employees
    FOR EACH ROW WHEN (old.company_id IS DISTINCT FROM new.company_id) EXECUTE FUNCTION employees_count_moved();
  LOCK TABLE employees IN SHARE MODE;
  INSERT INTO company_employee_counts (company_id, employees) SELECT company_id, count(*) FROM employees GROUP BY company_id;
  `,
];

/** Brings a PostgreSQL database up to date; instances starting together migrate it once. */
export async function migratePostgres(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.lock('portal-schema-migrations');
    await tx.run('CREATE TABLE IF NOT EXISTS portal_schema (version integer NOT NULL)');
    const row = await tx.get<{ version: number }>('SELECT version FROM portal_schema');
    const current = row?.version ?? 0;
    if (!row) await tx.run('INSERT INTO portal_schema (version) VALUES (0)');
    if (current > postgresMigrations.length) {
      throw new Error(`The database schema (version ${current}) is newer than this server (version ${postgresMigrations.length}).`);
    }
    for (let index = current; index < postgresMigrations.length; index++) {
      await tx.run(postgresMigrations[index]!);
      await tx.run('UPDATE portal_schema SET version = ?', index + 1);
    }
  });
}

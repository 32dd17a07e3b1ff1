import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
 * Never edit a released migration: add a new one.
 */
const migrations: readonly string[] = [
  /* 1: companies, employees (who are also the portal's users), sign-in, tokens, idempotency, audit */ `
  CREATE TABLE companies (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    country TEXT NOT NULL CHECK (length(country) = 2)
  ) STRICT;

  CREATE TABLE employees (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('admin','business','tech','sales')),
    cell_phone TEXT,
    two_factor_status TEXT NOT NULL CHECK (two_factor_status IN ('active','not_enrolled','pending')),
    two_factor_method TEXT CHECK (two_factor_method IN ('sms','voice','totp')),
    totp_secret TEXT,              -- encrypted (AES-256-GCM, see server/auth/secret-box.ts)
    password_hash TEXT,            -- scrypt; null: this employee cannot sign in
    locked INTEGER NOT NULL DEFAULT 0,
    last_login_at TEXT,
    updated_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    search_text TEXT NOT NULL      -- lower-case name, email and phone digits, for ?q=
  ) STRICT;
  CREATE INDEX employees_company_name ON employees(company_id, last_name, first_name, id);
  CREATE INDEX employees_company_email ON employees(company_id, email, id);
  CREATE INDEX employees_company_updated ON employees(company_id, updated_at, id);

  CREATE TABLE challenges (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    code_hash TEXT,
    code_method TEXT,
    code_expires_at TEXT,
    sends INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','killed','used'))
  ) STRICT;

  CREATE TABLE auth_failures (
    employee_id TEXT NOT NULL REFERENCES employees(id),
    at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX auth_failures_employee_at ON auth_failures(employee_id, at);

  CREATE TABLE totp_used_steps (
    employee_id TEXT NOT NULL REFERENCES employees(id),
    step INTEGER NOT NULL,
    PRIMARY KEY (employee_id, step)
  ) STRICT;

  CREATE TABLE token_families (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id),
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;

  CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES token_families(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    expires_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;

  CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    family_id TEXT NOT NULL REFERENCES token_families(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    expires_at TEXT NOT NULL,
    used_at TEXT,
    revoked_at TEXT
  ) STRICT;

  CREATE TABLE idempotency_keys (
    actor_id TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_progress','done')),
    response_status INTEGER,
    response_body TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (actor_id, key)
  ) STRICT;

  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    company_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    actor_email TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    request_id TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_log_employee ON audit_log(company_id, employee_id, id);
  -- The audit is append-only: the database itself refuses to change or remove a row.
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

  CREATE TABLE sms_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms','voice')),
    recipient TEXT NOT NULL,
    text TEXT NOT NULL
  ) STRICT;
  `,
  /* 2: INSERT OR REPLACE deletes a clashing row without firing DELETE triggers (unless
     recursive_triggers is on), which would let an audit row be rewritten. Refuse it. */ `
  CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
  `,
  /* 3: GET /employees at 100,000 employees: every sort walks an index (no sort of the whole
     company per page), and ?q= filters on a covering index instead of visiting every row. */ `
  CREATE INDEX employees_company_role ON employees(company_id, role, last_name, first_name, id);
  CREATE INDEX employees_company_two_factor
    ON employees(company_id, two_factor_status, coalesce(two_factor_method, ''), last_name, first_name, id);
  CREATE INDEX employees_company_search ON employees(company_id, search_text, cell_phone);
  `,
  /* Safe number changes: phone verifications (a code to the new number before it is saved), who
     changed a number and whether it was verified, a company setting that makes verification
     mandatory, and a notification outbox written in the same transaction as the change. */ `
  ALTER TABLE companies ADD COLUMN require_verified_phone INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE employees ADD COLUMN phone_verified_at TEXT;
  ALTER TABLE employees ADD COLUMN updated_by TEXT;
  ALTER TABLE audit_log ADD COLUMN verified INTEGER;
  ALTER TABLE sms_messages ADD COLUMN idempotency_key TEXT;
  CREATE UNIQUE INDEX sms_messages_idempotency_key ON sms_messages(idempotency_key) WHERE idempotency_key IS NOT NULL;

  CREATE TABLE phone_verifications (
    id TEXT PRIMARY KEY,
    company_id TEXT NOT NULL REFERENCES companies(id),
    employee_id TEXT NOT NULL REFERENCES employees(id),
    actor_id TEXT NOT NULL REFERENCES employees(id),
    cell_phone TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    code_hash TEXT,
    code_method TEXT CHECK (code_method IN ('sms','voice')),
    code_expires_at TEXT,
    sends INTEGER NOT NULL DEFAULT 0,
    last_sent_at TEXT,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','killed','used'))
  ) STRICT;
  CREATE INDEX phone_verifications_employee ON phone_verifications(employee_id, last_sent_at);

  CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id INTEGER NOT NULL REFERENCES audit_log(id),
    channel TEXT NOT NULL CHECK (channel IN ('sms','voice','email')),
    recipient TEXT NOT NULL,
    subject TEXT,
    text TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,  -- handed to the carrier: a resend after a crash delivers once
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sending','sent','failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
  ) STRICT;
  CREATE INDEX notification_outbox_due ON notification_outbox(state, next_attempt_at);
  CREATE INDEX notification_outbox_audit ON notification_outbox(audit_id);

  CREATE TABLE mail_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    idempotency_key TEXT UNIQUE
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = migrations.length;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`The database schema (version ${current}) is newer than this server (version ${migrations.length}).`);
  }
  for (let index = current; index < migrations.length; index++) {
    db.transaction(() => {
      db.exec(migrations[index]!);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}

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
  /* 4: ?q= at 100,000 employees without reading every row: a trigram full-text index over search_text
     finds the candidate rows of a substring of three characters or more; the exact instr() tests stay
     (server/employees/list-query.ts). Triggers keep it in step with every insert, update and delete. */ `
  CREATE VIRTUAL TABLE employees_search USING fts5(search_text, content='employees', content_rowid='rowid', tokenize='trigram');
  CREATE TRIGGER employees_search_insert AFTER INSERT ON employees BEGIN
    INSERT INTO employees_search(rowid, search_text) VALUES (new.rowid, new.search_text);
  END;
  CREATE TRIGGER employees_search_delete AFTER DELETE ON employees BEGIN
    INSERT INTO employees_search(employees_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
  END;
  CREATE TRIGGER employees_search_update AFTER UPDATE OF search_text ON employees BEGIN
    INSERT INTO employees_search(employees_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO employees_search(rowid, search_text) VALUES (new.rowid, new.search_text);
  END;
  INSERT INTO employees_search(employees_search) VALUES ('rebuild');
  `,
  /* 5: sign-in hardening. Failures are counted per (account, source address) and per source, keyed
     by the e-mail as typed so an unknown e-mail costs the same writes as a known one; consecutive
     wrong codes lock the second factor until an administrator unlocks it; code sends are counted
     per account and per number (the number only as a keyed hash); a token family remembers when
     its second factor was verified (sudo mode); a challenge knows whether it signs in or steps up;
     locking an account ends its sessions at once, however the lock is set. */ `
  CREATE TABLE sign_in_failures (
    account TEXT NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('password','code')),
    at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX sign_in_failures_account_source ON sign_in_failures(account, source, at);
  CREATE INDEX sign_in_failures_source ON sign_in_failures(source, at);
  CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

  CREATE TABLE code_sends (
    employee_id TEXT NOT NULL,
    recipient_hash TEXT NOT NULL,
    at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX code_sends_employee ON code_sends(employee_id, at);
  CREATE INDEX code_sends_recipient ON code_sends(recipient_hash, at);

  ALTER TABLE employees ADD COLUMN wrong_codes INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE employees ADD COLUMN sign_in_locked_at TEXT;
  ALTER TABLE token_families ADD COLUMN auth_time TEXT;
  UPDATE token_families SET auth_time = created_at;
  ALTER TABLE challenges ADD COLUMN purpose TEXT NOT NULL DEFAULT 'sign_in' CHECK (purpose IN ('sign_in','step_up'));
  ALTER TABLE challenges ADD COLUMN family_id TEXT;

  CREATE TRIGGER employees_lock_ends_sessions AFTER UPDATE OF locked ON employees
    WHEN NEW.locked <> 0 AND OLD.locked = 0
    BEGIN
      UPDATE token_families SET revoked_at = coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE employee_id = NEW.id;
      UPDATE access_tokens SET revoked_at = coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE employee_id = NEW.id;
      UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE employee_id = NEW.id;
    END;
  `,
  /* 6: safe number changes: phone verifications (a code to the new number before it is saved), who
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
  /* 7: auth_failures was never written (sign_in_failures replaced it in 5). */ `
  DROP TABLE auth_failures;
  `,
  /* 8: deleted employees leave a tombstone (id and when), so a `changedSince` delta can tell a
     client's cached list which rows to drop; kept TOMBSTONE_RETENTION_DAYS (employees/tombstones.ts). */ `
  CREATE TABLE employee_tombstones (
    company_id TEXT NOT NULL,
    id TEXT NOT NULL,
    deleted_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
  ) STRICT;
  CREATE INDEX employee_tombstones_deleted ON employee_tombstones(company_id, deleted_at);
  `,
  /* 9: how many employees each company has, kept by triggers in the transaction
     of every insert and delete, so GET /employees answers an unfiltered list's `total` without
     counting 100,000 rows per page (server/employees/list.ts). */ `
  CREATE TABLE company_employee_counts (
    company_id TEXT PRIMARY KEY,
    employees INTEGER NOT NULL CHECK (employees >= 0)
  ) STRICT;
  CREATE TRIGGER employees_count_insert AFTER INSERT ON employees BEGIN
    INSERT INTO company_employee_counts (company_id, employees) VALUES (new.company_id, 1)
      ON CONFLICT (company_id) DO UPDATE SET employees = employees + 1;
  END;
  CREATE TRIGGER employees_count_delete AFTER DELETE ON employees BEGIN
    UPDATE company_employee_counts SET employees = employees - 1 WHERE company_id = old.company_id;
  END;
  CREATE TRIGGER employees_count_move AFTER UPDATE OF company_id ON employees WHEN old.company_id IS NOT new.company_id BEGIN
    UPDATE company_employee_counts SET employees = employees - 1 WHERE company_id = old.company_id;
    INSERT INTO company_employee_counts (company_id, employees) VALUES (new.company_id, 1)
      ON CONFLICT (company_id) DO UPDATE SET employees = employees + 1;
  END;
  INSERT INTO company_employee_counts (company_id, employees) SELECT company_id, count(*) FROM employees GROUP BY company_id;
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

"""Database triggers that make the access log append-only, for PostgreSQL and SQLite.

- the log refuses UPDATE and DELETE (row triggers) and, on PostgreSQL, TRUNCATE (a statement trigger);
- inserting a log row moves its chain head, and only if the row continues the head (next ``seq``, its
  ``prev_hash`` the head's hash); a row that does not is refused;
- the chain-head table refuses DELETE and TRUNCATE, accepts a new head only at the start (seq 0, genesis
  hash), and accepts an UPDATE only to the next row of its chain that exists with that hash (ADR 0019).
"""

from __future__ import annotations

TABLE = "audit_accesslog"
HEAD = "audit_chainhead"
GENESIS = "0" * 64

POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'アクセスログは追記のみです（% は拒否されました）', TG_OP USING ERRCODE = 'insufficient_privilege';
END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER {TABLE}_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]

# ADR 0019: no TRUNCATE of the log or the heads; heads move only with the rows.
POSTGRES_CHAIN_CREATE = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'アクセスログは追記のみです（% の TRUNCATE は拒否されました）', TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_no_truncate()""",
    f"""CREATE TRIGGER {HEAD}_no_truncate BEFORE TRUNCATE ON {HEAD}
FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_no_truncate()""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_move_head() RETURNS trigger AS $$
BEGIN
  UPDATE {HEAD} SET last_seq = NEW.seq, last_hash = NEW.row_hash
   WHERE id = NEW.chain AND last_seq = NEW.seq - 1 AND last_hash = NEW.prev_hash;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'アクセスログの行 #% はチェーン % の先頭に続きません', NEW.id, NEW.chain
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER {TABLE}_move_head AFTER INSERT ON {TABLE}
FOR EACH ROW EXECUTE FUNCTION {TABLE}_move_head()""",
    f"""CREATE OR REPLACE FUNCTION {HEAD}_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'チェーン先頭は削除できません' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NEW.last_seq <> 0 OR NEW.last_hash <> '{GENESIS}' THEN
      RAISE EXCEPTION 'チェーン先頭は起点からしか作れません' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.id <> OLD.id OR NEW.last_seq <> OLD.last_seq + 1 OR NOT EXISTS (
       SELECT 1 FROM {TABLE} WHERE chain = NEW.id AND seq = NEW.last_seq
          AND row_hash = NEW.last_hash AND prev_hash = OLD.last_hash) THEN
    RAISE EXCEPTION 'チェーン先頭は次の行の記録でしか動きません' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql""",
    f"""CREATE TRIGGER {HEAD}_guard BEFORE INSERT OR UPDATE OR DELETE ON {HEAD}
FOR EACH ROW EXECUTE FUNCTION {HEAD}_guard()""",
]
POSTGRES_CHAIN_DROP = [
    f"DROP TRIGGER IF EXISTS {HEAD}_guard ON {HEAD}",
    f"DROP FUNCTION IF EXISTS {HEAD}_guard()",
    f"DROP TRIGGER IF EXISTS {TABLE}_move_head ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_move_head()",
    f"DROP TRIGGER IF EXISTS {HEAD}_no_truncate ON {HEAD}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_no_truncate()",
]

SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'アクセスログは追記のみです（UPDATE は拒否されました）'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'アクセスログは追記のみです（DELETE は拒否されました）'); END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]

SQLITE_CHAIN_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_move_head AFTER INSERT ON {TABLE}
BEGIN
  SELECT RAISE(ABORT, 'アクセスログの行はチェーンの先頭に続きません') WHERE NOT EXISTS (
    SELECT 1 FROM {HEAD} WHERE id = NEW.chain AND last_seq = NEW.seq - 1 AND last_hash = NEW.prev_hash);
  UPDATE {HEAD} SET last_seq = NEW.seq, last_hash = NEW.row_hash WHERE id = NEW.chain;
END""",
    f"""CREATE TRIGGER IF NOT EXISTS {HEAD}_guard_update BEFORE UPDATE ON {HEAD}
BEGIN
  SELECT RAISE(ABORT, 'チェーン先頭は次の行の記録でしか動きません')
   WHERE NEW.id <> OLD.id OR NEW.last_seq <> OLD.last_seq + 1 OR NOT EXISTS (
     SELECT 1 FROM {TABLE} WHERE chain = NEW.id AND seq = NEW.last_seq
        AND row_hash = NEW.last_hash AND prev_hash = OLD.last_hash);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS {HEAD}_guard_insert BEFORE INSERT ON {HEAD}
BEGIN
  SELECT RAISE(ABORT, 'チェーン先頭は起点からしか作れません')
   WHERE NEW.last_seq <> 0 OR NEW.last_hash <> '{GENESIS}';
END""",
    f"""CREATE TRIGGER IF NOT EXISTS {HEAD}_guard_delete BEFORE DELETE ON {HEAD}
BEGIN SELECT RAISE(ABORT, 'チェーン先頭は削除できません'); END""",
]
SQLITE_CHAIN_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_move_head",
    f"DROP TRIGGER IF EXISTS {HEAD}_guard_update",
    f"DROP TRIGGER IF EXISTS {HEAD}_guard_insert",
    f"DROP TRIGGER IF EXISTS {HEAD}_guard_delete",
]


def create_sql(vendor: str) -> list[str]:
    """The append-only triggers as first migrated (0002; kept for that migration)."""
    return POSTGRES_CREATE if vendor == "postgresql" else SQLITE_CREATE if vendor == "sqlite" else []


def drop_sql(vendor: str) -> list[str]:
    return POSTGRES_DROP if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []


def chain_create_sql(vendor: str) -> list[str]:
    """The chain-head and TRUNCATE triggers (ADR 0019)."""
    return (POSTGRES_CHAIN_CREATE if vendor == "postgresql" else SQLITE_CHAIN_CREATE if vendor == "sqlite"
            else [])


def chain_drop_sql(vendor: str) -> list[str]:
    return POSTGRES_CHAIN_DROP if vendor == "postgresql" else SQLITE_CHAIN_DROP if vendor == "sqlite" else []


def all_create_sql(vendor: str) -> list[str]:
    return [*create_sql(vendor), *chain_create_sql(vendor)]


def all_drop_sql(vendor: str) -> list[str]:
    return [*chain_drop_sql(vendor), *drop_sql(vendor)]

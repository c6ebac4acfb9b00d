"""The raw schema's tables, created or upgraded before a load writes to them.

Why a module of its own: the raw tables' definition is the contract between
the loader, which writes them, and dbt's staging models, which read them; it
reads best alone, with the upgrade path of columns added since.
"""

from __future__ import annotations

import duckdb

CREATE_RAW_TABLES = """
create schema if not exists raw;
create table if not exists raw.customs_trade (
    flow_code varchar,
    year varchar,
    department_code varchar,
    product_code varchar,
    country_code varchar,
    value varchar,
    value_unit varchar not null,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null,
    month varchar,
    line_number varchar,
    quarter varchar,
    region_code varchar,
    cpf4_code varchar,
    mass_kg varchar
);
create table if not exists raw.customs_national_trade (
    flow_code varchar,
    month varchar,
    year varchar,
    cpf6_code varchar,
    product_code varchar,
    nc8_code varchar,
    country_code varchar,
    value varchar,
    mass_kg varchar,
    supplementary_unit varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.customs_labels (
    annex varchar not null,
    code varchar,
    label varchar,
    valid_from varchar,
    valid_to varchar,
    region_code varchar,
    region_label varchar,
    supplementary_unit_flag varchar,
    supplementary_unit_label varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.product_labels (
    product_code varchar,
    product_label varchar,
    source_file varchar not null,
    source_line integer not null,
    loaded_at timestamp with time zone not null
);
create table if not exists raw.quarantine (
    source_file varchar not null,
    source_line integer not null,
    column_name varchar not null,
    reason varchar not null,
    flow_code varchar,
    year varchar,
    department_code varchar,
    product_code varchar,
    country_code varchar,
    value varchar,
    value_unit varchar,
    quarantined_at timestamp with time zone not null,
    month varchar,
    line_number varchar,
    quarter varchar,
    region_code varchar,
    cpf4_code varchar,
    mass_kg varchar,
    cpf6_code varchar,
    nc8_code varchar,
    supplementary_unit varchar,
    target_table varchar
);
create table if not exists raw.load_audit (
    source_file varchar not null,
    file_sha256 varchar not null,
    dataset_name varchar not null,
    is_synthetic boolean not null,
    rows_read bigint not null,
    rows_loaded bigint not null,
    rows_quarantined bigint not null,
    loaded_at timestamp with time zone not null,
    rows_removed bigint default 0,
    file_vanished boolean default false,
    read_fingerprint varchar
);
"""

#: Columns added after the first release (declaration-level files). They come last in
#: CREATE_RAW_TABLES too, so that a new warehouse and an upgraded one have the same
#: column order; every insert names its columns all the same.
ADDED_RAW_COLUMNS = """
alter table raw.customs_trade add column if not exists month varchar;
alter table raw.customs_trade add column if not exists line_number varchar;
alter table raw.quarantine add column if not exists month varchar;
alter table raw.quarantine add column if not exists line_number varchar;
alter table raw.customs_trade add column if not exists quarter varchar;
alter table raw.customs_trade add column if not exists region_code varchar;
alter table raw.customs_trade add column if not exists cpf4_code varchar;
alter table raw.customs_trade add column if not exists mass_kg varchar;
alter table raw.quarantine add column if not exists quarter varchar;
alter table raw.quarantine add column if not exists region_code varchar;
alter table raw.quarantine add column if not exists cpf4_code varchar;
alter table raw.quarantine add column if not exists mass_kg varchar;
alter table raw.quarantine add column if not exists cpf6_code varchar;
alter table raw.quarantine add column if not exists nc8_code varchar;
alter table raw.quarantine add column if not exists supplementary_unit varchar;
alter table raw.quarantine add column if not exists target_table varchar;
alter table raw.load_audit add column if not exists rows_removed bigint default 0;
alter table raw.load_audit add column if not exists file_vanished boolean default false;
alter table raw.load_audit add column if not exists read_fingerprint varchar;
"""


#: Every table the loader writes (build_log belongs to the main job).
RAW_TABLES = ("customs_trade", "customs_national_trade", "customs_labels", "quarantine",
              "load_audit", "product_labels")  # fmt: skip


def raw_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The raw layer's columns, as ``table.column``."""
    return {row[0] for row in con.execute(
        "select table_name || '.' || column_name from information_schema.columns "
        "where table_schema = 'raw'"
    ).fetchall()}  # fmt: skip


def is_outdated(found: set[str]) -> bool:
    """Whether a raw layer with these columns is of an older layout, to be dropped."""
    current = {"customs_trade.value_unit", "load_audit.rows_quarantined", "quarantine.value_unit"}
    return bool(found) and not current <= found


def prepare_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw tables; drop them first if an older layout of them is found.

    The raw layer is always rebuilt from the folder, so dropping an outdated
    one loses nothing that the folder does not hold. Columns added since (the
    month and line number of declaration lines) are added in place instead:
    the rows already loaded stay valid (NULL: not declaration lines) and an
    unchanged file need not be read again.
    """
    if is_outdated(raw_columns(con)):
        for table in RAW_TABLES:
            con.execute(f"drop table if exists raw.{table}")
    con.execute(CREATE_RAW_TABLES)
    con.execute(ADDED_RAW_COLUMNS)

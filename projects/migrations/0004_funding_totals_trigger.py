"""PostgreSQL safeguard: a funding row's stored money totals (advanced, paid,
refunded, due, carried) equal the sums of its disbursement rows at every
commit, whoever wrote them — the model layer keeps them (Disbursement.save
and delete, under the row lock), and this deferred constraint trigger
refuses a transaction that leaves them different, e.g. a QuerySet.update()
or raw SQL around the gate. Deferred to the commit, so the gate may write a
disbursement and then its totals within one transaction. SQLite (the
embedded `make run`) relies on the model layer and the tests.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION projects_funding_totals_differ(fid bigint)
RETURNS boolean AS $$
    SELECT COALESCE((
        SELECT f.advanced_total <> COALESCE(SUM(d.amount) FILTER (
                    WHERE d.state = 'recorded' AND d.kind = 'advance'), 0)
            OR f.paid_total <> COALESCE(SUM(d.amount) FILTER (
                    WHERE d.state = 'recorded'
                      AND d.kind IN ('payment', 'settlement')), 0)
            OR f.refunded_total <> COALESCE(SUM(d.amount) FILTER (
                    WHERE d.state = 'recorded' AND d.kind = 'refund'), 0)
            OR f.due_total <> COALESCE(SUM(d.amount) FILTER (
                    WHERE d.state = 'due'), 0)
            OR f.carried_total <> COALESCE(SUM(d.amount) FILTER (
                    WHERE d.state = 'recorded' AND d.kind <> 'refund'
                      AND EXTRACT(YEAR FROM d.date) > p.year), 0)
        FROM projects_projectfunding f
        JOIN projects_plan p ON p.id = f.plan_id
        LEFT JOIN projects_disbursement d ON d.funding_id = f.id
        WHERE f.id = fid
        GROUP BY f.id, p.year
    ), false);
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION projects_check_funding_totals() RETURNS trigger AS $$
DECLARE
    fids bigint[];
    fid bigint;
BEGIN
    -- NEW and OLD are read in separate statements: a row of the other table
    -- has no such field, and PL/pgSQL checks each expression it plans.
    IF TG_TABLE_NAME = 'projects_projectfunding' THEN
        fids := ARRAY[NEW.id];
    ELSIF TG_OP = 'INSERT' THEN
        fids := ARRAY[NEW.funding_id];
    ELSIF TG_OP = 'DELETE' THEN
        fids := ARRAY[OLD.funding_id];
    ELSE
        fids := ARRAY[NEW.funding_id, OLD.funding_id];
    END IF;
    FOREACH fid IN ARRAY fids LOOP
        IF projects_funding_totals_differ(fid) THEN
            RAISE EXCEPTION
                'funding %% stores money totals that differ from its disbursements',
                fid USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS projects_disbursement_totals ON projects_disbursement;
CREATE CONSTRAINT TRIGGER projects_disbursement_totals
    AFTER INSERT OR UPDATE OR DELETE ON projects_disbursement
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION projects_check_funding_totals();

DROP TRIGGER IF EXISTS projects_funding_totals ON projects_projectfunding;
CREATE CONSTRAINT TRIGGER projects_funding_totals
    AFTER INSERT OR UPDATE ON projects_projectfunding
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION projects_check_funding_totals();
"""

DROP = """
DROP TRIGGER IF EXISTS projects_disbursement_totals ON projects_disbursement;
DROP TRIGGER IF EXISTS projects_funding_totals ON projects_projectfunding;
DROP FUNCTION IF EXISTS projects_check_funding_totals();
DROP FUNCTION IF EXISTS projects_funding_totals_differ(bigint);
"""


# Databases made before the totals existed get them from their rows first.
BACKFILL = """
UPDATE projects_projectfunding SET
    advanced_total = COALESCE((SELECT SUM(d.amount) FROM projects_disbursement d
        WHERE d.funding_id = projects_projectfunding.id
          AND d.state = 'recorded' AND d.kind = 'advance'), 0),
    paid_total = COALESCE((SELECT SUM(d.amount) FROM projects_disbursement d
        WHERE d.funding_id = projects_projectfunding.id
          AND d.state = 'recorded' AND d.kind IN ('payment', 'settlement')), 0),
    refunded_total = COALESCE((SELECT SUM(d.amount) FROM projects_disbursement d
        WHERE d.funding_id = projects_projectfunding.id
          AND d.state = 'recorded' AND d.kind = 'refund'), 0),
    due_total = COALESCE((SELECT SUM(d.amount) FROM projects_disbursement d
        WHERE d.funding_id = projects_projectfunding.id AND d.state = 'due'), 0),
    carried_total = COALESCE((SELECT SUM(d.amount) FROM projects_disbursement d
        JOIN projects_plan p ON p.id = projects_projectfunding.plan_id
        WHERE d.funding_id = projects_projectfunding.id
          AND d.state = 'recorded' AND d.kind <> 'refund'
          AND d.date > {year_end}), 0)
"""
YEAR_END = {
    "postgresql": "make_date(p.year, 12, 31)",
    "sqlite": "(p.year || '-12-31')",
}


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in YEAR_END:
        schema_editor.execute(BACKFILL.format(year_end=YEAR_END[vendor]))
    if vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_settled_money_trigger")]

    operations = [migrations.RunPython(create, drop)]

"""Importing establishments from a workbook, one module per step:

- columns: the workbook's columns (shared with the export and the template);
- cells: reading one cell, reference data looked up once per import;
- results: the issues found and the counts of a run;
- validate: `establishment_import`, the one code path of every import
  (the page's background job, the management command, the tests);
- apply: the bulk writes, with their change history;
- jobs: the ImportJob workflow (enterprises.models.imports) and its heartbeat.

Nothing is imported here, so that enterprises.models can name the results
without importing the import's own modules back.
"""

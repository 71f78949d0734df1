import type { AnalyzeStatement } from './findings';

/**
 * The pre-flight check of one statement (see AnalyzeStatement).
 * CONTRACT (issue 12): a stub that finds nothing; the SQL helper implements it.
 */
export const analyzeStatement: AnalyzeStatement = async (sql, catalog) => {
  void sql;
  void catalog;
  return { parsed: false, findings: [] };
};

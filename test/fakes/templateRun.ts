/**
 * Running a collaboration analysis template (StartProtectedQuery with sqlParameters
 * .analysisTemplateArn and .parameters): the template must be one of the collaboration's SQL
 * templates; every parameter without a default must be given, no unknown ones; each value (a
 * string on the wire) must read as its parameter's type, and replaces `:name` in the SQL text as a
 * literal of that type (never inside a quoted string, an identifier or a comment).
 */
import type { WireMembership } from './fixtures';
import type { Violation } from './schemaApi';
import { sameArn } from './queryEngine';
import { collaborationTemplatesFor, type WireTemplate } from './schemaTemplates';

export interface TemplateErrors {
  readonly validation: (violations: Violation[]) => Error;
  readonly invalid: (message: string) => Error;
  readonly notFound: (message: string, resourceId: string, resourceType: string) => Error;
}

const INTEGER = new Set(['INTEGER', 'INT', 'BIGINT', 'SMALLINT', 'TINYINT', 'LONG', 'SHORT', 'BYTE']);
const NUMBER = new Set(['DECIMAL', 'NUMERIC', 'DOUBLE', 'DOUBLE_PRECISION', 'FLOAT', 'REAL']);
const TIMESTAMP = new Set(['TIMESTAMP', 'TIMESTAMPTZ', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ']);

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

function validDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** The SQL literal for `value` as a parameter of `type`; undefined when the value is not of that type. */
export function parameterLiteral(type: string, value: string): string | undefined {
  const t = type.toUpperCase();
  if (INTEGER.has(t)) return /^[-+]?\d+$/.test(value.trim()) ? String(BigInt(value.trim())) : undefined;
  if (NUMBER.has(t)) return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value.trim()) ? value.trim() : undefined;
  if (t === 'BOOLEAN') return /^(true|false)$/i.test(value.trim()) ? value.trim().toUpperCase() : undefined;
  if (t === 'DATE') return validDate(value.trim()) ? `DATE ${quote(value.trim())}` : undefined;
  if (TIMESTAMP.has(t)) {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?$/.exec(value.trim());
    if (!m || !validDate(m[1]) || Number(m[2] ?? 0) > 23 || Number(m[3] ?? 0) > 59 || Number(m[4] ?? 0) > 59) return undefined;
    return `TIMESTAMP ${quote(value.trim().replace('T', ' '))}`;
  }
  if (t === 'TIME' || t === 'TIMETZ') return /^\d{2}:\d{2}(:\d{2})?$/.test(value.trim()) ? `TIME ${quote(value.trim())}` : undefined;
  if (t === 'BINARY' || t === 'VARBYTE') return undefined;
  return quote(value); // VARCHAR, STRING, CHAR, CHARACTER
}

/** Replaces `:name` placeholders outside quotes and comments. */
export function substitute(sql: string, literals: ReadonlyMap<string, string>): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < sql.length && !(sql[j] === ch && sql[j + 1] !== ch)) j += sql[j] === ch ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      const end = j === -1 ? sql.length : j;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      const end = j === -1 ? sql.length : j + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (ch === ':' && sql[i + 1] !== ':' && sql[i - 1] !== ':') {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1));
      const literal = m ? literals.get(m[0]) : undefined;
      if (m && literal !== undefined) {
        out += literal;
        i += 1 + m[0].length;
      } else {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** The template `arn` of the collaboration of `m`, bound to `parameters`: the SQL to run. */
export function bindTemplate(m: WireMembership, arn: string, parameters: unknown, errors: TemplateErrors): { template: WireTemplate; sql: string } {
  const template = collaborationTemplatesFor(m).find((t) => sameArn(t.arn ?? '', arn));
  if (!template) throw errors.notFound(`Analysis template ${arn} not found in this collaboration.`, arn, 'COLLABORATION');
  const text = template.source && 'text' in template.source ? template.source.text : undefined;
  if (template.format !== 'SQL' || typeof text !== 'string') {
    throw errors.invalid(`Analysis template ${template.name} is a ${String(template.format)} template: run it as a protected job, not a protected query.`);
  }
  if (parameters !== undefined && (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters))) {
    throw errors.validation([{ name: 'sqlParameters.parameters', value: String(parameters), constraint: 'Member must be a map of parameter names to string values' }]);
  }
  const given = (parameters ?? {}) as Record<string, unknown>;
  const declared = template.analysisParameters ?? [];
  const unknown = Object.keys(given).filter((k) => !declared.some((p) => p.name === k));
  if (unknown.length > 0) {
    throw errors.validation(unknown.map((k) => ({ name: `sqlParameters.parameters.${k}`, value: String(given[k]), constraint: `Analysis template ${template.name} has no parameter ${k}` })));
  }
  const literals = new Map<string, string>();
  const violations: Violation[] = [];
  for (const p of declared) {
    const name = p.name ?? '';
    const v = given[name];
    if (v !== undefined && typeof v !== 'string') {
      violations.push({ name: `sqlParameters.parameters.${name}`, value: String(v), constraint: 'Member must be a string' });
      continue;
    }
    const value = v ?? p.defaultValue;
    if (value === undefined) {
      violations.push({ name: `sqlParameters.parameters.${name}`, value: 'null', constraint: `Parameter ${name} has no default value and must be given` });
      continue;
    }
    const literal = parameterLiteral(String(p.type), value);
    if (literal === undefined) {
      violations.push({ name: `sqlParameters.parameters.${name}`, value, constraint: `Parameter ${name} must be a value of type ${String(p.type)}` });
      continue;
    }
    literals.set(name, literal);
  }
  if (violations.length > 0) throw errors.validation(violations);
  return { template, sql: substitute(text, literals) };
}
